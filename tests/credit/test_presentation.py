"""Recording transport documents and presenting documents under a credit."""

import pytest

from tests.credit.support import (
    AMOUNT,
    BL,
    BL2,
    BL2_NUMBER,
    BL_NUMBER,
    DAY,
    DOCS,
    EX_PRESENTED,
    ST_APPLIED,
    VOYAGE,
)
from tests.helpers import CUSTOMS_LODGED, CUSTOMS_REJECTED, IMPORT, document_number, reverts_with

ZERO32 = "0x" + "00" * 32


# ----------------------------------------------------------------- transport documents
def test_the_carrier_records_a_transport_document(lc, credit, carrier, at, t0):
    at(t0 + DAY + 3600)

    tx = lc.recordTransportDocument(credit, BL_NUMBER, t0 + DAY, VOYAGE, {"from": carrier})

    assert lc.shippedOnBoardOf(credit, BL) == t0 + DAY
    assert lc.creditOf(credit)["voyage"] != 0
    assert tx.events["TransportDocumentRecorded"] == {
        "id": credit,
        "transportDoc": BL,
        "carrier": carrier,
        "shippedOnBoard": t0 + DAY,
    }


@pytest.mark.parametrize("who", ["exporter", "importer", "bocom", "customs", "outsider"])
def test_only_a_carrier_may_record_a_transport_document(lc, credit, state, who, request, at, t0):
    account = request.getfixturevalue(who)
    at(t0 + DAY)
    before = state(credit)

    with reverts_with("LetterOfCreditNotCarrier", account):
        lc.recordTransportDocument(credit, BL_NUMBER, t0 + DAY, VOYAGE, {"from": account})

    assert state(credit) == before


def test_no_transport_document_before_issuance(lc, apply_credit, carrier, state, at, t0):
    credit_id = apply_credit()
    at(t0 + DAY)
    before = state(credit_id)

    with reverts_with("LetterOfCreditWrongStatus", credit_id, ST_APPLIED):
        lc.recordTransportDocument(credit_id, BL_NUMBER, t0 + DAY, VOYAGE, {"from": carrier})

    assert state(credit_id) == before


def test_a_transport_document_needs_a_reference(lc, credit, carrier, state, at, t0):
    at(t0 + DAY)
    before = state(credit)

    with reverts_with("DocumentKeysEmptyNumber"):
        lc.recordTransportDocument(credit, ZERO32, t0 + DAY, VOYAGE, {"from": carrier})

    assert state(credit) == before


def test_a_transport_document_is_recorded_once(lc, shipped, carrier, state, t0):
    before = state(shipped)

    with reverts_with("LetterOfCreditTransportDocumentExists", shipped):
        lc.recordTransportDocument(shipped, BL_NUMBER, t0 + DAY, VOYAGE, {"from": carrier})

    assert state(shipped) == before


def test_a_shipment_date_cannot_be_zero(lc, credit, carrier, state, t0):
    before = state(credit)

    with reverts_with("LetterOfCreditBadDates", 0, t0 + 20 * DAY):
        lc.recordTransportDocument(credit, BL_NUMBER, 0, VOYAGE, {"from": carrier})

    assert state(credit) == before


def test_a_shipment_date_cannot_be_in_the_future(lc, credit, carrier, state, at, t0):
    at(t0 + DAY)
    before = state(credit)

    with reverts_with("LetterOfCreditShipmentInFuture", t0 + DAY + 1, t0 + DAY):
        lc.recordTransportDocument(credit, BL_NUMBER, t0 + DAY + 1, VOYAGE, {"from": carrier})

    assert state(credit) == before


def test_shipment_on_the_latest_shipment_date_is_accepted(lc, credit, carrier, at, t0):
    latest = t0 + 20 * DAY
    at(latest)

    lc.recordTransportDocument(credit, BL_NUMBER, latest, VOYAGE, {"from": carrier})

    assert lc.shippedOnBoardOf(credit, BL) == latest


def test_shipment_after_the_latest_shipment_date_is_refused(lc, credit, carrier, state, at, t0):
    latest = t0 + 20 * DAY
    at(latest + 1)
    before = state(credit)

    with reverts_with("LetterOfCreditLateShipment", credit, latest + 1, latest):
        lc.recordTransportDocument(credit, BL_NUMBER, latest + 1, VOYAGE, {"from": carrier})

    assert state(credit) == before


def test_no_second_shipment_when_partial_shipments_are_forbidden(lc, shipped, carrier, state, t0):
    before = state(shipped)
    other_voyage = document_number("MSC ANNA 246E")

    with reverts_with("LetterOfCreditPartialShipmentNotAllowed", shipped):
        lc.recordTransportDocument(shipped, BL2_NUMBER, t0 + DAY, other_voyage, {"from": carrier})

    assert state(shipped) == before


def test_partial_shipments_are_recorded_when_allowed(lc, open_credit, ship, t0):
    credit_id = open_credit(partialAllowed=True)

    ship(credit_id, BL_NUMBER, on=t0 + DAY)
    ship(credit_id, BL2_NUMBER, on=t0 + 2 * DAY, voyage=document_number("MSC ANNA 246E"))

    assert lc.shippedOnBoardOf(credit_id, BL) == t0 + DAY
    assert lc.shippedOnBoardOf(credit_id, BL2) == t0 + 2 * DAY


# ------------------------------------------------------------------------ presentation
def test_the_beneficiary_presents_documents(lc, shipped, exporter, declare, doc_for, at, t0):
    decl = declare(bill="COSU-6301-P")
    ref = doc_for(shipped, decl)
    at(t0 + 3 * DAY)

    tx = lc.present(shipped, AMOUNT, ref, decl, DOCS, {"from": exporter})

    assert tx.return_value == 1
    c = lc.creditOf(shipped)
    assert (c["presentations"], c["presentedAt"], c["presentedAmount"]) == (1, t0 + 3 * DAY, AMOUNT)
    assert (c["exam"], c["byNominatedBank"]) == (EX_PRESENTED, False)
    event = tx.events["DocumentsPresented"]
    assert dict(event) == {
        "id": shipped,
        "presentationId": 1,
        "presenter": exporter,
        "amount": AMOUNT,
        "transportDoc": ref,
        "declarationId": decl,
        "documents": DOCS,
    }


@pytest.mark.parametrize("nominated", ["advising", "confirming"])
def test_a_nominated_bank_presents_for_the_beneficiary(
    lc, open_credit, ship, present, icbc, nominated
):
    no_bank = {"advising": "confirmingBank", "confirming": "advisingBank"}[nominated]
    credit_id = open_credit(**{no_bank: 0})
    ship(credit_id)

    present(credit_id, by=icbc)

    c = lc.creditOf(credit_id)
    assert (c["byNominatedBank"], c["presenter"]) == (True, icbc)


@pytest.mark.parametrize("who", ["importer", "bocom", "carrier", "pboc", "outsider"])
def test_only_the_beneficiary_or_a_nominated_bank_may_present(
    lc, shipped, declare, state, who, request
):
    account = request.getfixturevalue(who)
    decl = declare()
    before = state(shipped)

    with reverts_with("LetterOfCreditNotPresenter", shipped, account):
        lc.present(shipped, AMOUNT, BL, decl, DOCS, {"from": account})

    assert state(shipped) == before


def test_a_bank_not_named_in_the_credit_may_not_present(
    lc, open_credit, ship, declare, icbc, state
):
    credit_id = open_credit(advisingBank=0, confirmingBank=0)
    ship(credit_id)
    decl = declare()
    before = state(credit_id)

    with reverts_with("LetterOfCreditNotPresenter", credit_id, icbc):
        lc.present(credit_id, AMOUNT, BL, decl, DOCS, {"from": icbc})

    assert state(credit_id) == before


def test_a_suspended_beneficiary_may_not_present(
    lc, registry, customs, shipped, exporter, declare, state
):
    decl = declare()
    registry.suspendParticipant(exporter, {"from": customs})
    before = state(shipped)

    with reverts_with("LetterOfCreditNotExporter", exporter):
        lc.present(shipped, AMOUNT, BL, decl, DOCS, {"from": exporter})

    assert state(shipped) == before


def test_nothing_is_presented_under_an_application(lc, apply_credit, exporter, declare, state):
    credit_id = apply_credit()
    decl = declare()
    before = state(credit_id)

    with reverts_with("LetterOfCreditWrongStatus", credit_id, ST_APPLIED):
        lc.present(credit_id, AMOUNT, BL, decl, DOCS, {"from": exporter})

    assert state(credit_id) == before


def test_one_presentation_is_examined_at_a_time(lc, presented, exporter, state):
    before = state(presented)

    with reverts_with("LetterOfCreditUnderExamination", presented, 1):
        lc.present(presented, AMOUNT, BL, 1, DOCS, {"from": exporter})

    assert state(presented) == before


def test_a_presentation_lists_its_documents(lc, shipped, exporter, declare, state):
    decl = declare()
    before = state(shipped)

    with reverts_with("LetterOfCreditMissingCommitment"):
        lc.present(shipped, AMOUNT, BL, decl, [], {"from": exporter})

    assert state(shipped) == before


def test_a_presentation_names_a_recorded_transport_document(lc, shipped, exporter, declare, state):
    decl = declare()
    before = state(shipped)

    with reverts_with("LetterOfCreditUnknownTransportDocument", shipped):
        lc.present(shipped, AMOUNT, BL2, decl, DOCS, {"from": exporter})

    assert state(shipped) == before


def test_a_presentation_draws_something(lc, shipped, exporter, declare, state):
    decl = declare()
    before = state(shipped)

    with reverts_with("LetterOfCreditZeroAmount"):
        lc.present(shipped, 0, BL, decl, DOCS, {"from": exporter})

    assert state(shipped) == before


def test_partial_drawings_add_up_to_the_maximum(lc, open_credit, ship, present, bocom):
    credit_id = open_credit(partialAllowed=True)
    ship(credit_id)
    present(credit_id, 6_000_000)
    lc.honour(credit_id, 1, {"from": bocom})

    present(credit_id, 5_000_000)

    assert lc.creditOf(credit_id)["presentedAmount"] == 5_000_000


def test_partial_drawings_beyond_the_maximum_are_refused(
    lc, open_credit, ship, present, bocom, state
):
    credit_id = open_credit(partialAllowed=True)
    ship(credit_id)
    present(credit_id, 6_000_000)
    lc.honour(credit_id, 1, {"from": bocom})
    before = state(credit_id)

    with reverts_with("LetterOfCreditOverdrawn", credit_id, 5_000_001, 5_000_000):
        present(credit_id, 5_000_001)

    assert state(credit_id) == before


def test_a_second_drawing_is_refused_when_partial_drawings_are_forbidden(
    lc, open_credit, ship, present, bocom, state
):
    credit_id = open_credit(partialAllowed=False)
    ship(credit_id)
    present(credit_id, 9_000_000)
    lc.honour(credit_id, 1, {"from": bocom})
    before = state(credit_id)

    with reverts_with("LetterOfCreditPartialDrawingNotAllowed", credit_id):
        present(credit_id, 1_000_000)

    assert state(credit_id) == before


def test_a_single_drawing_below_the_tolerance_is_refused(lc, shipped, present, state):
    before = state(shipped)

    with reverts_with("LetterOfCreditOutsideTolerance", shipped, 8_999_999, 9_000_000, 11_000_000):
        present(shipped, 8_999_999)

    assert state(shipped) == before


def test_the_lowest_single_drawing_within_the_tolerance_is_accepted(lc, shipped, present):
    present(shipped, 9_000_000)

    assert lc.creditOf(shipped)["presentedAmount"] == 9_000_000


def test_without_tolerance_a_single_drawing_may_be_up_to_5_percent_short(
    lc, open_credit, ship, present, state
):
    """Art. 30c: with partial drawings forbidden and no tolerance stated, a single drawing
    may be up to 5 % short of the amount (before, only the exact amount was accepted), never
    above it."""
    credit_id = open_credit(toleranceBp=0)
    ship(credit_id)
    before = state(credit_id)
    low = AMOUNT * 95 // 100

    with reverts_with("LetterOfCreditOutsideTolerance", credit_id, low - 1, low, AMOUNT):
        present(credit_id, low - 1)
    with reverts_with("LetterOfCreditOutsideTolerance", credit_id, AMOUNT + 1, AMOUNT, AMOUNT):
        present(credit_id, AMOUNT + 1)

    assert state(credit_id) == before
    present(credit_id, low)
    assert lc.creditOf(credit_id)["presentedAmount"] == low


def test_a_stated_tolerance_replaces_the_5_percent_shortfall(lc, open_credit, ship, present):
    credit_id = open_credit(toleranceBp=100)  # +/- 1 %: Art. 30c does not apply
    ship(credit_id)

    with reverts_with("LetterOfCreditOutsideTolerance", credit_id, 9_899_999, 9_900_000):
        present(credit_id, 9_899_999)

    present(credit_id, 9_900_000)


def test_a_credit_that_excludes_the_shortfall_takes_only_the_exact_amount(
    lc, open_credit, ship, present, state
):
    credit_id = open_credit(toleranceBp=0, exactAmount=True)
    ship(credit_id)
    before = state(credit_id)
    assert lc.creditOf(credit_id)["exactAmount"]

    with reverts_with("LetterOfCreditOutsideTolerance", credit_id, AMOUNT - 1, AMOUNT, AMOUNT):
        present(credit_id, AMOUNT - 1)
    with reverts_with("LetterOfCreditOutsideTolerance", credit_id, AMOUNT + 1, AMOUNT, AMOUNT):
        present(credit_id, AMOUNT + 1)

    assert state(credit_id) == before
    present(credit_id, AMOUNT)


# ------------------------------------------------------------------ export declaration
def test_an_unknown_declaration_is_refused(lc, clearance, shipped, exporter, state):
    unknown = clearance.declarationCount() + 1  # customs has not numbered it yet
    before = state(shipped)

    with reverts_with("LetterOfCreditUnknownDeclaration", unknown):
        lc.present(shipped, AMOUNT, BL, unknown, DOCS, {"from": exporter})

    assert state(shipped) == before


@pytest.mark.parametrize("status", [CUSTOMS_LODGED, CUSTOMS_REJECTED])
def test_a_declaration_not_released_by_customs_is_refused(
    lc, shipped, present, state, status, declare
):
    decl = declare(status=status)
    before = state(shipped)

    with reverts_with("LetterOfCreditDeclarationNotReleased", decl, status):
        present(shipped, decl=decl)

    assert state(shipped) == before


def test_a_declaration_flagged_by_an_audit_is_refused(lc, shipped, present, declare, state):
    decl = declare(flagged=True)
    before = state(shipped)

    with reverts_with("LetterOfCreditDeclarationFlagged", decl):
        present(shipped, decl=decl)

    assert state(shipped) == before


def test_an_import_declaration_is_refused(lc, shipped, present, declare, state):
    decl = declare(flow=IMPORT)
    before = state(shipped)

    with reverts_with("LetterOfCreditDeclarationNotExport", decl):
        present(shipped, decl=decl)

    assert state(shipped) == before


def test_a_declaration_by_another_exporter_is_refused(
    lc, shipped, present, declare, other_exporter, state
):
    decl = declare(trader=other_exporter)
    before = state(shipped)

    with reverts_with("LetterOfCreditDeclarationTraderMismatch", decl, other_exporter):
        present(shipped, decl=decl)

    assert state(shipped) == before


def test_a_released_declaration_under_open_audit_is_accepted(lc, shipped, present, declare):
    decl = declare(under_audit=True)

    present(shipped, decl=decl)

    assert lc.creditOf(shipped)["exam"] == EX_PRESENTED
