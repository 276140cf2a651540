"""Whole documentary-credit flows, from application to the last fen.

Parties: the importer (applicant), BOCOM (issuing bank), ICBC (advising and confirming bank),
the exporter (beneficiary), the carrier, the declarant and customs (the real CustomsClearance,
which releases the export declaration). Amounts in fen; 100,000.00 CNY "about" unless stated.

These scenarios run on Anvil and, unchanged, on the Clique network (`--network eport-test`):
ids come from events (a live node gives no `tx.return_value`), balances are compared as
changes (tests there share one chain), every date is relative to the chain head, and nothing
sets the clock. A carrier records a shipment on board at a date already past, so presenting
"within 21 days of shipment" needs no waiting; a credit that must expire gets an expiry some
seconds after the chain head and the test waits for a block past it (`tests.helpers.wait_until`);
on a Shanghai weekend or holiday Art. 29a keeps it open to the end of the next banking day,
which Anvil jumps to and a live chain cannot wait for (there the release step is skipped).
Presentations go against the export declaration customs released at module start (a
re-presentation against a second one).

Two flows need days to pass, which a live chain cannot do: a deferred payment is paid at
maturity, whole days (`tenorDays`) after presentation, and a bank silent for five banking days
is precluded. The deferred scenario runs everywhere up to the honour with its maturity fixed
and settlement refused before it; its continuation to payment, and the precluded bank, are
`test_time_travel_*` tests that move Anvil's clock (the Clique stage deselects them with
`-k "not time_travel"`).
"""

import pytest

from tests.credit import ucp_model as ucp
from tests.credit.support import (
    AMOUNT,
    BL,
    BL_NUMBER,
    DAY,
    DEFERRED,
    DOCS,
    EX_HONOURED,
    HOLDING_PENDING_WAIVER,
    NOTICE,
    RETURNING,
    ST_EXPIRED,
    VOYAGE,
    terms,
)
from tests.helpers import digest, latest_time, reverts_with, wait_until

MAX = AMOUNT * 11 // 10
CORRECTED_DOCS = [digest("corrected commercial invoice"), DOCS[1], DOCS[2]]
# A short expiry, in seconds after the chain head, leaves room for the transactions a test
# makes before it: a second or two each on the Clique network, where the test then waits.
ROOM_PER_STEP = 8


def _open(lc, importer, bocom, exporter, **overrides):
    """A credit applied for by the importer (terms relative to the chain head, see
    support.terms) and issued by BOCOM; returns its id."""
    tx = lc.applyForCredit(terms(exporter, latest_time(), **overrides), {"from": importer})
    credit_id = tx.events["CreditApplied"]["id"]
    lc.issue(credit_id, {"from": bocom})
    return credit_id


def _ship(lc, carrier, credit_id, days_ago=1):
    """The carrier records the default B/L, shipped on board `days_ago` days before now."""
    shipped = latest_time() - days_ago * DAY
    lc.recordTransportDocument(credit_id, BL_NUMBER, shipped, VOYAGE, {"from": carrier})
    return shipped


def _wait_for_expiry(lc, credit_id):
    """Wait until presentation under the credit has closed: its expiry or, when the banks are
    closed on the expiry's Shanghai day, the end of the next banking day (Art. 29a). Anvil
    jumps there; a live chain can wait seconds, not a weekend, so on a closed day the rest of
    the scenario is skipped there."""
    closes = lc.presentationExpiry(credit_id)
    wait_until(
        closes, too_long="today is a closed banking day in Shanghai: Art. 29a extends the expiry"
    )


@pytest.fixture(scope="module")
def register(registry, deployer, newcomers):
    """An alliance system contract standing for TradeFinance, the register claims move into."""
    registry.bootstrapSystemContract(newcomers[3], True, {"from": deployer})
    return newcomers[3]


def _present(lc, exporter, credit_id, declaration_id, amount=AMOUNT, documents=DOCS):
    """The exporter presents the documents; returns (presentation id, transaction)."""
    tx = lc.present(credit_id, amount, BL, declaration_id, documents, {"from": exporter})
    return tx.events["DocumentsPresented"]["presentationId"], tx


def test_a_sight_credit_is_honoured(
    lc, token, export_declaration, importer, exporter, carrier, bocom, icbc
):
    bank_before = token.balanceOf(bocom)
    exporter_before = token.balanceOf(exporter)
    held_before = token.balanceOf(lc)
    expiry = latest_time() + 5 * ROOM_PER_STEP  # apply, issue, advise, ship and present first
    credit_id = _open(lc, importer, bocom, exporter, latestShipment=expiry, expiry=expiry)
    lc.advise(credit_id, {"from": icbc})
    _ship(lc, carrier, credit_id, days_ago=2)
    presentation_id, _ = _present(lc, exporter, credit_id, export_declaration, 10_400_000)

    lc.honour(credit_id, presentation_id, {"from": bocom})

    assert token.balanceOf(exporter) == exporter_before + 10_400_000
    assert lc.creditOf(credit_id)["escrow"] == MAX - 10_400_000
    _wait_for_expiry(lc, credit_id)
    lc.releaseExpired(credit_id, {"from": importer})
    assert token.balanceOf(bocom) == bank_before - 10_400_000
    assert token.balanceOf(lc) == held_before


def test_a_discrepant_presentation_is_waived_then_honoured(
    lc, token, export_declaration, importer, exporter, carrier, bocom
):
    exporter_before = token.balanceOf(exporter)
    credit_id = _open(lc, importer, bocom, exporter)
    _ship(lc, carrier, credit_id)
    presentation_id, _ = _present(lc, exporter, credit_id, export_declaration)
    tx = lc.refuse(
        credit_id, presentation_id, [12, 31], NOTICE, HOLDING_PENDING_WAIVER, {"from": bocom}
    )
    assert tx.events["PresentationRefused"]["disposal"] == HOLDING_PENDING_WAIVER

    lc.waive(credit_id, presentation_id, {"from": importer})
    lc.honour(credit_id, presentation_id, {"from": bocom})

    assert token.balanceOf(exporter) == exporter_before + AMOUNT
    assert lc.creditOf(credit_id)["exam"] == EX_HONOURED


def test_a_refused_presentation_is_re_presented_in_time_and_honoured(
    lc, token, export_declaration, declare, importer, exporter, carrier, bocom
):
    exporter_before = token.balanceOf(exporter)
    credit_id = _open(lc, importer, bocom, exporter)
    shipped = _ship(lc, carrier, credit_id, days_ago=19)
    first, _ = _present(lc, exporter, credit_id, export_declaration)
    lc.refuse(credit_id, first, [12], NOTICE, RETURNING, {"from": bocom})

    # Nineteen days after the shipment: still within the 21 days of UCP 600 Art. 14c.
    # The same goods: the refused documents went back, so their value is free again.
    second, tx = _present(lc, exporter, credit_id, export_declaration, documents=CORRECTED_DOCS)
    lc.honour(credit_id, second, {"from": bocom})

    assert 19 * DAY <= tx.timestamp - shipped < 21 * DAY
    assert tx.events["DocumentsPresented"]["documents"] == CORRECTED_DOCS
    assert token.balanceOf(exporter) == exporter_before + AMOUNT
    assert lc.creditOf(credit_id)["presentations"] == 2


def _deferred_discounted(
    lc, token, declaration_id, importer, exporter, carrier, bocom, icbc, register
):
    """A deferred-payment credit (90 days) whose documents BOCOM honoured, its maturity fixed
    90 days after presentation; ICBC then discounts the claim: it pays the exporter 98 % now,
    and the claim goes into the alliance's register (`register`, a system contract standing
    for TradeFinance: a claim is never sold outside it). Returns (credit id, drawing id,
    maturity)."""
    credit_id = _open(lc, importer, bocom, exporter, form=DEFERRED, tenorDays=90)
    _ship(lc, carrier, credit_id)
    drawing_id, tx = _present(lc, exporter, credit_id, declaration_id)
    lc.honour(credit_id, drawing_id, {"from": bocom})
    maturity = tx.timestamp + 90 * DAY
    assert tuple(lc.drawingOf(credit_id, drawing_id))[:4] == (exporter, AMOUNT, maturity, False)

    token.transfer(exporter, AMOUNT * 98 // 100, {"from": icbc})
    lc.transferClaim(credit_id, drawing_id, register, {"from": exporter})
    return credit_id, drawing_id, maturity


def test_a_deferred_payment_is_discounted_and_not_paid_before_maturity(
    lc, token, export_declaration, importer, exporter, carrier, bocom, icbc, outsider, register
):
    exporter_before = token.balanceOf(exporter)
    held_before = token.balanceOf(lc)

    credit_id, drawing_id, maturity = _deferred_discounted(
        lc, token, export_declaration, importer, exporter, carrier, bocom, icbc, register
    )

    assert tuple(lc.drawingOf(credit_id, drawing_id))[:4] == (register, AMOUNT, maturity, False)
    assert token.balanceOf(exporter) == exporter_before + AMOUNT * 98 // 100
    assert token.balanceOf(lc) == held_before + MAX  # the drawing and the undrawn rest
    with reverts_with("LetterOfCreditNotMature", credit_id, drawing_id, maturity):
        lc.settleAtMaturity(credit_id, drawing_id, {"from": outsider})


@pytest.mark.timetravel
def test_time_travel_a_deferred_payment_is_discounted_and_paid_at_maturity(
    lc,
    token,
    export_declaration,
    importer,
    exporter,
    carrier,
    bocom,
    icbc,
    outsider,
    at,
    register,
):
    exporter_before = token.balanceOf(exporter)
    held_before = token.balanceOf(lc)
    credit_id, drawing_id, maturity = _deferred_discounted(
        lc, token, export_declaration, importer, exporter, carrier, bocom, icbc, register
    )
    register_before = token.balanceOf(register)
    at(lc.presentationExpiry(credit_id) + 1)  # Art. 29a: past a closed expiry day too
    lc.releaseExpired(credit_id, {"from": outsider})
    at(maturity)

    lc.settleAtMaturity(credit_id, drawing_id, {"from": outsider})

    assert token.balanceOf(register) == register_before + AMOUNT
    assert token.balanceOf(exporter) == exporter_before + AMOUNT * 98 // 100
    assert lc.drawingOf(credit_id, drawing_id)[3] is True
    assert token.balanceOf(lc) == held_before


def test_an_accepted_amendment_raises_the_credit_and_extends_it(
    lc, token, export_declaration, importer, exporter, carrier, bocom, icbc
):
    exporter_before = token.balanceOf(exporter)
    held_before = token.balanceOf(lc)
    now = latest_time()
    latest_shipment = now + ROOM_PER_STEP  # passes while the amendment is agreed
    credit_id = _open(lc, importer, bocom, exporter, latestShipment=latest_shipment)
    lc.confirm(credit_id, {"from": icbc})
    tx = lc.proposeAmendment(
        credit_id, 15_000_000, 0, now + 45 * DAY, now + 90 * DAY, digest("amended"), {"from": bocom}
    )
    amendment_id = tx.events["AmendmentProposed"]["amendmentId"]
    lc.agreeAmendment(credit_id, amendment_id, {"from": icbc})
    lc.acceptAmendment(credit_id, amendment_id, {"from": exporter})
    # Shipped after the original latest shipment date, which only the amendment allows.
    wait_until(latest_shipment)
    lc.recordTransportDocument(credit_id, BL_NUMBER, latest_shipment + 1, VOYAGE, {"from": carrier})

    presentation_id, _ = _present(lc, exporter, credit_id, export_declaration, 15_000_000)
    lc.honour(credit_id, presentation_id, {"from": icbc})

    assert token.balanceOf(exporter) == exporter_before + 15_000_000
    assert lc.creditOf(credit_id)["escrow"] == 0
    assert token.balanceOf(lc) == held_before


def test_a_credit_expires_unused_and_the_bank_gets_its_escrow_back(
    lc, token, importer, exporter, bocom, outsider
):
    bank_start = token.balanceOf(bocom)
    expiry = latest_time() + 2 * ROOM_PER_STEP  # apply and issue first
    credit_id = _open(lc, importer, bocom, exporter, latestShipment=expiry, expiry=expiry)
    assert token.balanceOf(bocom) == bank_start - MAX
    _wait_for_expiry(lc, credit_id)

    lc.releaseExpired(credit_id, {"from": outsider})

    assert token.balanceOf(bocom) == bank_start
    assert lc.creditOf(credit_id)["status"] == ST_EXPIRED


@pytest.mark.timetravel
def test_time_travel_a_silent_bank_is_precluded_and_the_beneficiary_is_paid(
    lc, token, export_declaration, importer, exporter, carrier, bocom, at
):
    exporter_before = token.balanceOf(exporter)
    credit_id = _open(lc, importer, bocom, exporter)
    _ship(lc, carrier, credit_id)
    presentation_id, tx = _present(lc, exporter, credit_id, export_declaration)
    at(ucp.Calendar().examination_deadline(tx.timestamp) + 1)

    lc.claimPrecluded(credit_id, presentation_id, {"from": exporter})

    assert token.balanceOf(exporter) == exporter_before + AMOUNT
