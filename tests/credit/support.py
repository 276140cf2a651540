"""Constants, enums and small helpers shared by the letter-of-credit tests."""

from brownie import web3
from brownie.exceptions import VirtualMachineError

from eport.testing import party_address
from tests.credit import ucp_model as ucp
from tests.helpers import BOCOM_ID, ICBC_ID, bill_key, digest, document_number, latest_time

DAY = ucp.DAY
HOUR = 3600

# ILetterOfCredit.Status
ST_NONE, ST_APPLIED, ST_WITHDRAWN, ST_ISSUED, ST_CANCELLED, ST_EXPIRED = range(6)
# ILetterOfCredit.Honour
SIGHT, DEFERRED, ACCEPTANCE = range(3)
# ILetterOfCredit.Exam
EX_NONE, EX_PRESENTED, EX_REFUSED, EX_WAIVED, EX_HONOURED = range(5)
# ILetterOfCredit.Disposal
DISP_NONE, HOLDING_PENDING_WAIVER, HOLDING_UNTIL_INSTRUCTIONS, RETURNING = range(4)
# ILetterOfCredit.AmendmentKind
AM_NONE, AM_AMEND, AM_CANCEL = range(3)

CNY = "0x434e59"
USD = "0x555344"
AMOUNT = 10_000_000  # 100,000.00 CNY in fen
ABOUT = ucp.ABOUT_BP
DOCS_REQUIRED = digest("documents required: invoice, packing list, bill of lading, origin")
# The module's export declaration is lodged with bill of lading BILL; the carrier records its
# number (BL_NUMBER) and a presentation names its register key (BL: carrier + number).
BILL, BILL2 = "COSU-6301", "COSU-6302"
BL_NUMBER, BL2_NUMBER = document_number(BILL), document_number(BILL2)
BL, BL2 = bill_key(BILL), bill_key(BILL2)
VOYAGE = document_number("MSC ANNA 245W")
# The test declarations' value: room for every drawing of a module (on a live chain the
# scenarios share one declaration; nothing is rolled back between them).
DECLARED = 100 * 10_000_000
DOCS = [digest("commercial invoice"), digest("packing list"), digest("certificate of origin")]
NOTICE = digest("refusal notice: invoice amount differs; late shipment")
ISSUING, NOMINATED = BOCOM_ID, ICBC_ID

TERM_FIELDS = (
    "issuingBank",
    "advisingBank",
    "confirmingBank",
    "beneficiary",
    "amount",
    "currency",
    "toleranceBp",
    "partialAllowed",
    "form",
    "tenorDays",
    "latestShipment",
    "expiry",
    "documents",
    "exactAmount",
    "carriers",
)


def terms(beneficiary, t0, **overrides):
    """Application terms as the tuple `applyForCredit` takes; defaults: a sight credit of
    100,000.00 CNY "about" (+/-10 %), no partial drawings, the Art. 30c shortfall not
    excluded, issued by BOCOM and advised and confirmable by ICBC, latest shipment t0 + 20
    days, expiry t0 + 60 days, the test carrier named as the one that records shipments."""
    values = {
        "issuingBank": ISSUING,
        "advisingBank": NOMINATED,
        "confirmingBank": NOMINATED,
        "beneficiary": str(beneficiary),
        "amount": AMOUNT,
        "currency": CNY,
        "toleranceBp": ABOUT,
        "partialAllowed": False,
        "form": SIGHT,
        "tenorDays": 0,
        "latestShipment": t0 + 20 * DAY,
        "expiry": t0 + 60 * DAY,
        "documents": DOCS_REQUIRED,
        "exactAmount": False,
        "carriers": [party_address("carrier")],
    }
    unknown = set(overrides) - set(values)
    assert not unknown, f"unknown terms {unknown}"
    values.update(overrides)
    return tuple(values[f] for f in TERM_FIELDS)


def vote_days(calendar, days, closed, voters):
    """voters[0] proposes to close (or open) `days` (sorted here), the others vote yes; returns
    the last transaction."""
    tx = calendar.proposeDays(sorted(days), closed, {"from": voters[0]})
    proposal_id = tx.events["DaysProposed"]["proposalId"]
    for voter in voters[1:]:
        tx = calendar.voteDays(proposal_id, {"from": voter})
    return tx


def set_next_time(timestamp: int) -> None:
    """The next block (the next transaction) gets exactly this timestamp."""
    assert timestamp >= latest_time(), "time only moves forward"
    web3.provider.make_request("evm_setNextBlockTimestamp", [timestamp])


def next_weekday_at(after: int, iso_weekday: int, hour: int) -> int:
    """The first Shanghai `iso_weekday` (1 = Monday) at `hour`:00 strictly after `after` + 1 day."""
    day = ucp.day_of(after) + 2
    while ucp.weekday(day) != iso_weekday:
        day += 1
    return ucp.start_of(day) + hour * HOUR


def drawing_or_none(lc, credit_id, drawing_id):
    try:
        return tuple(lc.drawingOf(credit_id, drawing_id))
    except (VirtualMachineError, ValueError):
        return None


def lc_state(lc, token, credit_ids, accounts) -> dict:
    """Everything observable about the credits `credit_ids` and the token balances of
    `accounts` (and the contract), for no-state-change assertions."""
    state = {"count": lc.creditCount(), "balances": {}, "credits": {}}
    for account in list(accounts) + [lc]:
        state["balances"][str(account)] = token.balanceOf(account)
    for credit_id in credit_ids:
        credit = lc.creditOf(credit_id)
        state["credits"][credit_id] = {
            "credit": tuple(credit),
            "amendment": tuple(lc.amendmentOf(credit_id)),
            "drawings": [
                drawing_or_none(lc, credit_id, d) for d in range(1, credit["presentations"] + 1)
            ],
            "shipped": [lc.shippedOnBoardOf(credit_id, ref) for ref in (BL, BL2)],
        }
    return state
