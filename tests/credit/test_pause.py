"""The alliance-wide pause stops every state change of the letter-of-credit contract, and
every UCP 600 clock (Art. 36: no one is late for the time no one could act).

Each case (a function of the `world` fixture, `w` for short) first brings a credit to the state
where the call would succeed, then pauses the system: the call reverts with LetterOfCreditPaused,
nothing changes, and reads still work. After a pause, the examination deadline, the 21 days
after shipment and the expiry are moved on by the time the system was paused since the clock
started (presentation, shipment, 38 days before expiry).
"""

from types import SimpleNamespace

import pytest

from tests.credit import ucp_model as ucp
from tests.credit.support import (
    AMOUNT,
    BL_NUMBER,
    DAY,
    DEFERRED,
    DOCS,
    EX_PRESENTED,
    EX_REFUSED,
    HOUR,
    NOTICE,
    ST_EXPIRED,
    VOYAGE,
    terms,
)
from tests.helpers import (
    PAUSE,
    UNPAUSE,
    bill_key,
    digest,
    document_number,
    pass_proposal,
    reverts_with,
)

HOLD = 1  # Disposal.HoldingPendingWaiver


@pytest.fixture
def world(lc, apply_credit, open_credit, ship, present, declare, at, t0, request):
    names = ["bocom", "icbc", "importer", "exporter", "carrier", "outsider"]
    accounts = {n: request.getfixturevalue(n) for n in names}
    return SimpleNamespace(
        lc=lc,
        apply=apply_credit,
        open=open_credit,
        ship=ship,
        present=present,
        declare=declare,
        at=at,
        t0=t0,
        **accounts,
    )


def _presented(w, **terms):
    credit_id = w.open(**terms)
    w.ship(credit_id)
    w.present(credit_id, when=w.t0 + 3 * DAY)
    return credit_id


def _refused(w):
    credit_id = _presented(w)
    w.lc.refuse(credit_id, 1, [1], NOTICE, HOLD, {"from": w.bocom})
    return credit_id


def _waived(w):
    credit_id = _refused(w)
    w.lc.waive(credit_id, 1, {"from": w.importer})
    return credit_id


def _amended(w, confirm=False):
    credit_id = w.open()
    if confirm:
        w.lc.confirm(credit_id, {"from": w.icbc})
    w.lc.proposeAmendment(
        credit_id, AMOUNT, 0, w.t0 + 20 * DAY, w.t0 + 60 * DAY, digest("d"), {"from": w.bocom}
    )
    return credit_id


def _deferred(w):
    credit_id = _presented(w, form=DEFERRED, tenorDays=30)
    w.lc.honour(credit_id, 1, {"from": w.bocom})
    return credit_id


def _case_apply(w):
    return None, lambda: w.lc.applyForCredit(terms(w.exporter, w.t0), {"from": w.importer})


def _case_withdraw(w):
    cid = w.apply()
    return cid, lambda: w.lc.withdrawApplication(cid, {"from": w.importer})


def _case_issue(w):
    cid = w.apply()
    return cid, lambda: w.lc.issue(cid, {"from": w.bocom})


def _case_advise(w):
    cid = w.open()
    return cid, lambda: w.lc.advise(cid, {"from": w.icbc})


def _case_confirm(w):
    cid = w.open()
    return cid, lambda: w.lc.confirm(cid, {"from": w.icbc})


def _case_update_issuer(w):
    cid = w.open()
    return cid, lambda: w.lc.updateIssuerAccount(cid, {"from": w.bocom})


def _case_propose(w):
    cid = w.open()
    return cid, lambda: w.lc.proposeAmendment(
        cid, AMOUNT, 0, w.t0 + 20 * DAY, w.t0 + 60 * DAY, digest("d"), {"from": w.bocom}
    )


def _case_cancel(w):
    cid = w.open()
    return cid, lambda: w.lc.proposeCancellation(cid, {"from": w.bocom})


def _case_agree(w):
    cid = _amended(w, confirm=True)
    return cid, lambda: w.lc.agreeAmendment(cid, 1, {"from": w.icbc})


def _case_accept(w):
    cid = _amended(w)
    return cid, lambda: w.lc.acceptAmendment(cid, 1, {"from": w.exporter})


def _case_reject(w):
    cid = _amended(w)
    return cid, lambda: w.lc.rejectAmendment(cid, 1, {"from": w.exporter})


def _case_record(w):
    cid = w.open()
    w.at(w.t0 + DAY)
    return cid, lambda: w.lc.recordTransportDocument(
        cid, BL_NUMBER, w.t0 + DAY, VOYAGE, {"from": w.carrier}
    )


def _case_present(w):
    cid = w.open()
    w.ship(cid)
    bill = "COSU-6301-PAUSE"
    decl = w.declare(bill=bill)
    number = document_number(bill)
    w.lc.recordTransportDocument(cid, number, w.t0 + DAY, VOYAGE, {"from": w.carrier})
    key = bill_key(bill)
    return cid, lambda: w.lc.present(cid, AMOUNT, key, decl, DOCS, {"from": w.exporter})


def _case_refuse(w):
    cid = _presented(w)
    return cid, lambda: w.lc.refuse(cid, 1, [1], NOTICE, HOLD, {"from": w.bocom})


def _case_waive(w):
    cid = _refused(w)
    return cid, lambda: w.lc.waive(cid, 1, {"from": w.importer})


def _case_decline(w):
    cid = _waived(w)
    return cid, lambda: w.lc.declineWaiver(cid, 1, {"from": w.bocom})


def _case_honour(w):
    cid = _presented(w)
    return cid, lambda: w.lc.honour(cid, 1, {"from": w.bocom})


def _case_claim(w):
    cid = _presented(w)
    w.at(ucp.Calendar().examination_deadline(w.t0 + 3 * DAY) + 1)
    return cid, lambda: w.lc.claimPrecluded(cid, 1, {"from": w.exporter})


def _case_settle(w):
    cid = _deferred(w)
    w.at(w.t0 + 40 * DAY)
    return cid, lambda: w.lc.settleAtMaturity(cid, 1, {"from": w.outsider})


def _case_transfer(w):
    cid = _deferred(w)
    return cid, lambda: w.lc.transferClaim(cid, 1, w.icbc, {"from": w.exporter})


def _case_release(w):
    cid = w.open()
    w.at(w.t0 + 61 * DAY)
    return cid, lambda: w.lc.releaseExpired(cid, {"from": w.outsider})


CASES = {
    "applyForCredit": _case_apply,
    "withdrawApplication": _case_withdraw,
    "issue": _case_issue,
    "advise": _case_advise,
    "confirm": _case_confirm,
    "updateIssuerAccount": _case_update_issuer,
    "proposeAmendment": _case_propose,
    "proposeCancellation": _case_cancel,
    "agreeAmendment": _case_agree,
    "acceptAmendment": _case_accept,
    "rejectAmendment": _case_reject,
    "recordTransportDocument": _case_record,
    "present": _case_present,
    "refuse": _case_refuse,
    "waive": _case_waive,
    "declineWaiver": _case_decline,
    "honour": _case_honour,
    "claimPrecluded": _case_claim,
    "settleAtMaturity": _case_settle,
    "transferClaim": _case_transfer,
    "releaseExpired": _case_release,
}


def test_every_state_changing_function_has_a_pause_case(lc):
    mutating = {
        f["name"]
        for f in lc.abi
        if f["type"] == "function" and f["stateMutability"] not in ("view", "pure")
    }

    assert mutating == set(CASES)


@pytest.mark.parametrize("name", list(CASES))
def test_a_state_change_is_refused_while_the_system_is_paused(world, pause, state, name):
    credit_id, call = CASES[name](world)
    ids = () if credit_id is None else (credit_id,)
    pause()
    before = state(*ids)

    with reverts_with("LetterOfCreditPaused"):
        call()

    assert state(*ids) == before


@pytest.mark.parametrize("name", ["present", "honour", "acceptAmendment", "releaseExpired"])
def test_the_same_call_succeeds_once_the_pause_is_lifted(
    world, registry, customs, pboc, gov, pause, name
):
    _, call = CASES[name](world)
    pause()
    pass_proposal(registry, UNPAUSE, b"", [customs, pboc, gov])

    tx = call()

    assert tx.status == 1


def test_reads_still_work_while_paused(lc, credit, pause, t0):
    pause()

    assert lc.creditOf(credit)["amount"] == AMOUNT
    assert lc.maxDrawable(AMOUNT, 1000) == AMOUNT * 11 // 10
    assert lc.examinationDeadline(t0) == ucp.Calendar().examination_deadline(t0)


# ------------------------------------------------ Art. 36: a pause stops the UCP clocks
@pytest.fixture
def pause_between(registry, customs, pboc, gov, at):
    """pause_between(start, end) -> seconds paused: the alliance pauses the system by a vote
    decided at `start` and lifts the pause by a vote decided at `end`."""

    def _pause(start, end):
        at(start)
        paused = pass_proposal(registry, PAUSE, b"", [customs, pboc, gov]).timestamp
        at(end)
        unpaused = pass_proposal(registry, UNPAUSE, b"", [customs, pboc, gov]).timestamp
        return unpaused - paused

    return _pause


@pytest.fixture
def exam_deadline(t0):
    """The examination deadline of a presentation on Thursday t0 + 3 days."""
    return ucp.Calendar().examination_deadline(t0 + 3 * DAY)


def test_a_pause_during_the_examination_stops_its_clock(
    lc, shipped, present, pause_between, bocom, exporter, exam_deadline, at, t0
):
    present(shipped, when=t0 + 3 * DAY)
    paused = pause_between(t0 + 4 * DAY, t0 + 6 * DAY)
    at(exam_deadline + paused)
    with reverts_with("LetterOfCreditNotPrecluded", shipped, 1, exam_deadline + paused):
        lc.claimPrecluded(shipped, 1, {"from": exporter})

    lc.refuse(shipped, 1, [1], NOTICE, HOLD, {"from": bocom})

    assert lc.creditOf(shipped)["exam"] == EX_REFUSED


def test_after_the_paused_time_the_bank_is_precluded(
    lc, shipped, present, pause_between, bocom, exporter, exam_deadline, at, t0, state
):
    present(shipped, when=t0 + 3 * DAY)
    paused = pause_between(t0 + 4 * DAY, t0 + 6 * DAY)
    assert lc.examinationDeadline(t0 + 3 * DAY) == exam_deadline  # the calendar's part
    at(exam_deadline + paused + 1)
    before = state(shipped)

    with reverts_with("LetterOfCreditPrecluded", shipped, 1, exam_deadline + paused):
        lc.refuse(shipped, 1, [1], NOTICE, HOLD, {"from": bocom})

    assert state(shipped) == before
    assert lc.claimPrecluded(shipped, 1, {"from": exporter}).events["PresentationHonoured"]


def test_a_pause_before_the_presentation_does_not_stop_its_clock(
    lc, shipped, present, pause_between, bocom, exam_deadline, at, t0, state
):
    pause_between(t0 + DAY + HOUR, t0 + 2 * DAY)
    present(shipped, when=t0 + 3 * DAY)
    at(exam_deadline + 1)
    before = state(shipped)

    with reverts_with("LetterOfCreditPrecluded", shipped, 1, exam_deadline):
        lc.refuse(shipped, 1, [1], NOTICE, HOLD, {"from": bocom})

    assert state(shipped) == before


def test_a_pause_after_shipment_stops_the_21_day_clock(lc, shipped, present, pause_between, t0):
    last = ucp.end_of(ucp.day_of(t0 + DAY) + 21)  # shipped on board t0 + 1 day
    paused = pause_between(t0 + 5 * DAY, t0 + 6 * DAY)
    assert lc.presentationDeadline(t0 + DAY) == last + paused

    present(shipped, when=last + paused)

    assert lc.creditOf(shipped)["exam"] == EX_PRESENTED


def test_after_the_paused_time_the_21_days_are_over(lc, shipped, present, pause_between, state, t0):
    last = ucp.end_of(ucp.day_of(t0 + DAY) + 21)
    paused = pause_between(t0 + 5 * DAY, t0 + 6 * DAY)
    before = state(shipped)

    with reverts_with("LetterOfCreditPresentationTooLate", shipped, t0 + DAY, last + paused):
        present(shipped, when=last + paused + 1)

    assert state(shipped) == before


def test_a_pause_before_expiry_stops_the_expiry_clock_and_holds_the_escrow(
    lc, open_credit, ship, present, pause_between, outsider, at, state, t0
):
    expiry = t0 + 15 * DAY  # a Tuesday
    credit_id = open_credit(latestShipment=t0 + 10 * DAY, expiry=expiry)
    ship(credit_id)
    paused = pause_between(t0 + 10 * DAY, t0 + 11 * DAY)
    assert lc.presentationExpiry(credit_id) == expiry + paused
    at(expiry + paused)
    with reverts_with("LetterOfCreditNotExpired", credit_id, expiry + paused):
        lc.releaseExpired(credit_id, {"from": outsider})
    before = state(credit_id)

    with reverts_with("LetterOfCreditExpired", credit_id, expiry):
        present(credit_id, when=expiry + paused + 1)

    assert state(credit_id) == before
    lc.releaseExpired(credit_id, {"from": outsider})
    assert lc.creditOf(credit_id)["status"] == ST_EXPIRED


def test_a_presentation_in_the_paused_time_after_expiry_is_accepted(
    lc, open_credit, ship, present, pause_between, t0
):
    expiry = t0 + 15 * DAY
    credit_id = open_credit(latestShipment=t0 + 10 * DAY, expiry=expiry)
    ship(credit_id)
    paused = pause_between(t0 + 10 * DAY, t0 + 11 * DAY)

    present(credit_id, when=expiry + paused)

    assert lc.creditOf(credit_id)["exam"] == EX_PRESENTED


def test_a_pause_long_before_expiry_does_not_move_it(lc, credit, pause_between, outsider, at, t0):
    pause_between(t0 + 2 * DAY, t0 + 3 * DAY)  # 57 days before expiry: no document lives so long
    assert lc.presentationExpiry(credit) == t0 + 60 * DAY
    at(t0 + 60 * DAY + 1)

    lc.releaseExpired(credit, {"from": outsider})

    assert lc.creditOf(credit)["status"] == ST_EXPIRED
