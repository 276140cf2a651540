"""callGuarantee once duty is overdue, late payment, the duty clock stopped by an alliance
pause, and the audit period: these need time to pass (chain.sleep / evm_setNextBlockTimestamp),
so they run on Anvil only."""

import pytest
from brownie import chain, web3

from tests.customs.conftest import BANK_FUNDS, IMPORT_DUTY
from tests.customs.declarations import (
    AUDIT_PERIOD,
    CHANNELLED,
    DAY,
    DUTY_PAID,
    DUTY_PAYMENT_PERIOD,
    DUTY_SECURED,
    GREEN,
    GUARANTEE_CALLED,
    GUARANTEED,
    IMPORT,
    REJECTED,
    RELEASED,
    commitment,
    record,
)
from tests.helpers import reverts_with

pytestmark = pytest.mark.timetravel


def _next_block_at(timestamp: int) -> None:
    web3.provider.make_request("evm_setNextBlockTimestamp", [timestamp])


def _after_due_date(clearance, declaration_id) -> None:
    _next_block_at(clearance.dutyDueAt(declaration_id) + 1)


@pytest.mark.parametrize("status", [DUTY_SECURED, RELEASED])
def test_customs_calls_an_overdue_guarantee_and_the_duty_held_goes_to_the_treasury(
    clearance, declare, token, customs, bocom, treasury, status
):
    declaration_id = declare(IMPORT, to=status, channel=GREEN, secured_by="guarantee")
    bocom_before = token.balanceOf(bocom)
    _after_due_date(clearance, declaration_id)

    tx = clearance.callGuarantee(declaration_id, {"from": customs})

    r = record(clearance, declaration_id)
    assert r["status"] == status
    assert r["flags"] == GUARANTEED | GUARANTEE_CALLED
    assert clearance.guaranteeOutstanding(declaration_id) is False
    assert token.balanceOf(bocom) == bocom_before  # it paid when it gave the guarantee
    assert bocom_before == BANK_FUNDS - IMPORT_DUTY
    assert token.balanceOf(clearance) == 0
    assert token.balanceOf(treasury) == IMPORT_DUTY
    event = tx.events["GuaranteeCalled"]
    assert (event["id"], event["bank"], event["amount"]) == (declaration_id, bocom, IMPORT_DUTY)
    assert "GuaranteeEscrowReleased" not in tx.events


def test_a_guarantee_called_before_release_still_lets_customs_release(clearance, declare, customs):
    declaration_id = declare(IMPORT, to=DUTY_SECURED, channel=GREEN, secured_by="guarantee")
    _after_due_date(clearance, declaration_id)
    clearance.callGuarantee(declaration_id, {"from": customs})

    clearance.release(declaration_id, {"from": customs})

    assert clearance.summaryOf(declaration_id)["status"] == RELEASED


def test_the_guarantee_is_not_due_on_the_due_date_itself(clearance, declare, unchanged, customs):
    declaration_id = declare(IMPORT, to=RELEASED, channel=GREEN, secured_by="guarantee")
    due_at = clearance.dutyDueAt(declaration_id)
    _next_block_at(due_at)

    with unchanged(), reverts_with("CustomsGuaranteeNotDue", declaration_id, due_at):
        clearance.callGuarantee(declaration_id, {"from": customs})

    assert web3.eth.get_block("latest")["timestamp"] == due_at  # the refused call was mined then


def test_a_called_guarantee_pays_though_the_bank_has_since_revoked_its_approval_and_spent(
    clearance, declare, token, customs, bocom, icbc, treasury
):
    declaration_id = declare(IMPORT, to=RELEASED, channel=GREEN, secured_by="guarantee")
    token.approve(clearance, 0, {"from": bocom})
    token.transfer(icbc, token.balanceOf(bocom), {"from": bocom})
    _after_due_date(clearance, declaration_id)

    clearance.callGuarantee(declaration_id, {"from": customs})

    assert token.balanceOf(treasury) == IMPORT_DUTY
    assert token.balanceOf(clearance) == 0
    assert token.balanceOf(bocom) == 0


def test_a_called_guarantee_is_not_called_again(clearance, declare, unchanged, customs):
    declaration_id = declare(IMPORT, to=RELEASED, channel=GREEN, secured_by="guarantee")
    _after_due_date(clearance, declaration_id)
    clearance.callGuarantee(declaration_id, {"from": customs})

    with unchanged(), reverts_with("CustomsDutyAlreadyCollected", declaration_id):
        clearance.callGuarantee(declaration_id, {"from": customs})


def test_the_trader_cannot_pay_once_the_bank_has_paid(
    clearance, declare, unchanged, customs, importer
):
    declaration_id = declare(IMPORT, to=RELEASED, channel=GREEN, secured_by="guarantee")
    _after_due_date(clearance, declaration_id)
    clearance.callGuarantee(declaration_id, {"from": customs})

    with unchanged(), reverts_with("CustomsDutyAlreadyCollected", declaration_id):
        clearance.payDuty(declaration_id, {"from": importer})


def test_the_trader_may_pay_late_while_the_guarantee_is_not_called(
    clearance, declare, unchanged, customs, importer, treasury, token, bocom
):
    declaration_id = declare(IMPORT, to=RELEASED, channel=GREEN, secured_by="guarantee")
    _after_due_date(clearance, declaration_id)

    tx = clearance.payDuty(declaration_id, {"from": importer})

    assert "GuaranteeDischarged" in tx.events
    assert tx.events["GuaranteeEscrowReleased"]["amount"] == IMPORT_DUTY
    assert record(clearance, declaration_id)["flags"] == GUARANTEED | DUTY_PAID
    assert token.balanceOf(treasury) == IMPORT_DUTY
    assert token.balanceOf(bocom) == BANK_FUNDS
    assert token.balanceOf(clearance) == 0
    with unchanged(), reverts_with("CustomsDutyAlreadyCollected", declaration_id):
        clearance.callGuarantee(declaration_id, {"from": customs})


def test_rejecting_after_the_guarantee_was_called_gives_the_bank_nothing_back(
    clearance, declare, token, customs, bocom, treasury
):
    declaration_id = declare(IMPORT, to=DUTY_SECURED, channel=GREEN, secured_by="guarantee")
    _after_due_date(clearance, declaration_id)
    clearance.callGuarantee(declaration_id, {"from": customs})

    tx = clearance.reject(declaration_id, 4, commitment("reason"), {"from": customs})

    assert "GuaranteeEscrowReleased" not in tx.events
    assert token.balanceOf(bocom) == BANK_FUNDS - IMPORT_DUTY
    assert token.balanceOf(treasury) == IMPORT_DUTY
    assert token.balanceOf(clearance) == 0


def test_the_guarantee_of_a_rejected_declaration_is_never_called(
    clearance, declare, unchanged, token, customs, bocom
):
    declaration_id = declare(IMPORT, to=DUTY_SECURED, channel=GREEN, secured_by="guarantee")
    clearance.reject(declaration_id, 4, commitment("reason"), {"from": customs})
    _after_due_date(clearance, declaration_id)

    with unchanged(), reverts_with("CustomsWrongStatus", declaration_id, REJECTED):
        clearance.callGuarantee(declaration_id, {"from": customs})
    assert token.balanceOf(bocom) == BANK_FUNDS  # the duty it backed went back on rejection
    assert token.balanceOf(clearance) == 0


# ------------------------------------------------- an alliance pause stops the duty clock


def _pause_for(pause, unpause, seconds) -> int:
    """Pause the alliance for about `seconds`; returns exactly how long it was paused."""
    paused = pause()
    _next_block_at(paused.timestamp + seconds)
    unpaused = unpause()
    return unpaused.timestamp - paused.timestamp


def test_a_pause_before_the_due_date_moves_it_by_the_time_paused(
    clearance, registry, declare, unchanged, token, customs, treasury, pause, unpause
):
    declaration_id = declare(IMPORT, to=RELEASED, channel=GREEN, secured_by="guarantee")
    assessed_at = record(clearance, declaration_id)["assessedAt"]
    due_at = assessed_at + DUTY_PAYMENT_PERIOD
    paused = _pause_for(pause, unpause, 3 * DAY)
    moved = due_at + paused

    assert paused >= 3 * DAY
    assert clearance.dutyDueAt(declaration_id) == moved
    for at in (due_at + 1, moved):
        _next_block_at(at)
        with unchanged(), reverts_with("CustomsGuaranteeNotDue", declaration_id, moved):
            clearance.callGuarantee(declaration_id, {"from": customs})
    _next_block_at(moved + 1)
    clearance.callGuarantee(declaration_id, {"from": customs})

    assert registry.pausedBetween(assessed_at, moved + 1) == paused
    assert token.balanceOf(treasury) == IMPORT_DUTY


def test_a_guarantee_called_early_after_a_pause_names_the_moved_due_date(
    clearance, declare, unchanged, customs, pause, unpause
):
    declaration_id = declare(IMPORT, to=RELEASED, channel=GREEN, secured_by="guarantee")
    due_at = record(clearance, declaration_id)["assessedAt"] + DUTY_PAYMENT_PERIOD
    paused = _pause_for(pause, unpause, DAY)

    with unchanged(), reverts_with("CustomsGuaranteeNotDue", declaration_id, due_at + paused):
        clearance.callGuarantee(declaration_id, {"from": customs})
    assert clearance.dutyDueAt(declaration_id) == due_at + paused


def test_while_the_alliance_is_paused_the_due_date_keeps_moving(
    clearance, declare, unchanged, customs, pause
):
    declaration_id = declare(IMPORT, to=RELEASED, channel=GREEN, secured_by="guarantee")
    due_at = record(clearance, declaration_id)["assessedAt"] + DUTY_PAYMENT_PERIOD
    paused_at = pause().timestamp
    _next_block_at(due_at + DAY)
    chain.mine()
    now = web3.eth.get_block("latest")["timestamp"]

    assert clearance.dutyDueAt(declaration_id) == due_at + (now - paused_at)
    with unchanged(), reverts_with("CustomsPaused"):
        clearance.callGuarantee(declaration_id, {"from": customs})


def test_a_pause_that_ended_before_assessment_does_not_move_the_due_date(
    clearance, declare, customs, bocom, pause, unpause
):
    declaration_id = declare(IMPORT, to=CHANNELLED, channel=GREEN)
    _pause_for(pause, unpause, DAY)
    assessed = clearance.assessDuty(declaration_id, IMPORT_DUTY, {"from": customs})
    clearance.guaranteeDuty(declaration_id, bocom, {"from": bocom})
    due_at = assessed.timestamp + DUTY_PAYMENT_PERIOD

    assert clearance.dutyDueAt(declaration_id) == due_at
    _next_block_at(due_at + 1)
    clearance.callGuarantee(declaration_id, {"from": customs})

    assert record(clearance, declaration_id)["flags"] == GUARANTEED | GUARANTEE_CALLED


def test_a_pause_after_the_due_date_does_not_shield_an_overdue_guarantee(
    clearance, declare, customs, pause, unpause
):
    declaration_id = declare(IMPORT, to=RELEASED, channel=GREEN, secured_by="guarantee")
    due_at = record(clearance, declaration_id)["assessedAt"] + DUTY_PAYMENT_PERIOD
    _next_block_at(due_at + 2 * DAY)
    paused = _pause_for(pause, unpause, DAY)

    # The clock stopped for `paused` seconds, but the duty was two days overdue already.
    assert clearance.dutyDueAt(declaration_id) == due_at + paused
    clearance.callGuarantee(declaration_id, {"from": customs})

    assert record(clearance, declaration_id)["flags"] == GUARANTEED | GUARANTEE_CALLED


def test_an_audit_opens_up_to_three_years_after_release(clearance, declare, customs):
    declaration_id = declare(IMPORT, to=RELEASED, channel=GREEN)
    _next_block_at(record(clearance, declaration_id)["releasedAt"] + AUDIT_PERIOD)

    clearance.openAudit(declaration_id, {"from": customs})

    assert clearance.summaryOf(declaration_id)["underAudit"] is True


def test_no_audit_opens_more_than_three_years_after_release(clearance, declare, unchanged, customs):
    declaration_id = declare(IMPORT, to=RELEASED, channel=GREEN)
    released_at = record(clearance, declaration_id)["releasedAt"]
    chain.sleep(AUDIT_PERIOD + DUTY_PAYMENT_PERIOD)

    with unchanged(), reverts_with("CustomsAuditPeriodOver", declaration_id, released_at):
        clearance.openAudit(declaration_id, {"from": customs})
