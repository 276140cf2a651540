"""Constants, invoices, commitments and state snapshots for the trade-finance tests.

Declarations are lodged and released with the shared helpers of tests/helpers.py. An invoice
is two things: its number (ASCII in a bytes32, `invoice_number`), which with the seller keys the
one invoice register (`invoice_key`, as DocumentKeys.key on the chain), and the salted
commitment to its contents (`invoice`), which is only in the request's event.
"""

from brownie.exceptions import VirtualMachineError

from eport.keys import document_key
from tests.helpers import BOCOM_ID, ICBC_ID, commitment, document_number, hexstr, latest_time

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


DOCS = [commitment("commercial invoice"), commitment("packing list"), commitment("origin")]


def invoice(n, salt: str = "salt") -> str:
    """The salted commitment to the contents of commercial invoice `n`."""
    return commitment(f"commercial invoice {n}", salt)


def invoice_number(text) -> str:
    """An invoice number as the contracts take it (ASCII, left-aligned in a bytes32)."""
    return document_number(str(text))


def invoice_key(text, seller) -> str:
    """The invoice register key of invoice number `text` of `seller` (normalised first)."""
    return hexstr(document_key(str(seller), str(text)))


def clean_number(text, seller) -> str:
    """`text`, or `text` with a digit appended, such that its invoice key prints without a comma
    in a decoded revert message (`reverts_with` splits the arguments on commas)."""
    for suffix in ("", *range(100)):
        candidate = f"{text}{suffix}"
        if "," not in as_printed(invoice_key(candidate, seller)):
            return candidate
    raise AssertionError("no comma-free key found")


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


def finance_state(finance, token, clearance, accounts, invoices=(), digests=()) -> dict:
    """Everything observable about the finance contract, for no-state-change assertions:
    `invoices` are invoice register keys and `digests` signed requests' digests to watch too
    (the declaration books include what customs counts as used of each declaration)."""
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
        "cancelled": [finance.signedRequestCancelled(d) for d in digests],
        "consumed": [clearance.summaryOf(d)["consumed"] for d in range(1, declarations + 1)],
        "balances": [token.balanceOf(a) for a in list(accounts) + [finance]],
        "supply": token.totalSupply(),
    }


def ints(values) -> tuple:
    """A Brownie return value as a plain tuple of ints (for comparing books)."""
    return tuple(int(v) for v in values)
