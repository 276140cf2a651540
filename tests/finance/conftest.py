"""Trade-finance fixtures on top of tests/conftest.py.

Deployment (module scope): the real CustomsClearance (`clearance`, tests/conftest.py), a
BankingCalendar, LetterOfCredit and TradeFinance, both registered as system contracts (they hold
tokens). A third commercial bank, CCB (member 6, operator `ccb`), is bootstrapped next to BOCOM and
ICBC; `exporter2` and `exporter3` are further registered exporters. Each bank holds 5,000,000.00
CNY of eCNY and has approved both contracts; the importer holds 1,000,000.00 CNY; the importer
and the exporters have approved the finance contract (they repay through it). Every bank's
advance ratio is 80 % (its operator receives repayments).

- `export(value=VALUE, currency=CNY, trader=exporter)`: an export declaration taken to Released
  on the green channel (no duty), under a new bill of lading of the test carrier remembered in
  `bills` (declaration id -> B/L number); returns its id.
- `ask(declaration_id, bank=BOCOM_ID, number=None, inv=None, receivable=VALUE, due=None,
  by=exporter)`: a plain financing request (fresh invoice number and commitment unless given);
  returns the financing id.
- `offer(declaration_id, bank=ICBC_ID, ...)`: a FinancingRequest tuple for
  `financeWithSignature` (fresh invoice, half the value, due in 90 days, good for a day);
  `sign(request, signer=exporter)`: its EIP-712 signature.
- `shipped_credit`, `present`, `drawing`: a credit issued and shipped under the declaration's
  bill, a presentation against the declaration, a presentation honoured.
- `unchanged()`: a context manager asserting that nothing observable changed inside it.
- `pause()`, `unpause()`: the alliance-wide pause (and its end) by a vote of customs, pboc, gov
  and bocom.
"""

import itertools
from contextlib import contextmanager

import pytest

from eport.testing import party_address
from tests.credit.support import VOYAGE
from tests.finance.signing import sign_request
from tests.finance.support import (
    CCB_ID,
    CNY,
    DAY,
    DEFERRED,
    DOCS,
    MAX_UINT256,
    SIGHT,
    VALUE,
    finance_state,
    invoice,
    invoice_number,
    latest_time,
)
from tests.helpers import (
    BOCOM_ID,
    EXPORTER,
    ICBC_ID,
    KIND_COMMERCIAL_BANK,
    PAUSE,
    UNPAUSE,
    bill_key,
    digest,
    document_number,
    hexstr,
    new_bill_of_lading,
    pass_proposal,
    released_export,
)

BANK_FLOAT = 500_000_000
IMPORTER_FUNDS = 100_000_000
ADVANCE_RATIO = 8_000


@pytest.fixture(scope="module")
def ccb(newcomers):
    return newcomers[3]


@pytest.fixture(scope="module")
def exporter2(newcomers):
    return newcomers[1]


@pytest.fixture(scope="module")
def exporter3(newcomers):
    return newcomers[2]


@pytest.fixture(scope="module")
def calendar(BankingCalendar, registry, deployer):
    return BankingCalendar.deploy(registry, {"from": deployer})


@pytest.fixture(scope="module")
def lc(LetterOfCredit, LetterOfCreditTerms, registry, token, clearance, calendar, deployer):
    terms = LetterOfCreditTerms.deploy(registry, token, clearance, calendar, {"from": deployer})
    lc = LetterOfCredit.deploy(registry, token, clearance, calendar, terms, {"from": deployer})
    registry.bootstrapSystemContract(lc, True, {"from": deployer})
    return lc


@pytest.fixture(scope="module")
def finance(
    TradeFinance,
    registry,
    token,
    clearance,
    lc,
    deployer,
    customs,
    pboc,
    bocom,
    icbc,
    ccb,
    importer,
    exporter,
    exporter2,
    exporter3,
    outsider,
):
    finance = TradeFinance.deploy(registry, token, clearance, lc, {"from": deployer})
    registry.bootstrapSystemContract(finance, True, {"from": deployer})
    registry.bootstrapMember(
        KIND_COMMERCIAL_BANK, digest("China Construction Bank"), [ccb], {"from": deployer}
    )
    token.setIssuanceCap(CCB_ID, BANK_FLOAT, {"from": pboc})
    for account in (exporter2, exporter3):
        registry.registerParticipant(account, EXPORTER, {"from": customs})
    for bank in (bocom, icbc, ccb):
        token.mint(bank, BANK_FLOAT, digest(f"float {bank}"), {"from": bank})
        token.approve(finance, MAX_UINT256, {"from": bank})
        token.approve(lc, MAX_UINT256, {"from": bank})
        finance.setAdvanceRatio(ADVANCE_RATIO, {"from": bank})
    token.mint(importer, IMPORTER_FUNDS, digest("importer deposit"), {"from": bocom})
    for payer in (importer, exporter, exporter2, exporter3):
        token.approve(finance, MAX_UINT256, {"from": payer})
    return finance


@pytest.fixture(scope="module")
def bills():
    """declaration id -> the bill of lading number it was lodged with (by `export`)."""
    return {}


@pytest.fixture(scope="module")
def export(clearance, customs, declarant, exporter, bills):
    """export(value=VALUE, currency=CNY, trader=exporter) -> id of a Released export, shipped
    under a new bill of lading of the test carrier (kept in `bills`)."""

    def _export(value=VALUE, currency=CNY, trader=None):
        trader = exporter if trader is None else trader
        bill = new_bill_of_lading()
        declaration_id = released_export(
            clearance, customs, declarant, trader, value, currency, bill_of_lading=bill
        )
        bills[declaration_id] = bill
        return declaration_id

    return _export


_invoice_numbers = itertools.count(1)


def fresh_invoice_number() -> str:
    """An invoice number no test of this session has used (as ASCII bytes32 hex)."""
    return invoice_number(f"INV-{next(_invoice_numbers)}")


@pytest.fixture(scope="module")
def ask(finance, exporter, bocom):
    """ask(declaration_id, bank=BOCOM_ID, number=None, inv=None, receivable=VALUE, due=+90 days,
    by=exporter) -> financing id. A fresh invoice number and commitment unless given (`number`
    as text or bytes32 hex)."""

    def _request(
        declaration_id, bank=BOCOM_ID, number=None, inv=None, receivable=VALUE, due=None, by=None
    ):
        number = fresh_invoice_number() if number is None else _as_number(number)
        inv = invoice(f"ask {next(_invoice_numbers)}") if inv is None else inv
        due = latest_time() + 90 * DAY if due is None else due
        by = exporter if by is None else by
        tx = finance.requestFinancing(
            declaration_id, bank, number, inv, receivable, due, {"from": by}
        )
        return tx.return_value

    return _request


def _as_number(number) -> str:
    return number if str(number).startswith("0x") else invoice_number(number)


@pytest.fixture(scope="module")
def offer():
    """offer(declaration_id, bank=ICBC_ID, number=None, inv=None, receivable=VALUE,
    amount=VALUE // 2, due=+90 days, deadline=+1 day) -> (declarationId, bank, invoiceNumber,
    invoiceCommitment, receivable, amount, dueDate, deadline): a FinancingRequest, with a fresh
    invoice unless given."""

    def _offer(
        declaration_id,
        bank=ICBC_ID,
        number=None,
        inv=None,
        receivable=VALUE,
        amount=VALUE // 2,
        due=None,
        deadline=None,
    ):
        number = fresh_invoice_number() if number is None else _as_number(number)
        inv = invoice(f"signed {next(_invoice_numbers)}") if inv is None else inv
        due = latest_time() + 90 * DAY if due is None else due
        deadline = latest_time() + DAY if deadline is None else deadline
        return (declaration_id, bank, number, inv, receivable, amount, due, deadline)

    return _offer


@pytest.fixture(scope="module")
def sign(finance, exporter):
    """sign(request, signer=exporter) -> the signer's EIP-712 signature of `request`."""
    return lambda request, signer=None: sign_request(
        finance, exporter if signer is None else signer, request
    )


@pytest.fixture(scope="module")
def watched(
    deployer, customs, pboc, gov, bocom, icbc, ccb, exporter, exporter2, exporter3, importer
):
    return [
        deployer,
        customs,
        pboc,
        gov,
        bocom,
        icbc,
        ccb,
        exporter,
        exporter2,
        exporter3,
        importer,
    ]


@pytest.fixture(scope="module")
def unchanged(finance, token, clearance, watched):
    """unchanged(invoices=(), digests=()): asserts nothing observable changed inside the block
    (also the register entries of these invoice keys and signed-request digests)."""

    @contextmanager
    def _unchanged(invoices=(), digests=()):
        before = finance_state(finance, token, clearance, watched, invoices, digests)
        yield
        after = finance_state(finance, token, clearance, watched, invoices, digests)
        assert after == before, "a failed call changed state"

    return _unchanged


@pytest.fixture(scope="module")
def pause(registry, customs, pboc, gov, bocom, finance):
    # Six members (CCB included): a strict majority is four.
    return lambda: pass_proposal(registry, PAUSE, b"", [customs, pboc, gov, bocom])


@pytest.fixture(scope="module")
def unpause(registry, customs, pboc, gov, bocom, finance):
    """unpause(): the alliance lifts its pause (the same four votes)."""
    return lambda: pass_proposal(registry, UNPAUSE, b"", [customs, pboc, gov, bocom])


@pytest.fixture(scope="module")
def credit_terms(exporter):
    """credit_terms(amount, form=DEFERRED, tenor=30) -> applyForCredit terms: BOCOM issues,
    ICBC advises; exact amount (no tolerance), one drawing, shipment within 20 days."""

    def _terms(amount=VALUE, form=DEFERRED, tenor=30, beneficiary=None):
        now = latest_time()
        return (
            BOCOM_ID,
            ICBC_ID,
            0,
            str(exporter if beneficiary is None else beneficiary),
            amount,
            hexstr(CNY),
            0,
            False,
            form,
            0 if form == SIGHT else tenor,
            now + 20 * DAY,
            now + 60 * DAY,
            digest("documents required: invoice, packing list, bill of lading"),
            False,  # exactAmount: the Art. 30c shortfall allowed
            [party_address("carrier")],
        )

    return _terms


@pytest.fixture(scope="module")
def shipped_credit(lc, credit_terms, importer, bocom, carrier, bills):
    """shipped_credit(declaration_id, amount=VALUE, form=DEFERRED, tenor=30, beneficiary=
    exporter) -> credit id: a credit applied for and issued, and the declaration's bill of
    lading recorded by the carrier as shipped now (ready for a presentation against it)."""

    def _credit(declaration_id, amount=VALUE, form=DEFERRED, tenor=30, beneficiary=None):
        terms = credit_terms(amount, form, tenor, beneficiary)
        credit_id = lc.applyForCredit(terms, {"from": importer}).return_value
        lc.issue(credit_id, {"from": bocom})
        number = document_number(bills[declaration_id])
        lc.recordTransportDocument(credit_id, number, latest_time(), VOYAGE, {"from": carrier})
        return credit_id

    return _credit


@pytest.fixture(scope="module")
def present(lc, bills, exporter):
    """present(credit_id, declaration_id, amount, by=exporter) -> presentation id: the
    beneficiary presents the declaration's bill of lading and documents drawing `amount`."""

    def _present(credit_id, declaration_id, amount, by=None):
        transport_doc = bill_key(bills[declaration_id])
        sender = {"from": exporter if by is None else by}
        tx = lc.present(credit_id, amount, transport_doc, declaration_id, DOCS, sender)
        return tx.return_value

    return _present


@pytest.fixture(scope="module")
def drawing(lc, shipped_credit, present, bocom):
    """drawing(declaration_id, amount=VALUE, form=DEFERRED, tenor=30) -> (credit id, drawing
    id): a credit applied for, issued, shipped now, presented by the exporter against the
    declaration and honoured by BOCOM; a deferred drawing is payable to the exporter."""

    def _drawing(declaration_id, amount=VALUE, form=DEFERRED, tenor=30):
        credit_id = shipped_credit(declaration_id, amount, form, tenor)
        drawing_id = present(credit_id, declaration_id, amount)
        lc.honour(credit_id, drawing_id, {"from": bocom})
        return credit_id, drawing_id

    return _drawing
