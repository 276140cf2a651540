"""callGuarantee once duty is overdue, late payment, and the audit period: these need time to
pass (chain.sleep / evm_setNextBlockTimestamp), so they run on Anvil only."""

import pytest
from brownie import chain, web3

from tests.customs.conftest import IMPORT_DUTY
from tests.customs.declarations import (
    AUDIT_PERIOD,
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
def test_customs_calls_an_overdue_guarantee_and_the_bank_pays(
    clearance, declare, token, customs, bocom, treasury, status
):
    declaration_id = declare(IMPORT, to=status, channel=GREEN, secured_by="guarantee")
    token.approve(clearance, IMPORT_DUTY, {"from": bocom})
    bocom_before = token.balanceOf(bocom)
    _after_due_date(clearance, declaration_id)

    tx = clearance.callGuarantee(declaration_id, {"from": customs})

    r = record(clearance, declaration_id)
    assert r["status"] == status
    assert r["flags"] == GUARANTEED | GUARANTEE_CALLED
    assert clearance.guaranteeOutstanding(declaration_id) is False
    assert token.balanceOf(bocom) == bocom_before - IMPORT_DUTY
    assert token.balanceOf(treasury) == IMPORT_DUTY
    event = tx.events["GuaranteeCalled"]
    assert (event["id"], event["bank"], event["amount"]) == (declaration_id, bocom, IMPORT_DUTY)


def test_a_guarantee_called_before_release_still_lets_customs_release(
    clearance, declare, token, customs, bocom
):
    declaration_id = declare(IMPORT, to=DUTY_SECURED, channel=GREEN, secured_by="guarantee")
    token.approve(clearance, IMPORT_DUTY, {"from": bocom})
    _after_due_date(clearance, declaration_id)
    clearance.callGuarantee(declaration_id, {"from": customs})

    clearance.release(declaration_id, {"from": customs})

    assert clearance.summaryOf(declaration_id)["status"] == RELEASED


def test_the_guarantee_is_not_due_on_the_due_date_itself(
    clearance, declare, unchanged, token, customs, bocom
):
    declaration_id = declare(IMPORT, to=RELEASED, channel=GREEN, secured_by="guarantee")
    token.approve(clearance, IMPORT_DUTY, {"from": bocom})
    due_at = clearance.dutyDueAt(declaration_id)
    _next_block_at(due_at)

    with unchanged(), reverts_with("CustomsGuaranteeNotDue", declaration_id, due_at):
        clearance.callGuarantee(declaration_id, {"from": customs})

    assert web3.eth.get_block("latest")["timestamp"] == due_at  # the refused call was mined then


def test_a_bank_that_has_not_approved_the_clearance_cannot_pay(
    clearance, declare, unchanged, customs, bocom
):
    declaration_id = declare(IMPORT, to=RELEASED, channel=GREEN, secured_by="guarantee")
    _after_due_date(clearance, declaration_id)

    with unchanged(), reverts_with("CustomsGuarantorCannotPay", declaration_id, bocom, IMPORT_DUTY):
        clearance.callGuarantee(declaration_id, {"from": customs})


def test_a_bank_without_the_funds_cannot_pay(
    clearance, declare, unchanged, token, customs, bocom, icbc
):
    declaration_id = declare(IMPORT, to=RELEASED, channel=GREEN, secured_by="guarantee")
    token.transfer(icbc, token.balanceOf(bocom) - IMPORT_DUTY + 1, {"from": bocom})
    token.approve(clearance, IMPORT_DUTY, {"from": bocom})
    _after_due_date(clearance, declaration_id)

    with unchanged(), reverts_with("CustomsGuarantorCannotPay", declaration_id, bocom, IMPORT_DUTY):
        clearance.callGuarantee(declaration_id, {"from": customs})


def test_a_called_guarantee_is_not_called_again(
    clearance, declare, unchanged, token, customs, bocom
):
    declaration_id = declare(IMPORT, to=RELEASED, channel=GREEN, secured_by="guarantee")
    token.approve(clearance, 2 * IMPORT_DUTY, {"from": bocom})
    _after_due_date(clearance, declaration_id)
    clearance.callGuarantee(declaration_id, {"from": customs})

    with unchanged(), reverts_with("CustomsDutyAlreadyCollected", declaration_id):
        clearance.callGuarantee(declaration_id, {"from": customs})


def test_the_trader_cannot_pay_once_the_bank_has_paid(
    clearance, declare, unchanged, token, customs, bocom, importer
):
    declaration_id = declare(IMPORT, to=RELEASED, channel=GREEN, secured_by="guarantee")
    token.approve(clearance, IMPORT_DUTY, {"from": bocom})
    _after_due_date(clearance, declaration_id)
    clearance.callGuarantee(declaration_id, {"from": customs})

    with unchanged(), reverts_with("CustomsDutyAlreadyCollected", declaration_id):
        clearance.payDuty(declaration_id, {"from": importer})


def test_the_trader_may_pay_late_while_the_guarantee_is_not_called(
    clearance, declare, unchanged, customs, importer, treasury, token
):
    declaration_id = declare(IMPORT, to=RELEASED, channel=GREEN, secured_by="guarantee")
    _after_due_date(clearance, declaration_id)

    tx = clearance.payDuty(declaration_id, {"from": importer})

    assert "GuaranteeDischarged" in tx.events
    assert record(clearance, declaration_id)["flags"] == GUARANTEED | DUTY_PAID
    assert token.balanceOf(treasury) == IMPORT_DUTY
    with unchanged(), reverts_with("CustomsDutyAlreadyCollected", declaration_id):
        clearance.callGuarantee(declaration_id, {"from": customs})


def test_the_guarantee_of_a_rejected_declaration_is_never_called(
    clearance, declare, unchanged, token, customs, bocom
):
    declaration_id = declare(IMPORT, to=DUTY_SECURED, channel=GREEN, secured_by="guarantee")
    clearance.reject(declaration_id, 4, commitment("reason"), {"from": customs})
    token.approve(clearance, IMPORT_DUTY, {"from": bocom})
    _after_due_date(clearance, declaration_id)

    with unchanged(), reverts_with("CustomsWrongStatus", declaration_id, REJECTED):
        clearance.callGuarantee(declaration_id, {"from": customs})


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
