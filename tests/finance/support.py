"""Constants, commitments and state snapshots for the trade-finance tests.

Declarations are lodged and released with the shared helpers of tests/helpers.py.
"""

from brownie.exceptions import VirtualMachineError

from tests.helpers import BOCOM_ID, ICBC_ID, commitment, latest_time

DAY = 86_400
HOUR = 3_600
BP = 10_000
RATE_SCALE = 10**8

# TradeFinance.Status
(
    NONE,
    REQUESTED,
    ACTIVE,
    OVERDUE,
    REPAID,
    DEFAULTED,
    CANCELLED,
    DECLINED,
) = range(8)

# ILetterOfCredit.Honour
SIGHT, DEFERRED, ACCEPTANCE = range(3)

CCB_ID = 6  # a third commercial bank the finance fixtures admit
BANK_IDS = (BOCOM_ID, ICBC_ID, CCB_ID)

CNY = b"CNY"
USD = b"USD"
EUR = b"EUR"
USD_RATE = 712_340_000  # 7.1234 CNY per USD: 7.1234 fen per cent, times 1e8

VALUE = 10_000_000  # 100,000.00 in minor units: the default declared value
MAX_UINT256 = 2**256 - 1


BL = commitment("bill of lading COSU6212345678")
DOCS = [commitment("commercial invoice"), commitment("packing list"), commitment("origin")]


def invoice(n) -> str:
    return commitment(f"commercial invoice {n}")


def cny_value(value: int, rate: int) -> int:
    """The CNY fen value of `value` minor units at `rate` (rounded down, as the contract)."""
    return value * rate // RATE_SCALE


def consumption(amount: int, rate: int) -> int:
    """Minor units of the declaration consumed by financing `amount` fen (rounded up)."""
    return -(-amount * RATE_SCALE // rate)


def shanghai_day(timestamp: int) -> int:
    return (timestamp + 8 * HOUR) // DAY


def today() -> int:
    """The Shanghai day of the next block (the next transaction), assuming it is mined now."""
    return shanghai_day(latest_time())


def as_printed(value) -> str:
    """A bytesN error argument as Brownie prints it in a decoded revert message."""
    if isinstance(value, str):
        value = bytes.fromhex(value.removeprefix("0x"))
    return repr(bytes(value))


def _try(call, *args):
    try:
        return tuple(call(*args))
    except (VirtualMachineError, ValueError):
        return None


def finance_state(finance, token, clearance, accounts, invoices=()) -> dict:
    """Everything observable about the finance contract, for no-state-change assertions."""
    count = finance.financingCount()
    declarations = clearance.declarationCount()
    return {
        "count": count,
        "financings": [tuple(finance.financingOf(i)) for i in range(1, count + 1)],
        "requested": [finance.requestedInvoiceOf(i) for i in range(1, count + 1)],
        "declarations": [tuple(finance.declarationBookOf(d)) for d in range(1, declarations + 1)],
        "exporters": [tuple(finance.exporterBookOf(a)) for a in accounts],
        "banks": [tuple(finance.bankBookOf(b)) for b in BANK_IDS],
        "terms": [tuple(finance.advanceRatioOf(b)) for b in BANK_IDS],
        "rates": [finance.referenceRate(c, today()) for c in (USD, EUR)],
        "invoices": [finance.invoiceFinancing(i) for i in invoices],
        "balances": [token.balanceOf(a) for a in list(accounts) + [finance]],
        "supply": token.totalSupply(),
    }


def ints(values) -> tuple:
    """A Brownie return value as a plain tuple of ints (for comparing books)."""
    return tuple(int(v) for v in values)
