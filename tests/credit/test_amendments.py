"""Amendments and cancellation (UCP 600 Art. 10): proposed by the issuing bank, agreed by the
confirming bank, in force only once the beneficiary accepts all of it."""

import pytest

from tests.credit.support import (
    ABOUT,
    AM_AMEND,
    AM_CANCEL,
    AM_NONE,
    AMOUNT,
    DAY,
    DEFERRED,
    NOMINATED,
    ST_APPLIED,
    ST_CANCELLED,
    ST_EXPIRED,
    ST_ISSUED,
)
from tests.helpers import digest, reverts_with

MAX = AMOUNT * 11 // 10
NEW_DOCS = digest("documents required: invoice, bill of lading, insurance policy")
ZERO32 = "0x" + "00" * 32


@pytest.fixture
def amend(lc, bocom, t0):
    """amend(credit_id, amount=..., tol=..., latest=..., expiry=..., docs=..., by=bocom)."""

    def _amend(
        credit_id, amount=12_000_000, tol=ABOUT, latest=None, expiry=None, docs=NEW_DOCS, by=None
    ):
        latest = t0 + 30 * DAY if latest is None else latest
        expiry = t0 + 90 * DAY if expiry is None else expiry
        by = bocom if by is None else by
        return lc.proposeAmendment(credit_id, amount, tol, latest, expiry, docs, {"from": by})

    return _amend


# ----------------------------------------------------------------------------- propose
def test_an_increase_is_funded_at_proposal_and_held_apart(lc, token, credit, amend, bocom, t0):
    bank_before = token.balanceOf(bocom)

    tx = amend(credit, amount=12_000_000)

    top_up = 13_200_000 - MAX
    assert tx.return_value == 1
    assert token.balanceOf(bocom) == bank_before - top_up
    assert token.balanceOf(lc) == MAX + top_up
    assert tuple(lc.amendmentOf(credit)) == (
        12_000_000,
        t0 + 30 * DAY,
        t0 + 90 * DAY,
        bocom,
        ABOUT,
        AM_AMEND,
        False,
    )
    assert dict(tx.events["AmendmentProposed"]) == {
        "id": credit,
        "amendmentId": 1,
        "kind": AM_AMEND,
        "amount": 12_000_000,
        "toleranceBp": ABOUT,
        "latestShipment": t0 + 30 * DAY,
        "expiry": t0 + 90 * DAY,
        "documents": NEW_DOCS,
        "topUp": top_up,
    }


def test_a_proposed_amendment_leaves_the_old_terms_in_force(lc, credit, amend):
    before = lc.creditOf(credit).dict()

    amend(credit, amount=12_000_000)

    after = lc.creditOf(credit).dict()
    assert after.pop("amendments") == 1
    before.pop("amendments")
    assert after == before
    assert (after["amount"], after["escrow"]) == (AMOUNT, MAX)


def test_a_decrease_takes_nothing_at_proposal(lc, token, credit, amend, bocom):
    bank_before = token.balanceOf(bocom)

    tx = amend(credit, amount=8_000_000)

    assert tx.events["AmendmentProposed"]["topUp"] == 0
    assert token.balanceOf(bocom) == bank_before


@pytest.mark.parametrize("who", ["icbc", "importer", "exporter", "outsider"])
def test_only_the_issuing_bank_may_propose(lc, credit, amend, state, who, request):
    account = request.getfixturevalue(who)
    before = state(credit)

    with reverts_with("LetterOfCreditNotIssuingBank", credit, account):
        amend(credit, by=account)
    with reverts_with("LetterOfCreditNotIssuingBank", credit, account):
        lc.proposeCancellation(credit, {"from": account})

    assert state(credit) == before


def test_one_amendment_is_pending_at_a_time(lc, credit, amend, bocom, state):
    amend(credit)
    before = state(credit)

    with reverts_with("LetterOfCreditAmendmentPending", credit, 1):
        amend(credit, amount=9_000_000)
    with reverts_with("LetterOfCreditAmendmentPending", credit, 1):
        lc.proposeCancellation(credit, {"from": bocom})

    assert state(credit) == before


BAD_AMENDMENTS = [
    ({"amount": 0}, "LetterOfCreditZeroAmount"),
    ({"tol": 1001}, "LetterOfCreditBadTolerance"),
    ({"latest": 0}, "LetterOfCreditBadDates"),
    ({"docs": ZERO32}, "LetterOfCreditMissingCommitment"),
    ({"amount": 2**96}, "LetterOfCreditAmountTooLarge"),
]


@pytest.mark.parametrize("overrides,error", BAD_AMENDMENTS, ids=[e for _, e in BAD_AMENDMENTS])
def test_bad_new_terms_are_refused(credit, amend, state, overrides, error):
    before = state(credit)

    with reverts_with(error):
        amend(credit, **overrides)

    assert state(credit) == before


def test_the_new_expiry_must_be_in_the_future(lc, credit, amend, state, at, t0):
    before = state(credit)
    at(t0 + 10 * DAY)

    with reverts_with("LetterOfCreditBadDates", t0 + 5 * DAY, t0 + 10 * DAY - 1):
        amend(credit, latest=t0 + 5 * DAY, expiry=t0 + 10 * DAY - 1)

    assert state(credit) == before


def test_the_new_maximum_may_not_fall_below_what_was_drawn(
    lc, open_credit, ship, present, bocom, amend, state
):
    credit_id = open_credit(partialAllowed=True)
    ship(credit_id)
    present(credit_id, 6_000_000)
    lc.honour(credit_id, 1, {"from": bocom})
    before = state(credit_id)

    with reverts_with("LetterOfCreditBelowDrawn", credit_id, 5_500_000, 6_000_000):
        amend(credit_id, amount=5_000_000)

    assert state(credit_id) == before


def test_an_application_cannot_be_amended(lc, apply_credit, amend, state):
    credit_id = apply_credit()
    before = state(credit_id)

    with reverts_with("LetterOfCreditWrongStatus", credit_id, ST_APPLIED):
        amend(credit_id)

    assert state(credit_id) == before


def test_an_expired_credit_cannot_be_amended(lc, credit, amend, bocom, state, at, t0):
    at(t0 + 60 * DAY + 1)
    before = state(credit)

    with reverts_with("LetterOfCreditExpired", credit, t0 + 60 * DAY):
        amend(credit)
    with reverts_with("LetterOfCreditExpired", credit, t0 + 60 * DAY):
        lc.proposeCancellation(credit, {"from": bocom})

    assert state(credit) == before


# ------------------------------------------------------------------------------ accept
def test_an_accepted_increase_takes_effect_with_its_top_up(lc, token, credit, amend, exporter, t0):
    amend(credit, amount=12_000_000)
    balance = token.balanceOf(lc)

    tx = lc.acceptAmendment(credit, 1, {"from": exporter})

    c = lc.creditOf(credit)
    assert (c["amount"], c["toleranceBp"], c["escrow"]) == (12_000_000, ABOUT, 13_200_000)
    assert (c["latestShipment"], c["expiry"]) == (t0 + 30 * DAY, t0 + 90 * DAY)
    assert lc.amendmentOf(credit)["kind"] == AM_NONE
    assert token.balanceOf(lc) == balance
    assert tx.events["AmendmentAccepted"] == {"id": credit, "amendmentId": 1}
    assert "EscrowReleased" not in tx.events


def test_an_accepted_decrease_releases_the_difference(lc, token, credit, amend, exporter, bocom):
    amend(credit, amount=8_000_000, tol=0)
    bank_before = token.balanceOf(bocom)

    tx = lc.acceptAmendment(credit, 1, {"from": exporter})

    assert lc.creditOf(credit)["escrow"] == 8_000_000
    assert token.balanceOf(bocom) == bank_before + MAX - 8_000_000
    assert tx.events["EscrowReleased"] == {"id": credit, "to": bocom, "amount": MAX - 8_000_000}


@pytest.mark.parametrize("who", ["importer", "bocom", "icbc", "outsider"])
def test_only_the_beneficiary_may_accept(lc, credit, amend, state, who, request):
    account = request.getfixturevalue(who)
    amend(credit)
    before = state(credit)

    with reverts_with("LetterOfCreditNotBeneficiary", credit, account):
        lc.acceptAmendment(credit, 1, {"from": account})

    assert state(credit) == before


def test_a_suspended_beneficiary_may_not_accept(
    lc, registry, customs, credit, amend, exporter, state
):
    amend(credit)
    registry.suspendParticipant(exporter, {"from": customs})
    before = state(credit)

    with reverts_with("LetterOfCreditNotExporter", exporter):
        lc.acceptAmendment(credit, 1, {"from": exporter})

    assert state(credit) == before


@pytest.mark.parametrize("amendment_id", [0, 2])
def test_acceptance_names_the_pending_amendment(lc, credit, amend, exporter, state, amendment_id):
    amend(credit)
    before = state(credit)

    with reverts_with("LetterOfCreditNoSuchAmendment", credit, amendment_id):
        lc.acceptAmendment(credit, amendment_id, {"from": exporter})

    assert state(credit) == before


def test_there_is_nothing_to_accept_without_a_proposal(lc, credit, exporter, state):
    before = state(credit)

    with reverts_with("LetterOfCreditNoSuchAmendment", credit, 0):
        lc.acceptAmendment(credit, 0, {"from": exporter})

    assert state(credit) == before


def test_a_rejected_amendment_cannot_be_accepted(lc, credit, amend, exporter, state):
    amend(credit)
    lc.rejectAmendment(credit, 1, {"from": exporter})
    before = state(credit)

    with reverts_with("LetterOfCreditNoSuchAmendment", credit, 1):
        lc.acceptAmendment(credit, 1, {"from": exporter})

    assert state(credit) == before


def test_an_amendment_the_confirming_bank_agreed_to_keeps_the_confirmation(
    lc, credit, amend, icbc, exporter
):
    lc.confirm(credit, {"from": icbc})
    amend(credit)
    lc.agreeAmendment(credit, 1, {"from": icbc})

    tx = lc.acceptAmendment(credit, 1, {"from": exporter})

    c = lc.creditOf(credit)
    assert (c["amount"], c["confirmed"]) == (12_000_000, True)
    assert "ConfirmationEnded" not in tx.events


def test_a_confirming_bank_that_does_not_agree_cannot_block_the_amendment(
    lc, credit, amend, icbc, exporter, present, ship, bocom
):
    """Art. 10b: the confirming bank may decline to extend its confirmation, not stop the
    amendment. Before, the beneficiary's acceptance reverted until it agreed. Now the
    amendment takes effect and the confirmation ends: the confirming bank no longer examines,
    and may confirm the amended credit again."""
    lc.confirm(credit, {"from": icbc})
    amend(credit)

    tx = lc.acceptAmendment(credit, 1, {"from": exporter})

    c = lc.creditOf(credit)
    assert (c["amount"], c["confirmed"]) == (12_000_000, False)
    assert tx.events["ConfirmationEnded"] == {
        "id": credit,
        "amendmentId": 1,
        "confirmingBank": NOMINATED,
    }
    ship(credit)
    present(credit, 12_000_000)
    with reverts_with("LetterOfCreditNotExaminingBank", credit, icbc):
        lc.honour(credit, 1, {"from": icbc})
    lc.honour(credit, 1, {"from": bocom})
    lc.confirm(credit, {"from": icbc})
    assert lc.creditOf(credit)["confirmed"]


def test_no_amendment_is_accepted_under_examination(lc, presented, amend, exporter, state):
    amend(presented)
    before = state(presented)

    with reverts_with("LetterOfCreditUnderExamination", presented, 1):
        lc.acceptAmendment(presented, 1, {"from": exporter})

    assert state(presented) == before


def test_an_extension_proposed_before_expiry_is_accepted_after_the_old_expiry(
    lc, credit, amend, icbc, exporter, ship, present, at, t0
):
    """Art. 10b: the issuing bank is bound by its amendment from the proposal; the old expiry
    passing does not free it, as long as the new expiry has not passed."""
    lc.confirm(credit, {"from": icbc})
    amend(credit, latest=t0 + 50 * DAY)
    at(t0 + 60 * DAY + 1)

    lc.agreeAmendment(credit, 1, {"from": icbc})
    lc.acceptAmendment(credit, 1, {"from": exporter})

    assert lc.creditOf(credit)["expiry"] == t0 + 90 * DAY
    ship(credit, on=t0 + 50 * DAY, when=t0 + 61 * DAY)
    present(credit, 12_000_000)
    assert lc.creditOf(credit)["presentations"] == 1


def test_no_cancellation_is_accepted_after_expiry(lc, credit, bocom, exporter, at, t0, state):
    lc.proposeCancellation(credit, {"from": bocom})
    at(t0 + 60 * DAY + 1)
    before = state(credit)

    with reverts_with("LetterOfCreditExpired", credit, t0 + 60 * DAY):
        lc.acceptAmendment(credit, 1, {"from": exporter})

    assert state(credit) == before


def test_an_amendment_whose_new_expiry_passed_cannot_be_accepted(
    lc, credit, amend, exporter, at, t0, state
):
    amend(credit, latest=t0 + 5 * DAY, expiry=t0 + 10 * DAY)
    at(t0 + 10 * DAY + 1)
    before = state(credit)

    with reverts_with("LetterOfCreditBadDates", t0 + 5 * DAY, t0 + 10 * DAY):
        lc.acceptAmendment(credit, 1, {"from": exporter})

    assert state(credit) == before


def test_a_decrease_overtaken_by_drawings_cannot_be_accepted(
    lc, open_credit, ship, present, bocom, amend, exporter, state
):
    credit_id = open_credit(partialAllowed=True)
    ship(credit_id)
    amend(credit_id, amount=5_000_000, tol=0)
    present(credit_id, 6_000_000)
    lc.honour(credit_id, 1, {"from": bocom})
    before = state(credit_id)

    with reverts_with("LetterOfCreditBelowDrawn", credit_id, 5_000_000, 6_000_000):
        lc.acceptAmendment(credit_id, 1, {"from": exporter})

    assert state(credit_id) == before


# ------------------------------------------------------------------------------- agree
def test_the_confirming_bank_agrees(lc, credit, amend, icbc):
    lc.confirm(credit, {"from": icbc})
    amend(credit)

    tx = lc.agreeAmendment(credit, 1, {"from": icbc})

    assert lc.amendmentOf(credit)["agreedByConfirmingBank"]
    assert tx.events["AmendmentAgreed"] == {"id": credit, "amendmentId": 1, "confirmingBank": 5}


def test_a_confirming_bank_that_has_not_confirmed_has_nothing_to_agree(
    lc, credit, amend, icbc, state
):
    amend(credit)
    before = state(credit)

    with reverts_with("LetterOfCreditNotConfirmingBank", credit, icbc):
        lc.agreeAmendment(credit, 1, {"from": icbc})

    assert state(credit) == before


@pytest.mark.parametrize("who", ["bocom", "exporter", "importer"])
def test_only_the_confirming_bank_agrees(lc, credit, amend, icbc, state, who, request):
    account = request.getfixturevalue(who)
    lc.confirm(credit, {"from": icbc})
    amend(credit)
    before = state(credit)

    with reverts_with("LetterOfCreditNotConfirmingBank", credit, account):
        lc.agreeAmendment(credit, 1, {"from": account})

    assert state(credit) == before


def test_the_confirming_bank_agrees_once(lc, credit, amend, icbc, state):
    lc.confirm(credit, {"from": icbc})
    amend(credit)
    lc.agreeAmendment(credit, 1, {"from": icbc})
    before = state(credit)

    with reverts_with("LetterOfCreditAmendmentAlreadyAgreed", credit, 1):
        lc.agreeAmendment(credit, 1, {"from": icbc})
    with reverts_with("LetterOfCreditNoSuchAmendment", credit, 2):
        lc.agreeAmendment(credit, 2, {"from": icbc})

    assert state(credit) == before


def test_nothing_is_agreed_once_the_amendment_can_no_longer_be_accepted(
    lc, credit, amend, bocom, icbc, at, t0, state
):
    lc.confirm(credit, {"from": icbc})
    amend(credit, latest=t0 + 5 * DAY, expiry=t0 + 10 * DAY)
    at(t0 + 10 * DAY + 1)
    before = state(credit)

    with reverts_with("LetterOfCreditBadDates", t0 + 5 * DAY, t0 + 10 * DAY):
        lc.agreeAmendment(credit, 1, {"from": icbc})

    assert state(credit) == before


def test_a_cancellation_is_not_agreed_after_expiry(lc, credit, bocom, icbc, at, t0, state):
    lc.confirm(credit, {"from": icbc})
    lc.proposeCancellation(credit, {"from": bocom})
    at(t0 + 60 * DAY + 1)
    before = state(credit)

    with reverts_with("LetterOfCreditExpired", credit, t0 + 60 * DAY):
        lc.agreeAmendment(credit, 1, {"from": icbc})

    assert state(credit) == before


# ------------------------------------------------------------------------------ reject
def test_a_rejected_increase_returns_the_top_up(lc, token, credit, amend, exporter, bocom):
    bank_before = token.balanceOf(bocom)
    amend(credit, amount=12_000_000)

    tx = lc.rejectAmendment(credit, 1, {"from": exporter})

    assert token.balanceOf(bocom) == bank_before
    assert token.balanceOf(lc) == MAX
    c = lc.creditOf(credit)
    assert (c["amount"], c["escrow"], c["status"]) == (AMOUNT, MAX, ST_ISSUED)
    assert lc.amendmentOf(credit)["kind"] == AM_NONE
    assert tx.events["AmendmentRejected"] == {
        "id": credit,
        "amendmentId": 1,
        "by": exporter,
        "refunded": 13_200_000 - MAX,
    }


def test_the_confirming_bank_may_reject_a_cancellation(lc, credit, bocom, icbc):
    lc.confirm(credit, {"from": icbc})
    lc.proposeCancellation(credit, {"from": bocom})

    tx = lc.rejectAmendment(credit, 1, {"from": icbc})

    assert tx.events["AmendmentRejected"]["by"] == icbc
    assert lc.amendmentOf(credit)["kind"] == AM_NONE


def test_the_confirming_bank_cannot_reject_an_amendment_for_the_beneficiary(
    lc, credit, amend, icbc, exporter, state
):
    """Art. 10b: before, the confirming bank's rejection killed the amendment; now it only
    declines to extend its confirmation (by not agreeing) and the beneficiary decides."""
    lc.confirm(credit, {"from": icbc})
    amend(credit)
    before = state(credit)

    with reverts_with("LetterOfCreditNotBeneficiary", credit, icbc):
        lc.rejectAmendment(credit, 1, {"from": icbc})

    assert state(credit) == before
    lc.acceptAmendment(credit, 1, {"from": exporter})
    assert lc.creditOf(credit)["amount"] == 12_000_000


@pytest.mark.parametrize("who", ["importer", "bocom", "icbc", "outsider"])
def test_only_the_beneficiary_or_confirming_bank_may_reject(lc, credit, amend, state, who, request):
    account = request.getfixturevalue(who)
    amend(credit)
    before = state(credit)

    with reverts_with("LetterOfCreditNotBeneficiary", credit, account):
        lc.rejectAmendment(credit, 1, {"from": account})

    assert state(credit) == before


def test_rejection_names_the_pending_amendment(lc, credit, amend, exporter, state):
    amend(credit)
    before = state(credit)

    with reverts_with("LetterOfCreditNoSuchAmendment", credit, 2):
        lc.rejectAmendment(credit, 2, {"from": exporter})

    assert state(credit) == before


def test_after_a_rejection_a_new_amendment_may_be_proposed(lc, credit, amend, exporter):
    amend(credit)
    lc.rejectAmendment(credit, 1, {"from": exporter})

    tx = amend(credit, amount=11_000_000)

    assert tx.return_value == 2


# -------------------------------------------------------------------------- cancellation
def test_a_cancellation_needs_the_beneficiarys_consent(lc, token, credit, bocom, exporter):
    tx = lc.proposeCancellation(credit, {"from": bocom})
    assert tx.events["AmendmentProposed"]["kind"] == AM_CANCEL
    assert lc.creditOf(credit)["status"] == ST_ISSUED
    bank_before = token.balanceOf(bocom)

    tx = lc.acceptAmendment(credit, 1, {"from": exporter})

    assert lc.creditOf(credit)["status"] == ST_CANCELLED
    assert token.balanceOf(bocom) == bank_before + MAX
    assert token.balanceOf(lc) == 0
    assert tx.events["CreditCancelled"] == {"id": credit}
    assert tx.events["EscrowReleased"] == {"id": credit, "to": bocom, "amount": MAX}


def test_a_cancelled_credit_takes_no_presentation(lc, credit, bocom, exporter, present, ship):
    ship(credit)
    lc.proposeCancellation(credit, {"from": bocom})
    lc.acceptAmendment(credit, 1, {"from": exporter})

    with reverts_with("LetterOfCreditWrongStatus", credit, ST_CANCELLED):
        present(credit)


def test_a_confirmed_credit_is_cancelled_only_with_the_confirming_bank(
    lc, credit, bocom, icbc, exporter, state
):
    lc.confirm(credit, {"from": icbc})
    lc.proposeCancellation(credit, {"from": bocom})
    before = state(credit)

    with reverts_with("LetterOfCreditAmendmentNotAgreed", credit, 1):
        lc.acceptAmendment(credit, 1, {"from": exporter})

    assert state(credit) == before
    lc.agreeAmendment(credit, 1, {"from": icbc})
    lc.acceptAmendment(credit, 1, {"from": exporter})
    assert lc.creditOf(credit)["status"] == ST_CANCELLED


def test_a_rejected_cancellation_leaves_the_credit_in_force(lc, credit, bocom, exporter):
    lc.proposeCancellation(credit, {"from": bocom})

    tx = lc.rejectAmendment(credit, 1, {"from": exporter})

    assert tx.events["AmendmentRejected"]["refunded"] == 0
    assert lc.creditOf(credit)["status"] == ST_ISSUED


def test_cancellation_keeps_honoured_deferred_drawings_funded(
    lc, token, open_credit, ship, present, bocom, exporter
):
    credit_id = open_credit(form=DEFERRED, tenorDays=60, partialAllowed=True)
    ship(credit_id)
    present(credit_id, 4_000_000)
    lc.honour(credit_id, 1, {"from": bocom})
    lc.proposeCancellation(credit_id, {"from": bocom})

    tx = lc.acceptAmendment(credit_id, 1, {"from": exporter})

    assert tx.events["EscrowReleased"]["amount"] == MAX - 4_000_000
    assert lc.creditOf(credit_id)["escrow"] == 4_000_000
    assert token.balanceOf(lc) == 4_000_000


# ------------------------------------------------------------------------------- lapse
def test_a_pending_extension_holds_the_escrow_past_the_old_expiry(
    lc, credit, amend, outsider, at, t0, state
):
    """Releasing at the old expiry let the issuing bank escape an extension it had proposed
    and the beneficiary could still accept (Art. 10b)."""
    amend(credit, amount=12_000_000)  # expiry t0 + 90 days
    at(t0 + 60 * DAY + 1)
    before = state(credit)

    with reverts_with("LetterOfCreditAmendmentPending", credit, 1):
        lc.releaseExpired(credit, {"from": outsider})

    assert state(credit) == before


def test_a_pending_amendment_lapses_once_its_own_expiry_has_passed_and_its_top_up_returns(
    lc, token, credit, amend, bocom, exporter, outsider, at, t0, state
):
    amend(credit, amount=12_000_000)
    bank_before = token.balanceOf(bocom)
    at(t0 + 90 * DAY + 1)
    with reverts_with("LetterOfCreditBadDates", t0 + 30 * DAY, t0 + 90 * DAY):
        lc.acceptAmendment(credit, 1, {"from": exporter})

    tx = lc.releaseExpired(credit, {"from": outsider})

    assert token.balanceOf(bocom) == bank_before + 13_200_000
    assert token.balanceOf(lc) == 0
    assert lc.creditOf(credit)["status"] == ST_EXPIRED
    assert lc.amendmentOf(credit)["kind"] == AM_NONE
    assert tx.events["AmendmentLapsed"] == {
        "id": credit,
        "amendmentId": 1,
        "refunded": 13_200_000 - MAX,
    }


def test_an_application_cannot_be_cancelled_by_the_bank(lc, apply_credit, bocom, state):
    credit_id = apply_credit()
    before = state(credit_id)

    with reverts_with("LetterOfCreditWrongStatus", credit_id, ST_APPLIED):
        lc.proposeCancellation(credit_id, {"from": bocom})

    assert state(credit_id) == before


def test_an_amendment_ending_before_the_old_expiry_lapses_with_the_credit(
    lc, credit, amend, outsider, at, t0
):
    amend(credit, expiry=t0 + 40 * DAY)
    at(t0 + 60 * DAY + 1)

    tx = lc.releaseExpired(credit, {"from": outsider})

    assert tx.events["AmendmentLapsed"]["amendmentId"] == 1
    assert lc.amendmentOf(credit)["kind"] == AM_NONE


def test_nothing_is_rejected_once_the_expired_credit_was_released(
    lc, credit, amend, exporter, outsider, at, t0, state
):
    amend(credit, expiry=t0 + 40 * DAY)
    at(t0 + 60 * DAY + 1)
    lc.releaseExpired(credit, {"from": outsider})
    before = state(credit)

    with reverts_with("LetterOfCreditWrongStatus", credit, ST_EXPIRED):
        lc.rejectAmendment(credit, 1, {"from": exporter})

    assert state(credit) == before
