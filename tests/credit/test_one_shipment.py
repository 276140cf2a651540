"""One shipment, one use, on the credit side: each test is an attack that now fails.

The fraudster's tools: a second credit on the same goods, another declaration's bill of lading,
a rogue or friendly carrier, a claim sold outside the register. Each attack reverts with a
named error and changes nothing (the credits, the token balances and customs' register); the
honest path beside it still works.
"""

import pytest

from tests.credit.support import (
    AMOUNT,
    BL,
    BL_NUMBER,
    DAY,
    DEFERRED,
    DOCS,
    EX_REFUSED,
    NOTICE,
    RETURNING,
    VOYAGE,
)
from tests.helpers import bill_key, document_number, reverts_with

HOLD = 1  # Disposal.HoldingPendingWaiver


@pytest.fixture
def consumed(clearance):
    """consumed(declaration_id) -> what customs' register says is used of its value."""
    return lambda declaration_id: clearance.summaryOf(declaration_id)["consumed"]


@pytest.fixture
def goods(declare, open_credit, ship, t0):
    """goods(value, bill) -> (declaration, credit): a released export of `value` under
    `bill` and an issued credit whose named carrier recorded that bill."""

    def _goods(value=AMOUNT, bill="COSU-9100001", **terms):
        declaration = declare(bill=bill, value=value)
        credit = open_credit(**terms)
        ship(credit, ref=document_number(bill))
        return declaration, credit

    return _goods


def test_a_second_credit_cannot_draw_on_goods_a_first_credit_used(
    lc, goods, open_credit, ship, present, state, consumed, t0
):
    declaration, first = goods(AMOUNT, "COSU-9100001")
    second = open_credit()
    ship(second, ref=document_number("COSU-9100001"))
    present(first, AMOUNT, when=t0 + 2 * DAY, ref=bill_key("COSU-9100001"), decl=declaration)
    before = state(first, second)

    with reverts_with("CustomsValueExhausted", declaration, AMOUNT, 0):
        present(second, AMOUNT, ref=bill_key("COSU-9100001"), decl=declaration)

    assert state(first, second) == before
    assert consumed(declaration) == AMOUNT


def test_two_partial_presentations_never_use_more_than_the_declared_value(
    lc, goods, present, bocom, state, consumed, t0
):
    declaration, credit = goods(AMOUNT, "COSU-9100002", partialAllowed=True)
    present(credit, 6_000_000, when=t0 + 2 * DAY, ref=bill_key("COSU-9100002"), decl=declaration)
    lc.honour(credit, 1, {"from": bocom})
    before = state(credit)

    # The credit allows 110,000.00 in all ("about"), the goods are worth 100,000.00.
    with reverts_with("CustomsValueExhausted", declaration, 5_000_000, 4_000_000):
        present(credit, 5_000_000, ref=bill_key("COSU-9100002"), decl=declaration)

    assert state(credit) == before
    present(credit, 4_000_000, ref=bill_key("COSU-9100002"), decl=declaration)
    assert consumed(declaration) == AMOUNT


def test_a_presentation_cannot_name_another_declarations_bill_of_lading(
    lc, goods, declare, present, state, consumed, t0
):
    declaration, credit = goods(AMOUNT, "COSU-9100003")
    unrelated = declare(bill="COSU-9100004")
    before = state(credit)

    # (its second argument, the key, is a bytes32 Brownie prints raw)
    with reverts_with("CustomsTransportDocumentMismatch", unrelated):
        present(credit, when=t0 + 2 * DAY, ref=bill_key("COSU-9100003"), decl=unrelated)

    assert state(credit) == before
    assert consumed(unrelated) == 0 and consumed(declaration) == 0


def test_a_presentation_against_a_foreign_currency_declaration_is_refused(
    lc, declare, open_credit, ship, present, state, t0
):
    declaration = declare(bill="COSU-9100005", currency=b"USD")
    credit = open_credit()
    ship(credit, ref=document_number("COSU-9100005"))
    before = state(credit)

    with reverts_with("LetterOfCreditDeclarationCurrencyMismatch", declaration):
        present(credit, when=t0 + 2 * DAY, ref=bill_key("COSU-9100005"), decl=declaration)

    assert state(credit) == before


def test_documents_returned_after_a_refusal_give_the_value_back(
    lc, goods, open_credit, ship, present, bocom, consumed, t0
):
    declaration, first = goods(AMOUNT, "COSU-9100006")
    present(first, AMOUNT, when=t0 + 2 * DAY, ref=bill_key("COSU-9100006"), decl=declaration)
    assert consumed(declaration) == AMOUNT

    lc.refuse(first, 1, [12], NOTICE, RETURNING, {"from": bocom})

    assert consumed(declaration) == 0
    second = open_credit()
    ship(second, ref=document_number("COSU-9100006"))
    present(second, AMOUNT, ref=bill_key("COSU-9100006"), decl=declaration)
    assert consumed(declaration) == AMOUNT


def test_a_new_presentation_replaces_what_a_held_refused_one_used(
    lc, goods, present, bocom, consumed, t0
):
    declaration, credit = goods(AMOUNT, "COSU-9100007")
    present(credit, AMOUNT, when=t0 + 2 * DAY, ref=bill_key("COSU-9100007"), decl=declaration)
    lc.refuse(credit, 1, [12], NOTICE, HOLD, {"from": bocom})
    assert lc.creditOf(credit)["exam"] == EX_REFUSED and consumed(declaration) == AMOUNT

    present(credit, 9_500_000, ref=bill_key("COSU-9100007"), decl=declaration)

    assert consumed(declaration) == 9_500_000


def test_declining_a_waiver_gives_the_value_back(lc, goods, present, bocom, importer, consumed, t0):
    declaration, credit = goods(AMOUNT, "COSU-9100008")
    present(credit, AMOUNT, when=t0 + 2 * DAY, ref=bill_key("COSU-9100008"), decl=declaration)
    lc.refuse(credit, 1, [12], NOTICE, HOLD, {"from": bocom})
    lc.waive(credit, 1, {"from": importer})

    lc.declineWaiver(credit, 1, {"from": bocom})

    assert consumed(declaration) == 0


# ------------------------------------------------------------------- separation of duties
def test_a_rogue_carrier_cannot_record_on_a_credit_that_does_not_name_it(
    lc, credit, registry, customs, newcomers, ship, state, at, t0
):
    rogue = newcomers[2]
    registry.registerParticipant(rogue, 4, {"from": customs})  # a registered CARRIER
    at(t0 + DAY)
    before = state(credit)

    with reverts_with("LetterOfCreditNotNamedCarrier", credit, rogue):
        lc.recordTransportDocument(credit, BL_NUMBER, t0 + DAY, VOYAGE, {"from": rogue})

    assert state(credit) == before
    ship(credit)  # the named carrier is not locked out
    assert lc.shippedOnBoardOf(credit, BL) == t0 + DAY


@pytest.mark.parametrize("who", ["beneficiary", "applicant", "zero"])
def test_a_party_to_the_credit_cannot_be_its_carrier(
    lc, apply_credit, exporter, importer, who, state
):
    carrier = {"beneficiary": exporter, "applicant": importer, "zero": "0x" + "00" * 20}[who]
    before = state()

    with reverts_with("LetterOfCreditBadCarrier", carrier):
        apply_credit(carriers=[str(carrier)])

    assert state() == before


@pytest.mark.parametrize("count", [0, 5])
def test_a_credit_names_one_to_four_carriers(apply_credit, newcomers, count, state):
    before = state()

    with reverts_with("LetterOfCreditBadCarrierCount", count):
        apply_credit(carriers=[str(a) for a in (list(newcomers) * 2)[:count]])

    assert state() == before


def test_a_beneficiary_holding_the_carrier_role_cannot_record_its_own_shipment(
    lc, credit, registry, customs, exporter, state, at, t0
):
    at(t0 + DAY)
    before = state(credit)

    # The exporter is no carrier of this credit, whatever roles it holds.
    with reverts_with("LetterOfCreditNotCarrier", exporter):
        lc.recordTransportDocument(credit, BL_NUMBER, t0 + DAY, VOYAGE, {"from": exporter})

    assert state(credit) == before


def test_more_bills_for_the_same_voyage_are_one_shipment(lc, credit, ship, state, t0):
    ship(credit)

    ship(credit, ref=document_number("COSU-6301-B"), voyage=VOYAGE)

    before = state(credit)
    with reverts_with("LetterOfCreditPartialShipmentNotAllowed", credit):
        ship(credit, ref=document_number("COSU-6301-C"), voyage=document_number("MSC ANNA 246E"))
    assert state(credit) == before


# ---------------------------------------------------------------- claims stay registered
@pytest.fixture
def claim(lc, goods, present, bocom, t0):
    """A 90-day deferred credit honoured: drawing 1 is the exporter's claim."""
    declaration, credit = goods(AMOUNT, "COSU-9100009", form=DEFERRED, tenorDays=90)
    present(credit, AMOUNT, when=t0 + 2 * DAY, ref=bill_key("COSU-9100009"), decl=declaration)
    lc.honour(credit, 1, {"from": bocom})
    return credit


def test_a_claim_cannot_be_sold_to_a_bank_outside_the_register(lc, claim, exporter, icbc, state):
    before = state(claim)

    with reverts_with("LetterOfCreditBadPayee", icbc):
        lc.transferClaim(claim, 1, icbc, {"from": exporter})

    assert state(claim) == before


def test_a_claim_moves_into_a_system_contract_and_back(
    lc, claim, exporter, registry, deployer, newcomers
):
    register = newcomers[3]  # stands in for TradeFinance: an alliance system contract
    registry.bootstrapSystemContract(register, True, {"from": deployer})

    lc.transferClaim(claim, 1, register, {"from": exporter})
    assert lc.drawingOf(claim, 1)[0] == register

    lc.transferClaim(claim, 1, exporter, {"from": register})
    assert lc.drawingOf(claim, 1)[0] == exporter


def test_a_suspended_beneficiary_cannot_move_its_claim(
    lc, claim, exporter, registry, customs, deployer, newcomers, state
):
    registry.bootstrapSystemContract(newcomers[3], True, {"from": deployer})
    registry.suspendParticipant(exporter, {"from": customs})
    before = state(claim)

    with reverts_with("LetterOfCreditNotExporter", exporter):
        lc.transferClaim(claim, 1, newcomers[3], {"from": exporter})

    assert state(claim) == before


def test_a_frozen_beneficiary_cannot_move_its_claim(
    lc, claim, exporter, token, pboc, deployer, registry, newcomers, state
):
    registry.bootstrapSystemContract(newcomers[3], True, {"from": deployer})
    token.freeze(exporter, DOCS[0], {"from": pboc})
    before = state(claim)

    with reverts_with("LetterOfCreditPayeeFrozen", exporter):
        lc.transferClaim(claim, 1, newcomers[3], {"from": exporter})

    assert state(claim) == before


def test_the_drawing_names_the_declaration_it_was_presented_against(lc, claim, clearance):
    payee, amount, maturity, settled, declaration = lc.drawingOf(claim, 1)

    assert clearance.summaryOf(declaration)["consumed"] == amount == AMOUNT
