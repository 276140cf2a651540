"""Fixtures for the letter-of-credit tests.

Deployment (module scope): the registry, token and real CustomsClearance (`clearance`) from
tests/conftest.py, a BankingCalendar, and LetterOfCredit registered as a system contract so it
may hold escrow. BOCOM (issuing bank, member 4) holds 5,000,000.00 CNY of eCNY and ICBC
(advising and confirming bank, member 5) 1,000,000.00 CNY; both approved the contract.

Declarations: `declare(...)` has the declarant lodge one on the real customs contract and
customs take it to the state a test needs (released, lodged, rejected, under audit, flagged);
`present` uses `export_declaration`, an export of the exporter released at module start.

Time: every test starts with `t0`, a Monday 10:00 Shanghai time at least a week ahead; the
`at(timestamp)` fixture makes the next transaction happen exactly then.

Calendar: `set_days(days, closed)` has the alliance vote a change of the banking calendar.
"""

import pytest

from tests.credit.support import (
    AMOUNT,
    BILL,
    BL_NUMBER,
    DAY,
    DECLARED,
    DOCS,
    VOYAGE,
    latest_time,
    lc_state,
    next_weekday_at,
    set_next_time,
    terms,
    vote_days,
)
from tests.helpers import (
    CUSTOMS_LODGED,
    CUSTOMS_REJECTED,
    CUSTOMS_RELEASED,
    EXPORT,
    EXPORTER,
    PAUSE,
    bill_key,
    commitment,
    digest,
    document_number,
    lodge,
    new_bill_of_lading,
    pass_proposal,
    release_on_green,
)

BOCOM_FLOAT = 500_000_000
ICBC_FLOAT = 100_000_000
MAX_UINT256 = 2**256 - 1
REJECTION_CODE = 31  # customs' reason code: goods do not match the declaration
BILLS = {}  # declaration id -> its bill of lading number, as `declare` lodged it


@pytest.fixture(scope="module", autouse=True)
def _extras(outsider, newcomers, other_exporter, export_declaration):
    """Fund and register the spare accounts and release the default export declaration at
    module start, so that tests may request them lazily (set up inside a test, they would
    vanish with its isolation)."""


@pytest.fixture(scope="module")
def other_exporter(newcomers, registry, customs):
    """A second registered exporter (newcomers[1])."""
    registry.registerParticipant(newcomers[1], EXPORTER, {"from": customs})
    return newcomers[1]


@pytest.fixture(scope="module")
def calendar(BankingCalendar, registry, deployer):
    return BankingCalendar.deploy(registry, {"from": deployer})


@pytest.fixture
def set_days(calendar, gov, customs, pboc):
    """set_days(days, closed=True): the alliance changes the calendar by vote: the government
    proposes to close (or open) the days and customs and the central bank vote yes (3 of the 5
    members). Returns the deciding vote."""
    return lambda days, closed=True: vote_days(calendar, days, closed, [gov, customs, pboc])


@pytest.fixture(scope="module")
def lc(
    LetterOfCredit, LetterOfCreditTerms, registry, token, clearance, calendar, deployer, bocom, icbc
):
    terms = LetterOfCreditTerms.deploy(registry, token, clearance, calendar, {"from": deployer})
    lc = LetterOfCredit.deploy(registry, token, clearance, calendar, terms, {"from": deployer})
    registry.bootstrapSystemContract(lc, True, {"from": deployer})
    token.mint(bocom, BOCOM_FLOAT, digest("bocom float"), {"from": bocom})
    token.mint(icbc, ICBC_FLOAT, digest("icbc float"), {"from": icbc})
    token.approve(lc, MAX_UINT256, {"from": bocom})
    token.approve(lc, MAX_UINT256, {"from": icbc})
    return lc


@pytest.fixture(scope="module")
def t0(lc):
    """A Monday 10:00 in Shanghai, more than a week after the module's chain started."""
    return next_weekday_at(latest_time() + 7 * DAY, 1, 10)


@pytest.fixture
def at():
    """at(timestamp): the next transaction is mined at exactly `timestamp`."""
    return set_next_time


@pytest.fixture
def make_terms(exporter, t0):
    """make_terms(**overrides) -> the applyForCredit tuple (see support.terms)."""
    return lambda **overrides: terms(overrides.pop("beneficiary", exporter), t0, **overrides)


@pytest.fixture
def apply_credit(lc, importer, make_terms, at, t0):
    """apply_credit(**overrides) -> credit id, applied at t0 by the importer."""

    def _apply(**overrides):
        if latest_time() < t0:
            at(t0)
        return lc.applyForCredit(make_terms(**overrides), {"from": importer}).return_value

    return _apply


@pytest.fixture
def open_credit(lc, apply_credit, bocom):
    """open_credit(**overrides) -> credit id, applied and issued by BOCOM at t0."""

    def _open(**overrides):
        credit_id = apply_credit(**overrides)
        lc.issue(credit_id, {"from": bocom})
        return credit_id

    return _open


@pytest.fixture
def credit(open_credit):
    """The default credit (sight, 100,000.00 CNY about, no partial drawings), issued."""
    return open_credit()


@pytest.fixture
def ship(lc, carrier, at, t0):
    """ship(credit_id, ref=BL_NUMBER, on=t0 + 1 day, when=None, voyage=VOYAGE): the carrier
    records a B/L (its number)."""

    def _ship(credit_id, ref=BL_NUMBER, on=None, when=None, voyage=VOYAGE):
        on = t0 + DAY if on is None else on
        if when is not None:
            at(when)
        elif latest_time() < on:
            at(on)
        return lc.recordTransportDocument(credit_id, ref, on, voyage, {"from": carrier})

    return _ship


@pytest.fixture(scope="module")
def declare(clearance, customs, declarant, exporter, importer):
    """declare(trader=None, status=CUSTOMS_RELEASED, flow=EXPORT, flagged=False,
    under_audit=False) -> the id of a declaration lodged by the declarant on the real customs
    contract for `trader` (the exporter for an export, the importer for an import), then:
    CUSTOMS_LODGED: left as lodged; CUSTOMS_REJECTED: rejected by customs; CUSTOMS_RELEASED:
    released on the green channel without duty, and if `under_audit` or `flagged` a
    post-clearance audit is opened on it, and if `flagged` closed with a flag."""

    def _declare(
        trader=None,
        status=CUSTOMS_RELEASED,
        flow=EXPORT,
        flagged=False,
        under_audit=False,
        bill=None,
        value=DECLARED,
        currency=b"CNY",
    ):
        if trader is None:
            trader = exporter if flow == EXPORT else importer
        bill = bill or new_bill_of_lading()
        declaration_id = lodge(clearance, declarant, trader, flow, value, currency, bill)
        BILLS[declaration_id] = bill
        if status == CUSTOMS_LODGED:
            return declaration_id
        if status == CUSTOMS_REJECTED:
            reason = commitment(f"rejection {declaration_id}")
            clearance.reject(declaration_id, REJECTION_CODE, reason, {"from": customs})
            return declaration_id
        assert status == CUSTOMS_RELEASED, f"declare() cannot reach status {status}"
        release_on_green(clearance, customs, declaration_id)
        if under_audit or flagged:
            clearance.openAudit(declaration_id, {"from": customs})
        if flagged:
            findings = commitment(f"audit findings {declaration_id}")
            clearance.closeAudit(declaration_id, True, findings, {"from": customs})
        return declaration_id

    return _declare


@pytest.fixture(scope="module")
def export_declaration(declare):
    """The exporter's export declaration, released by customs at module start: bill of lading
    BILL (the one `ship` records and `present` names), 200,000.00 CNY."""
    return declare(bill=BILL)


@pytest.fixture
def doc_for(lc, carrier, t0):
    """doc_for(credit_id, declaration_id) -> the key of the declaration's bill of lading,
    recorded on the credit by its carrier (same vessel and voyage) if it is not yet."""

    def _doc_for(credit_id, declaration_id):
        bill = BILLS.get(declaration_id, BILL)
        key = bill_key(bill)
        if lc.shippedOnBoardOf(credit_id, key) == 0 and latest_time() >= t0 + DAY:
            number = document_number(bill)
            lc.recordTransportDocument(credit_id, number, t0 + DAY, VOYAGE, {"from": carrier})
        return key

    return _doc_for


@pytest.fixture
def present(lc, exporter, at, export_declaration, doc_for):
    """present(credit_id, amount=AMOUNT, when=None, by=exporter, ref=BL, decl=None): present
    the default documents; without `decl`, against the module's released export declaration."""

    def _present(credit_id, amount=AMOUNT, when=None, by=None, ref=None, decl=None):
        decl = export_declaration if decl is None else decl
        if ref is None:
            ref = doc_for(credit_id, decl)
        if when is not None:
            at(when)
        by = exporter if by is None else by
        return lc.present(credit_id, amount, ref, decl, DOCS, {"from": by})

    return _present


@pytest.fixture
def shipped(credit, ship):
    """The default credit with its B/L shipped on board at t0 + 1 day (a Tuesday)."""
    ship(credit)
    return credit


@pytest.fixture
def presented(shipped, present, t0):
    """The default credit, shipped, with documents presented at t0 + 3 days (Thursday 10:00);
    its examination deadline is the end of the following Thursday."""
    present(shipped, when=t0 + 3 * DAY)
    return shipped


@pytest.fixture
def state(lc, token, deployer, customs, pboc, gov, bocom, icbc, exporter, importer, carrier):
    """state(*credit_ids) -> everything observable, for no-state-change assertions."""
    watched = [deployer, customs, pboc, gov, bocom, icbc, exporter, importer, carrier]
    return lambda *ids: lc_state(lc, token, ids, watched)


@pytest.fixture
def pause(registry, customs, pboc, gov):
    """pause(): the alliance pauses the whole system by majority vote."""
    return lambda: pass_proposal(registry, PAUSE, b"", [customs, pboc, gov])
