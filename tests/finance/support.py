"""Constants, declaration content and state snapshots for the trade-finance tests.

Small copies of the customs helpers (tests/customs/declarations.py) so this folder stands alone.
"""

from brownie import web3
from brownie.exceptions import VirtualMachineError

from tests.helpers import BOCOM_ID, ICBC_ID

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

# ICustomsClearanceView.Flow / Status, CustomsClearance.Channel
IMPORT, EXPORT = 0, 1
CUSTOMS_RELEASED = 6
GREEN = 1

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


def hexstr(value: bytes) -> str:
    return "0x" + value.hex()


def commitment(text: str, salt: str = "salt") -> str:
    """A salted hash as a party would commit to a document."""
    return hexstr(bytes(web3.keccak(text=f"{salt}:{text}")))


BL = commitment("bill of lading COSU6212345678")
DOCS = [commitment("commercial invoice"), commitment("packing list"), commitment("origin")]


def invoice(n) -> str:
    return commitment(f"commercial invoice {n}")


def content(value=VALUE, currency=CNY, bill_of_lading="COSU6212345678"):
    """A one-line export declaration (laptops, Shanghai -> Hamburg) of `value` minor units."""
    shipment = (
        commitment("Hamburg Elektronik GmbH"),
        2218,  # Shanghai Waigaoqiao
        110,  # general trade
        3,  # FOB
        2,  # waterway
        hexstr(b"CN"),
        hexstr(b"DE"),
        hexstr(b"CNSHA"),
        hexstr(b"DEHAM"),
        commitment(bill_of_lading),
    )
    items = [(8471301000, 200, hexstr(b"PCE"), value, hexstr(b"CN"))]
    documents = [commitment(d) for d in ("invoice", "packing list", "bill of lading")]
    return (shipment, (hexstr(currency), value, 0, 0), items, commitment("documents"), documents)


def cny_value(value: int, rate: int) -> int:
    """The CNY fen value of `value` minor units at `rate` (rounded down, as the contract)."""
    return value * rate // RATE_SCALE


def consumption(amount: int, rate: int) -> int:
    """Minor units of the declaration consumed by financing `amount` fen (rounded up)."""
    return -(-amount * RATE_SCALE // rate)


def shanghai_day(timestamp: int) -> int:
    return (timestamp + 8 * HOUR) // DAY


def latest_time() -> int:
    return web3.eth.get_block("latest").timestamp


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
