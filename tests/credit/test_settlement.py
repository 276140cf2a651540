"""Deferred payment and acceptance at maturity, claim transfer, and release at expiry."""

import pytest

from tests.credit.support import (
    ACCEPTANCE,
    AMOUNT,
    DAY,
    DEFERRED,
    EX_HONOURED,
    NOTICE,
    RETURNING,
    ST_APPLIED,
    ST_EXPIRED,
)
from tests.helpers import (
    BOCOM_ID,
    REPLACE_OPERATOR,
    pass_proposal,
    replace_operator_data,
    reverts_with,
)

MAX = AMOUNT * 11 // 10
TENOR = 90
ZERO_ADDRESS = "0x" + "00" * 20


@pytest.fixture
def deferred(lc, open_credit, ship, present, bocom, t0):
    """A 90-day deferred-payment credit, presented at t0 + 3 days and honoured."""
    credit_id = open_credit(form=DEFERRED, tenorDays=TENOR)
    ship(credit_id)
    present(credit_id, when=t0 + 3 * DAY)
    lc.honour(credit_id, 1, {"from": bocom})
    return credit_id


@pytest.fixture
def maturity(t0):
    return t0 + 3 * DAY + TENOR * DAY


# ---------------------------------------------------------------------------- maturity
@pytest.mark.parametrize("form", [DEFERRED, ACCEPTANCE])
def test_a_usance_drawing_is_fixed_at_honour_and_not_paid_yet(
    lc, token, open_credit, ship, present, bocom, exporter, t0, form
):
    credit_id = open_credit(form=form, tenorDays=TENOR)
    ship(credit_id)
    present(credit_id, when=t0 + 3 * DAY)

    tx = lc.honour(credit_id, 1, {"from": bocom})

    maturity = t0 + 3 * DAY + TENOR * DAY
    assert tuple(lc.drawingOf(credit_id, 1))[:4] == (exporter, AMOUNT, maturity, False)
    assert tx.events["PresentationHonoured"]["maturity"] == maturity
    assert token.balanceOf(exporter) == 0
    c = lc.creditOf(credit_id)
    assert (c["exam"], c["drawn"], c["escrow"]) == (EX_HONOURED, AMOUNT, MAX)


def test_anyone_settles_a_drawing_at_maturity(
    lc, token, deferred, exporter, outsider, maturity, at
):
    at(maturity)

    tx = lc.settleAtMaturity(deferred, 1, {"from": outsider})

    assert token.balanceOf(exporter) == AMOUNT
    assert lc.drawingOf(deferred, 1)[3] is True
    assert lc.creditOf(deferred)["escrow"] == MAX - AMOUNT
    assert tx.events["DrawingSettled"] == {
        "id": deferred,
        "drawingId": 1,
        "payee": exporter,
        "amount": AMOUNT,
    }


def test_a_drawing_is_not_settled_before_maturity(lc, deferred, outsider, maturity, at, state):
    before = state(deferred)
    at(maturity - 1)

    with reverts_with("LetterOfCreditNotMature", deferred, 1, maturity):
        lc.settleAtMaturity(deferred, 1, {"from": outsider})

    assert state(deferred) == before


def test_a_drawing_is_settled_once(lc, deferred, outsider, maturity, at, state):
    at(maturity)
    lc.settleAtMaturity(deferred, 1, {"from": outsider})
    before = state(deferred)

    with reverts_with("LetterOfCreditAlreadySettled", deferred, 1):
        lc.settleAtMaturity(deferred, 1, {"from": outsider})

    assert state(deferred) == before


def test_an_unknown_drawing_cannot_be_settled(lc, deferred, outsider, state):
    before = state(deferred)

    with reverts_with("LetterOfCreditUnknownDrawing", deferred, 2):
        lc.settleAtMaturity(deferred, 2, {"from": outsider})

    assert state(deferred) == before


def test_a_sight_drawing_has_no_obligation_record(lc, presented, bocom, outsider):
    lc.honour(presented, 1, {"from": bocom})

    with reverts_with("LetterOfCreditUnknownDrawing", presented, 1):
        lc.drawingOf(presented, 1)
    with reverts_with("LetterOfCreditUnknownDrawing", presented, 1):
        lc.settleAtMaturity(presented, 1, {"from": outsider})


def test_a_nominated_bank_that_presented_is_the_payee(lc, open_credit, ship, present, bocom, icbc):
    credit_id = open_credit(form=DEFERRED, tenorDays=TENOR)
    ship(credit_id)
    present(credit_id, by=icbc)

    lc.honour(credit_id, 1, {"from": bocom})

    assert lc.drawingOf(credit_id, 1)[0] == icbc


def test_a_drawing_is_paid_at_maturity_even_after_expiry(
    lc, token, deferred, bocom, exporter, outsider, maturity, at, t0
):
    at(t0 + 61 * DAY)
    lc.releaseExpired(deferred, {"from": outsider})
    assert token.balanceOf(lc) == AMOUNT
    at(maturity)

    lc.settleAtMaturity(deferred, 1, {"from": outsider})

    assert token.balanceOf(exporter) == AMOUNT
    assert token.balanceOf(lc) == 0
    assert lc.creditOf(deferred)["escrow"] == 0


# ------------------------------------------------------------------------ transferClaim
@pytest.fixture
def register(registry, deployer, newcomers):
    """An alliance system contract (standing for TradeFinance): where a claim may move."""
    registry.bootstrapSystemContract(newcomers[3], True, {"from": deployer})
    return newcomers[3]


def test_the_payee_moves_its_claim_into_the_register(
    lc, token, deferred, exporter, register, outsider, maturity, at
):
    tx = lc.transferClaim(deferred, 1, register, {"from": exporter})

    assert lc.drawingOf(deferred, 1)[0] == register
    assert tx.events["ClaimTransferred"] == {
        "id": deferred,
        "drawingId": 1,
        "from": exporter,
        "to": register,
    }
    before = token.balanceOf(register)
    at(maturity)
    lc.settleAtMaturity(deferred, 1, {"from": outsider})
    assert token.balanceOf(register) == before + AMOUNT
    assert token.balanceOf(exporter) == 0


def test_the_register_hands_the_claim_back(lc, deferred, exporter, register):
    lc.transferClaim(deferred, 1, register, {"from": exporter})

    lc.transferClaim(deferred, 1, exporter, {"from": register})

    assert lc.drawingOf(deferred, 1)[0] == exporter


@pytest.mark.parametrize("who", ["importer", "bocom", "icbc", "outsider"])
def test_only_the_current_payee_may_transfer_the_claim(lc, deferred, state, who, request):
    account = request.getfixturevalue(who)
    before = state(deferred)

    with reverts_with("LetterOfCreditNotPayee", deferred, 1, account):
        lc.transferClaim(deferred, 1, account, {"from": account})

    assert state(deferred) == before


def test_the_former_payee_may_not_transfer_the_claim(
    lc, deferred, exporter, register, bocom, state
):
    lc.transferClaim(deferred, 1, register, {"from": exporter})
    before = state(deferred)

    with reverts_with("LetterOfCreditNotPayee", deferred, 1, exporter):
        lc.transferClaim(deferred, 1, bocom, {"from": exporter})

    assert state(deferred) == before


@pytest.mark.parametrize("new_payee", ["zero", "outsider", "exporter"])
def test_a_claim_goes_only_to_a_new_payee_that_may_hold_tokens(
    lc, deferred, exporter, outsider, state, new_payee
):
    target = {"zero": ZERO_ADDRESS, "outsider": outsider, "exporter": exporter}[new_payee]
    before = state(deferred)

    with reverts_with("LetterOfCreditBadPayee", target):
        lc.transferClaim(deferred, 1, target, {"from": exporter})

    assert state(deferred) == before


def test_a_settled_claim_cannot_be_transferred(
    lc, deferred, exporter, icbc, outsider, maturity, at, state
):
    at(maturity)
    lc.settleAtMaturity(deferred, 1, {"from": outsider})
    before = state(deferred)

    with reverts_with("LetterOfCreditAlreadySettled", deferred, 1):
        lc.transferClaim(deferred, 1, icbc, {"from": exporter})

    assert state(deferred) == before


# ------------------------------------------------------------------------ releaseExpired
def test_anyone_releases_an_unused_credit_after_expiry(lc, token, credit, bocom, outsider, at, t0):
    bank_before = token.balanceOf(bocom)
    at(t0 + 60 * DAY + 1)

    tx = lc.releaseExpired(credit, {"from": outsider})

    assert token.balanceOf(bocom) == bank_before + MAX
    assert token.balanceOf(lc) == 0
    c = lc.creditOf(credit)
    assert (c["status"], c["escrow"]) == (ST_EXPIRED, 0)
    assert tx.events["CreditExpired"] == {"id": credit}
    assert tx.events["EscrowReleased"] == {"id": credit, "to": bocom, "amount": MAX}


def test_nothing_is_released_until_after_expiry(lc, credit, outsider, at, t0, state):
    before = state(credit)
    at(t0 + 60 * DAY)

    with reverts_with("LetterOfCreditNotExpired", credit, t0 + 60 * DAY):
        lc.releaseExpired(credit, {"from": outsider})

    assert state(credit) == before


def test_a_credit_is_released_once(lc, credit, outsider, at, t0, state):
    at(t0 + 60 * DAY + 1)
    lc.releaseExpired(credit, {"from": outsider})
    before = state(credit)

    with reverts_with("LetterOfCreditWrongStatus", credit, ST_EXPIRED):
        lc.releaseExpired(credit, {"from": outsider})

    assert state(credit) == before


def test_an_application_has_no_escrow_to_release(lc, apply_credit, outsider, at, t0, state):
    credit_id = apply_credit()
    at(t0 + 60 * DAY + 1)
    before = state(credit_id)

    with reverts_with("LetterOfCreditWrongStatus", credit_id, ST_APPLIED):
        lc.releaseExpired(credit_id, {"from": outsider})

    assert state(credit_id) == before


def test_a_presentation_under_examination_holds_the_escrow_past_expiry(
    lc, open_credit, ship, present, outsider, at, t0, state
):
    credit_id = open_credit(expiry=t0 + 30 * DAY)
    ship(credit_id, on=t0 + 20 * DAY)
    present(credit_id, when=t0 + 30 * DAY)  # the last second before expiry
    at(t0 + 30 * DAY + 1)
    before = state(credit_id)

    with reverts_with("LetterOfCreditUnderExamination", credit_id, 1):
        lc.releaseExpired(credit_id, {"from": outsider})

    assert state(credit_id) == before


def test_after_a_refusal_the_escrow_is_released_at_expiry(
    lc, token, presented, bocom, outsider, at, t0
):
    lc.refuse(presented, 1, [1], NOTICE, RETURNING, {"from": bocom})
    at(t0 + 60 * DAY + 1)

    lc.releaseExpired(presented, {"from": outsider})

    assert token.balanceOf(lc) == 0


def test_only_the_undrawn_part_is_released(lc, token, deferred, bocom, outsider, at, t0):
    bank_before = token.balanceOf(bocom)
    at(t0 + 60 * DAY + 1)

    tx = lc.releaseExpired(deferred, {"from": outsider})

    assert tx.events["EscrowReleased"]["amount"] == MAX - AMOUNT
    assert token.balanceOf(bocom) == bank_before + MAX - AMOUNT
    assert lc.creditOf(deferred)["escrow"] == AMOUNT


# ------------------------------------------------------------------- updateIssuerAccount
@pytest.fixture
def replaced_operator(registry, customs, pboc, gov, bocom, newcomers):
    """BOCOM's operator is replaced by a new one (newcomers[0]) by alliance vote."""

    def _replace():
        data = replace_operator_data(BOCOM_ID, bocom, newcomers[0])
        pass_proposal(registry, REPLACE_OPERATOR, data, [customs, pboc, gov])
        return newcomers[0]

    return _replace


def test_a_new_operator_of_the_issuing_bank_takes_over_the_escrow_account(
    lc, token, credit, replaced_operator, bocom, outsider, at, t0
):
    new_operator = replaced_operator()
    at(t0 + 60 * DAY + 1)
    with reverts_with("TokenAccountNotAllowed", bocom):
        lc.releaseExpired(credit, {"from": outsider})

    tx = lc.updateIssuerAccount(credit, {"from": new_operator})
    lc.releaseExpired(credit, {"from": outsider})

    assert tx.events["IssuerAccountUpdated"] == {
        "id": credit,
        "previous": bocom,
        "issuer": new_operator,
    }
    assert lc.creditOf(credit)["issuer"] == new_operator
    assert token.balanceOf(new_operator) == MAX


@pytest.mark.parametrize("who", ["icbc", "importer", "exporter", "outsider"])
def test_only_the_issuing_bank_may_update_its_account(lc, credit, state, who, request):
    account = request.getfixturevalue(who)
    before = state(credit)

    with reverts_with("LetterOfCreditNotIssuingBank", credit, account):
        lc.updateIssuerAccount(credit, {"from": account})

    assert state(credit) == before


def test_a_replaced_operator_may_no_longer_update_the_account(
    lc, credit, replaced_operator, bocom, state
):
    replaced_operator()
    before = state(credit)

    with reverts_with("LetterOfCreditNotIssuingBank", credit, bocom):
        lc.updateIssuerAccount(credit, {"from": bocom})

    assert state(credit) == before


def test_the_account_is_updated_only_while_the_credit_is_issued(lc, apply_credit, bocom, state):
    credit_id = apply_credit()
    before = state(credit_id)

    with reverts_with("LetterOfCreditWrongStatus", credit_id, ST_APPLIED):
        lc.updateIssuerAccount(credit_id, {"from": bocom})

    assert state(credit_id) == before


def test_an_unknown_claim_cannot_be_transferred(lc, deferred, exporter, icbc, state):
    before = state(deferred)

    with reverts_with("LetterOfCreditUnknownDrawing", deferred, 2):
        lc.transferClaim(deferred, 2, icbc, {"from": exporter})

    assert state(deferred) == before
