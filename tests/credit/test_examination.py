"""Examination: refusal with one notice, waiver, honour and preclusion (UCP 600 Art. 14, 16)."""

import pytest

from tests.credit import ucp_model as ucp
from tests.credit.support import (
    AMOUNT,
    DAY,
    DISP_NONE,
    DOCS,
    EX_HONOURED,
    EX_PRESENTED,
    EX_REFUSED,
    EX_WAIVED,
    HOLDING_PENDING_WAIVER,
    HOLDING_UNTIL_INSTRUCTIONS,
    ISSUING,
    NOMINATED,
    NOTICE,
    RETURNING,
    ST_EXPIRED,
)
from tests.helpers import (
    KIND_COMMERCIAL_BANK,
    REPLACE_OPERATOR,
    digest,
    pass_proposal,
    replace_operator_data,
    reverts_with,
)

CODES = [3, 17, 42]  # e.g. invoice amount, late presentation, description of goods
ZERO32 = "0x" + "00" * 32


@pytest.fixture
def deadline(t0):
    """The examination deadline of the `presented` fixture: end of the next Thursday."""
    return ucp.Calendar().examination_deadline(t0 + 3 * DAY)


@pytest.fixture
def refused(lc, presented, bocom):
    lc.refuse(presented, 1, CODES, NOTICE, HOLDING_PENDING_WAIVER, {"from": bocom})
    return presented


def test_the_deadline_of_a_thursday_presentation_is_the_next_thursday(lc, deadline, t0):
    assert deadline == ucp.end_of(ucp.day_of(t0) + 10)
    assert lc.examinationDeadline(t0 + 3 * DAY) == deadline


# ------------------------------------------------------------------------------ refuse
def test_the_issuing_bank_refuses_in_one_notice(lc, presented, bocom):
    tx = lc.refuse(presented, 1, CODES, NOTICE, HOLDING_PENDING_WAIVER, {"from": bocom})

    c = lc.creditOf(presented)
    assert (c["exam"], c["disposal"]) == (EX_REFUSED, HOLDING_PENDING_WAIVER)
    event = tx.events["PresentationRefused"]
    assert (event["id"], event["presentationId"], event["bank"]) == (presented, 1, ISSUING)
    assert [int(code) for code in event["discrepancies"]] == CODES
    assert (event["notice"], event["disposal"]) == (NOTICE, HOLDING_PENDING_WAIVER)


def test_the_confirming_bank_refuses_once_it_has_confirmed(lc, presented, icbc):
    lc.confirm(presented, {"from": icbc})

    tx = lc.refuse(presented, 1, CODES, NOTICE, RETURNING, {"from": icbc})

    assert tx.events["PresentationRefused"]["bank"] == NOMINATED
    assert lc.creditOf(presented)["disposal"] == RETURNING


@pytest.mark.parametrize("who", ["icbc", "importer", "exporter", "pboc", "outsider"])
def test_only_an_examining_bank_may_refuse(lc, presented, state, who, request):
    account = request.getfixturevalue(who)
    before = state(presented)

    with reverts_with("LetterOfCreditNotExaminingBank", presented, account):
        lc.refuse(presented, 1, CODES, NOTICE, RETURNING, {"from": account})

    assert state(presented) == before


@pytest.mark.parametrize("presentation_id", [0, 2])
def test_only_the_latest_presentation_is_examined(lc, presented, bocom, state, presentation_id):
    before = state(presented)

    with reverts_with("LetterOfCreditUnknownPresentation", presented, presentation_id):
        lc.refuse(presented, presentation_id, CODES, NOTICE, RETURNING, {"from": bocom})

    assert state(presented) == before


def test_a_presentation_is_refused_only_once(lc, refused, bocom, state):
    before = state(refused)

    with reverts_with("LetterOfCreditWrongExam", refused, 1, EX_REFUSED):
        lc.refuse(refused, 1, [99], NOTICE, RETURNING, {"from": bocom})

    assert state(refused) == before


def test_an_honoured_presentation_cannot_be_refused(lc, presented, bocom, state):
    lc.honour(presented, 1, {"from": bocom})
    before = state(presented)

    with reverts_with("LetterOfCreditWrongExam", presented, 1, EX_HONOURED):
        lc.refuse(presented, 1, CODES, NOTICE, RETURNING, {"from": bocom})

    assert state(presented) == before


BAD_NOTICES = [
    ([], NOTICE, RETURNING, "LetterOfCreditNoDiscrepancies", ()),
    ([3, 0], NOTICE, RETURNING, "LetterOfCreditBadDiscrepancyCode", (0,)),
    (CODES, ZERO32, RETURNING, "LetterOfCreditMissingCommitment", ()),
    (CODES, NOTICE, DISP_NONE, "LetterOfCreditBadDisposal", ()),
]


@pytest.mark.parametrize(
    "codes,notice,disposal,error,args", BAD_NOTICES, ids=[n[3] for n in BAD_NOTICES]
)
def test_an_incomplete_refusal_notice_is_refused(
    lc, presented, bocom, state, codes, notice, disposal, error, args
):
    before = state(presented)

    with reverts_with(error, *args):
        lc.refuse(presented, 1, codes, notice, disposal, {"from": bocom})

    assert state(presented) == before


def test_refusal_on_the_last_second_of_the_deadline_passes(lc, presented, bocom, deadline, at):
    at(deadline)

    lc.refuse(presented, 1, CODES, NOTICE, RETURNING, {"from": bocom})

    assert lc.creditOf(presented)["exam"] == EX_REFUSED


def test_refusal_one_second_after_the_deadline_is_precluded(
    lc, presented, bocom, deadline, at, state
):
    before = state(presented)
    at(deadline + 1)

    with reverts_with("LetterOfCreditPrecluded", presented, 1, deadline):
        lc.refuse(presented, 1, CODES, NOTICE, RETURNING, {"from": bocom})

    assert state(presented) == before


# ------------------------------------------------------------------------------- waive
def test_the_applicant_waives_the_discrepancies(lc, refused, importer):
    tx = lc.waive(refused, 1, {"from": importer})

    assert lc.creditOf(refused)["exam"] == EX_WAIVED
    assert tx.events["DiscrepanciesWaived"] == {"id": refused, "presentationId": 1}


@pytest.mark.parametrize("who", ["exporter", "bocom", "outsider"])
def test_only_the_applicant_may_waive(lc, refused, state, who, request):
    account = request.getfixturevalue(who)
    before = state(refused)

    with reverts_with("LetterOfCreditNotApplicant", refused, account):
        lc.waive(refused, 1, {"from": account})

    assert state(refused) == before


def test_a_suspended_applicant_may_not_waive(lc, registry, customs, refused, importer, state):
    registry.suspendParticipant(importer, {"from": customs})
    before = state(refused)

    with reverts_with("LetterOfCreditNotImporter", importer):
        lc.waive(refused, 1, {"from": importer})

    assert state(refused) == before


def test_only_a_refused_presentation_is_waived(lc, presented, importer, state):
    before = state(presented)

    with reverts_with("LetterOfCreditWrongExam", presented, 1, EX_PRESENTED):
        lc.waive(presented, 1, {"from": importer})

    assert state(presented) == before


def test_returned_documents_cannot_be_waived(lc, presented, bocom, importer, state):
    lc.refuse(presented, 1, CODES, NOTICE, RETURNING, {"from": bocom})
    before = state(presented)

    with reverts_with("LetterOfCreditDocumentsReturned", presented, 1):
        lc.waive(presented, 1, {"from": importer})

    assert state(presented) == before


def test_documents_held_until_instructions_can_be_waived(lc, presented, bocom, importer):
    lc.refuse(presented, 1, CODES, NOTICE, HOLDING_UNTIL_INSTRUCTIONS, {"from": bocom})

    lc.waive(presented, 1, {"from": importer})

    assert lc.creditOf(presented)["exam"] == EX_WAIVED


def test_a_waiver_names_the_latest_presentation(lc, refused, importer, state):
    before = state(refused)

    with reverts_with("LetterOfCreditUnknownPresentation", refused, 2):
        lc.waive(refused, 2, {"from": importer})

    assert state(refused) == before


# ------------------------------------------------------------------------ declineWaiver
def test_the_bank_may_decline_a_waiver_and_return_the_documents(lc, refused, importer, bocom):
    lc.waive(refused, 1, {"from": importer})

    tx = lc.declineWaiver(refused, 1, {"from": bocom})

    c = lc.creditOf(refused)
    assert (c["exam"], c["disposal"]) == (EX_REFUSED, RETURNING)
    assert tx.events["WaiverDeclined"] == {"id": refused, "presentationId": 1, "bank": ISSUING}
    with reverts_with("LetterOfCreditDocumentsReturned", refused, 1):
        lc.waive(refused, 1, {"from": importer})


def test_only_a_waived_presentation_has_a_waiver_to_decline(lc, refused, bocom, state):
    before = state(refused)

    with reverts_with("LetterOfCreditWrongExam", refused, 1, EX_REFUSED):
        lc.declineWaiver(refused, 1, {"from": bocom})

    assert state(refused) == before


@pytest.mark.parametrize("who", ["importer", "exporter", "icbc"])
def test_only_an_examining_bank_may_decline_a_waiver(lc, refused, importer, state, who, request):
    account = request.getfixturevalue(who)
    lc.waive(refused, 1, {"from": importer})
    before = state(refused)

    with reverts_with("LetterOfCreditNotExaminingBank", refused, account):
        lc.declineWaiver(refused, 1, {"from": account})

    assert state(refused) == before


# ------------------------------------------------------------------------------ honour
def test_a_sight_presentation_is_paid_at_once(lc, token, presented, bocom, exporter):
    escrow_before = token.balanceOf(lc)

    tx = lc.honour(presented, 1, {"from": bocom})

    c = lc.creditOf(presented)
    assert (c["exam"], c["drawn"], c["escrow"]) == (EX_HONOURED, AMOUNT, AMOUNT // 10)
    assert token.balanceOf(exporter) == AMOUNT
    assert token.balanceOf(lc) == escrow_before - AMOUNT
    assert tx.events["PresentationHonoured"] == {
        "id": presented,
        "presentationId": 1,
        "payee": exporter,
        "amount": AMOUNT,
        "maturity": 0,
        "precluded": False,
    }


def test_a_nominated_bank_that_presented_is_paid(lc, token, shipped, present, bocom, icbc):
    present(shipped, by=icbc)
    icbc_before = token.balanceOf(icbc)

    lc.honour(shipped, 1, {"from": bocom})

    assert token.balanceOf(icbc) == icbc_before + AMOUNT


def test_the_confirming_bank_honours_once_it_has_confirmed(lc, token, presented, icbc, exporter):
    lc.confirm(presented, {"from": icbc})

    lc.honour(presented, 1, {"from": icbc})

    assert token.balanceOf(exporter) == AMOUNT


@pytest.mark.parametrize("who", ["icbc", "importer", "exporter", "outsider"])
def test_only_an_examining_bank_may_honour(lc, presented, state, who, request):
    account = request.getfixturevalue(who)
    before = state(presented)

    with reverts_with("LetterOfCreditNotExaminingBank", presented, account):
        lc.honour(presented, 1, {"from": account})

    assert state(presented) == before


def test_a_waived_presentation_is_honoured(lc, token, refused, importer, bocom, exporter):
    lc.waive(refused, 1, {"from": importer})

    lc.honour(refused, 1, {"from": bocom})

    assert lc.creditOf(refused)["exam"] == EX_HONOURED
    assert token.balanceOf(exporter) == AMOUNT


def test_a_refused_presentation_is_not_honoured_without_a_waiver(lc, refused, bocom, state):
    before = state(refused)

    with reverts_with("LetterOfCreditWrongExam", refused, 1, EX_REFUSED):
        lc.honour(refused, 1, {"from": bocom})

    assert state(refused) == before


def test_a_presentation_is_honoured_once(lc, presented, bocom, state):
    lc.honour(presented, 1, {"from": bocom})
    before = state(presented)

    with reverts_with("LetterOfCreditWrongExam", presented, 1, EX_HONOURED):
        lc.honour(presented, 1, {"from": bocom})

    assert state(presented) == before


def test_a_bank_may_still_honour_after_the_deadline(
    lc, token, presented, bocom, exporter, deadline, at
):
    at(deadline + DAY)

    lc.honour(presented, 1, {"from": bocom})

    assert token.balanceOf(exporter) == AMOUNT


# ----------------------------------------------------------------------- claimPrecluded
def test_the_presenter_claims_honour_once_the_bank_is_precluded(
    lc, token, presented, exporter, deadline, at
):
    at(deadline + 1)

    tx = lc.claimPrecluded(presented, 1, {"from": exporter})

    assert token.balanceOf(exporter) == AMOUNT
    assert lc.creditOf(presented)["exam"] == EX_HONOURED
    assert tx.events["PresentationHonoured"]["precluded"] is True


def test_honour_cannot_be_claimed_on_the_deadline(lc, presented, exporter, deadline, at, state):
    before = state(presented)
    at(deadline)

    with reverts_with("LetterOfCreditNotPrecluded", presented, 1, deadline):
        lc.claimPrecluded(presented, 1, {"from": exporter})

    assert state(presented) == before


@pytest.mark.parametrize("who", ["importer", "bocom", "icbc", "outsider"])
def test_only_the_presenter_may_claim_honour(lc, presented, deadline, at, state, who, request):
    account = request.getfixturevalue(who)
    before = state(presented)
    at(deadline + 1)

    with reverts_with("LetterOfCreditNotPresenter", presented, account):
        lc.claimPrecluded(presented, 1, {"from": account})

    assert state(presented) == before


def test_a_nominated_bank_that_presented_claims_instead_of_the_beneficiary(
    lc, token, shipped, present, icbc, exporter, at, t0
):
    present(shipped, by=icbc, when=t0 + 3 * DAY)
    at(ucp.Calendar().examination_deadline(t0 + 3 * DAY) + 1)
    with reverts_with("LetterOfCreditNotPresenter", shipped, exporter):
        lc.claimPrecluded(shipped, 1, {"from": exporter})
    icbc_before = token.balanceOf(icbc)

    lc.claimPrecluded(shipped, 1, {"from": icbc})

    assert token.balanceOf(icbc) == icbc_before + AMOUNT


def test_a_timely_refusal_cannot_be_overridden_by_a_claim(
    lc, refused, exporter, deadline, at, state
):
    at(deadline + 1)
    before = state(refused)

    with reverts_with("LetterOfCreditWrongExam", refused, 1, EX_REFUSED):
        lc.claimPrecluded(refused, 1, {"from": exporter})

    assert state(refused) == before


def test_a_refused_presentation_may_be_followed_by_a_new_one(lc, refused, present):
    tx = present(refused, 10_500_000)

    assert tx.return_value == 2
    c = lc.creditOf(refused)
    assert (c["presentations"], c["exam"], c["presentedAmount"]) == (2, EX_PRESENTED, 10_500_000)


def test_a_waived_presentation_blocks_a_new_one(lc, refused, importer, exporter, state):
    lc.waive(refused, 1, {"from": importer})
    before = state(refused)

    with reverts_with("LetterOfCreditUnderExamination", refused, 1):
        lc.present(refused, AMOUNT, "0x" + "11" * 32, 1, DOCS, {"from": exporter})

    assert state(refused) == before


def test_a_refusal_cannot_be_waived_once_the_expired_credit_was_released(
    lc, refused, importer, outsider, at, t0, state
):
    at(t0 + 60 * DAY + 1)
    lc.releaseExpired(refused, {"from": outsider})
    before = state(refused)

    with reverts_with("LetterOfCreditWrongStatus", refused, ST_EXPIRED):
        lc.waive(refused, 1, {"from": importer})

    assert state(refused) == before


# ------------------------------------------------ the deadline is fixed at presentation
def test_opening_a_saturday_after_presentation_does_not_preclude_the_bank_early(
    lc, presented, set_days, bocom, exporter, deadline, at, t0, state
):
    """The audit's attack: the deadline was recomputed from the live calendar, so opening the
    Saturday in the window moved it to Wednesday and precluded the bank a day early."""
    saturday = ucp.day_of(t0) + 5
    set_days([saturday], False)
    live = ucp.Calendar((), [saturday]).examination_deadline(t0 + 3 * DAY)
    assert live == deadline - DAY
    at(live + 1)
    with reverts_with("LetterOfCreditNotPrecluded", presented, 1, deadline):
        lc.claimPrecluded(presented, 1, {"from": exporter})

    lc.refuse(presented, 1, CODES, NOTICE, RETURNING, {"from": bocom})

    assert lc.creditOf(presented)["exam"] == EX_REFUSED


def test_closing_days_after_presentation_does_not_give_the_bank_more_time(
    lc, token, presented, set_days, bocom, exporter, deadline, at, t0, state
):
    monday = ucp.day_of(t0) + 7
    set_days([monday - 3, monday, monday + 1, monday + 2])  # Fri, Mon, Tue, Wed in the window
    at(deadline + 1)
    before = state(presented)

    with reverts_with("LetterOfCreditPrecluded", presented, 1, deadline):
        lc.refuse(presented, 1, CODES, NOTICE, RETURNING, {"from": bocom})

    assert state(presented) == before
    lc.claimPrecluded(presented, 1, {"from": exporter})
    assert token.balanceOf(exporter) == AMOUNT


def test_the_deadline_is_kept_with_the_presentation(lc, presented, deadline, t0):
    c = lc.creditOf(presented)

    assert (c["presentedAt"], c["examWindow"]) == (t0 + 3 * DAY, deadline - (t0 + 3 * DAY))


# ------------------------------------------------------ the waiver's deadline (Art. 16b)
@pytest.fixture
def waived(lc, refused, importer):
    lc.waive(refused, 1, {"from": importer})
    return refused


def test_a_waived_presentation_left_by_the_bank_is_claimed_after_the_deadline(
    lc, token, waived, exporter, deadline, at
):
    """A waived presentation held the escrow until the bank acted, for ever if it did not."""
    at(deadline + 1)

    tx = lc.claimPrecluded(waived, 1, {"from": exporter})

    assert token.balanceOf(exporter) == AMOUNT
    assert lc.creditOf(waived)["exam"] == EX_HONOURED
    assert tx.events["PresentationHonoured"]["precluded"] is True


def test_a_waived_presentation_is_not_claimed_before_the_deadline(
    lc, waived, exporter, deadline, at, state
):
    at(deadline)
    before = state(waived)

    with reverts_with("LetterOfCreditNotPrecluded", waived, 1, deadline):
        lc.claimPrecluded(waived, 1, {"from": exporter})

    assert state(waived) == before


def test_a_waiver_is_declined_only_by_the_deadline(
    lc, token, waived, bocom, exporter, deadline, at, state
):
    at(deadline + 1)
    before = state(waived)

    with reverts_with("LetterOfCreditPrecluded", waived, 1, deadline):
        lc.declineWaiver(waived, 1, {"from": bocom})

    assert state(waived) == before
    lc.honour(waived, 1, {"from": bocom})  # honouring late stays possible
    assert token.balanceOf(exporter) == AMOUNT


def test_a_waiver_declined_on_the_last_second_returns_the_documents(
    lc, waived, bocom, deadline, at
):
    at(deadline)

    lc.declineWaiver(waived, 1, {"from": bocom})

    assert lc.creditOf(waived)["disposal"] == RETURNING


def test_a_waiver_given_after_the_deadline_may_be_claimed_at_once(
    lc, token, refused, importer, exporter, deadline, at
):
    at(deadline + DAY)
    lc.waive(refused, 1, {"from": importer})

    lc.claimPrecluded(refused, 1, {"from": exporter})

    assert token.balanceOf(exporter) == AMOUNT


# ------------------------------------------------- no bank examines its own presentation
@pytest.fixture
def own_presentation(lc, shipped, present, icbc):
    """The default credit confirmed by ICBC, which also presents it as nominated bank."""
    lc.confirm(shipped, {"from": icbc})
    present(shipped, by=icbc)
    return shipped


def test_a_confirming_bank_does_not_honour_its_own_presentation(lc, own_presentation, icbc, state):
    """The audit's attack: ICBC presented as nominated bank, then honoured its own
    presentation as confirming bank and paid itself out of BOCOM's escrow."""
    before = state(own_presentation)

    with reverts_with("LetterOfCreditOwnPresentation", own_presentation, NOMINATED):
        lc.honour(own_presentation, 1, {"from": icbc})
    with reverts_with("LetterOfCreditOwnPresentation", own_presentation, NOMINATED):
        lc.refuse(own_presentation, 1, CODES, NOTICE, RETURNING, {"from": icbc})

    assert state(own_presentation) == before


def test_a_confirming_bank_does_not_decide_a_waiver_of_its_own_presentation(
    lc, own_presentation, bocom, icbc, importer, state
):
    lc.refuse(own_presentation, 1, CODES, NOTICE, HOLDING_PENDING_WAIVER, {"from": bocom})
    lc.waive(own_presentation, 1, {"from": importer})
    before = state(own_presentation)

    with reverts_with("LetterOfCreditOwnPresentation", own_presentation, NOMINATED):
        lc.declineWaiver(own_presentation, 1, {"from": icbc})

    assert state(own_presentation) == before


def test_the_issuing_bank_examines_a_presentation_of_the_confirming_bank(
    lc, token, own_presentation, bocom, icbc
):
    icbc_before = token.balanceOf(icbc)

    lc.honour(own_presentation, 1, {"from": bocom})

    assert token.balanceOf(icbc) == icbc_before + AMOUNT


@pytest.fixture
def third_bank(registry, deployer, newcomers):
    """A third commercial bank (member 6), operated by newcomers[2]."""
    registry.bootstrapMember(
        KIND_COMMERCIAL_BANK, digest("China Construction Bank"), [newcomers[2]], {"from": deployer}
    )
    return newcomers[2]


def test_a_confirming_bank_examines_what_another_nominated_bank_presented(
    lc, token, open_credit, ship, present, third_bank, icbc
):
    credit_id = open_credit(advisingBank=6)
    lc.confirm(credit_id, {"from": icbc})
    ship(credit_id)
    present(credit_id, by=third_bank)

    lc.honour(credit_id, 1, {"from": icbc})

    assert token.balanceOf(third_bank) == AMOUNT


def test_a_presenter_the_registry_no_longer_knows_is_examined_by_the_issuing_bank_only(
    lc, registry, token, open_credit, ship, present, third_bank, newcomers, customs, pboc, gov,
    bocom, icbc, state
):  # fmt: skip
    credit_id = open_credit(advisingBank=6)
    lc.confirm(credit_id, {"from": icbc})
    ship(credit_id)
    present(credit_id, by=third_bank)
    data = replace_operator_data(6, third_bank, newcomers[3])
    pass_proposal(registry, REPLACE_OPERATOR, data, [customs, pboc, gov, bocom])  # 4 of 6
    assert registry.accessOf(third_bank)[1] == 0
    before = state(credit_id)

    with reverts_with("LetterOfCreditOwnPresentation", credit_id, NOMINATED):
        lc.honour(credit_id, 1, {"from": icbc})

    assert state(credit_id) == before
    lc.refuse(credit_id, 1, CODES, NOTICE, RETURNING, {"from": bocom})
