"""The alliance-wide pause stops every state change of the letter-of-credit contract.

Each case (a function of the `world` fixture, `w` for short) first brings a credit to the state
where the call would succeed, then pauses the system: the call reverts with LetterOfCreditPaused,
nothing changes, and reads still work.
"""

from types import SimpleNamespace

import pytest

from tests.credit import ucp_model as ucp
from tests.credit.support import AMOUNT, BL, BL_NUMBER, DAY, DEFERRED, DOCS, NOTICE, VOYAGE, terms
from tests.helpers import UNPAUSE, digest, pass_proposal, reverts_with

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
    decl = w.declare()
    return cid, lambda: w.lc.present(cid, AMOUNT, BL, decl, DOCS, {"from": w.exporter})


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
