"""assessDuty, payDuty, payDutyWithPermit, guaranteeDuty, and the refusals of callGuarantee
that need no time to pass (the calls themselves are in test_guarantee_call.py)."""

import pytest
from brownie import chain

from tests.customs.conftest import BANK_FUNDS, IMPORT_DUTY
from tests.customs.declarations import (
    ASSESSED,
    CHANNELLED,
    DUTY_PAID,
    DUTY_PAYMENT_PERIOD,
    DUTY_SECURED,
    EXPORT,
    GREEN,
    GUARANTEED,
    IMPORT,
    INSPECTED,
    LODGED,
    RED,
    REJECTED,
    RELEASED,
    WITHDRAWN,
    YELLOW,
    commitment,
    permit_signature,
    record,
)
from tests.helpers import (
    ADD_OPERATOR,
    BOCOM_ID,
    ZERO_ADDRESS,
    operator_data,
    pass_proposal,
    reverts_with,
)

NOT_CUSTOMS = ["bocom", "pboc", "gov", "declarant", "importer", "outsider"]

# -------------------------------------------------------------------------------- assessDuty


@pytest.mark.parametrize(
    "channel, status", [(GREEN, CHANNELLED), (YELLOW, INSPECTED), (RED, INSPECTED)]
)
def test_customs_assesses_duty_once_the_channel_checks_are_done(
    clearance, declare, customs, channel, status
):
    declaration_id = declare(IMPORT, to=status, channel=channel)

    tx = clearance.assessDuty(declaration_id, IMPORT_DUTY, {"from": customs})

    r = record(clearance, declaration_id)
    assert r["status"] == ASSESSED
    assert r["duty"] == IMPORT_DUTY
    assert r["assessedAt"] == tx.timestamp
    assert clearance.dutyDueAt(declaration_id) == tx.timestamp + DUTY_PAYMENT_PERIOD
    event = tx.events["DutyAssessed"]
    assert event["id"] == declaration_id
    assert event["amount"] == IMPORT_DUTY
    assert event["dueAt"] == tx.timestamp + DUTY_PAYMENT_PERIOD


def test_zero_duty_is_secured_on_assessment(clearance, declare, customs):
    declaration_id = declare(EXPORT, to=CHANNELLED, channel=GREEN)

    tx = clearance.assessDuty(declaration_id, 0, {"from": customs})

    r = record(clearance, declaration_id)
    assert r["status"] == DUTY_SECURED
    assert r["duty"] == 0
    assert r["flags"] == 0
    assert tx.events["DutyAssessed"]["amount"] == 0


def test_a_duty_of_120_bits_is_assessed(clearance, declare, customs):
    declaration_id = declare(IMPORT, to=CHANNELLED, channel=GREEN)

    clearance.assessDuty(declaration_id, 2**120 - 1, {"from": customs})

    assert record(clearance, declaration_id)["duty"] == 2**120 - 1


@pytest.mark.parametrize("amount", [2**120, 2**128 - 1])
def test_a_duty_beyond_120_bits_is_refused(clearance, declare, unchanged, customs, amount):
    declaration_id = declare(IMPORT, to=CHANNELLED, channel=GREEN)

    with unchanged(), reverts_with("CustomsDutyTooLarge", amount):
        clearance.assessDuty(declaration_id, amount, {"from": customs})


def test_no_due_date_before_assessment(clearance, declare):
    declaration_id = declare(IMPORT, to=CHANNELLED, channel=GREEN)

    assert clearance.dutyDueAt(declaration_id) == 0


@pytest.mark.parametrize("channel", [YELLOW, RED])
def test_duty_waits_for_the_checks_of_a_yellow_or_red_declaration(
    clearance, declare, unchanged, customs, channel
):
    declaration_id = declare(IMPORT, to=CHANNELLED, channel=channel)
    if channel == RED:
        clearance.recordDocumentCheck(declaration_id, True, commitment("docs"), {"from": customs})

    with unchanged(), reverts_with("CustomsWrongStatus", declaration_id, CHANNELLED):
        clearance.assessDuty(declaration_id, IMPORT_DUTY, {"from": customs})


@pytest.mark.parametrize("status", [LODGED, ASSESSED, DUTY_SECURED, RELEASED])
def test_duty_is_assessed_once_and_only_after_the_risk_decision(
    clearance, declare, unchanged, customs, status
):
    declaration_id = declare(IMPORT, to=status, channel=GREEN)

    with unchanged(), reverts_with("CustomsWrongStatus", declaration_id, status):
        clearance.assessDuty(declaration_id, IMPORT_DUTY, {"from": customs})


@pytest.mark.parametrize("caller", NOT_CUSTOMS)
def test_only_customs_assesses_duty(clearance, declare, unchanged, caller, request):
    declaration_id = declare(IMPORT, to=CHANNELLED, channel=GREEN)
    account = request.getfixturevalue(caller)

    with unchanged(), reverts_with("CustomsNotCustoms", account):
        clearance.assessDuty(declaration_id, IMPORT_DUTY, {"from": account})


def test_no_duty_on_an_unknown_declaration(clearance, unchanged, customs):
    with unchanged(), reverts_with("CustomsUnknownDeclaration", 1):
        clearance.assessDuty(1, IMPORT_DUTY, {"from": customs})


def test_no_duty_is_assessed_while_paused(clearance, declare, unchanged, customs, pause):
    declaration_id = declare(IMPORT, to=CHANNELLED, channel=GREEN)
    pause()

    with unchanged(), reverts_with("CustomsPaused"):
        clearance.assessDuty(declaration_id, IMPORT_DUTY, {"from": customs})


# ------------------------------------------------------------------------------------ payDuty


def test_the_importer_pays_the_duty_into_the_treasury(
    clearance, declare, token, importer, treasury
):
    declaration_id = declare(IMPORT, to=ASSESSED, channel=GREEN)
    importer_before, treasury_before = token.balanceOf(importer), token.balanceOf(treasury)

    tx = clearance.payDuty(declaration_id, {"from": importer})

    r = record(clearance, declaration_id)
    assert r["status"] == DUTY_SECURED
    assert r["flags"] == DUTY_PAID
    assert token.balanceOf(importer) == importer_before - IMPORT_DUTY
    assert token.balanceOf(treasury) == treasury_before + IMPORT_DUTY
    event = tx.events["DutyPaid"]
    assert (event["id"], event["payer"], event["amount"]) == (declaration_id, importer, IMPORT_DUTY)
    assert "GuaranteeDischarged" not in tx.events


def test_anyone_may_pay_the_duty_for_the_trader(clearance, declare, token, exporter, treasury):
    declaration_id = declare(IMPORT, to=ASSESSED, channel=GREEN)
    exporter_before = token.balanceOf(exporter)

    tx = clearance.payDuty(declaration_id, {"from": exporter})

    assert token.balanceOf(exporter) == exporter_before - IMPORT_DUTY
    assert token.balanceOf(treasury) == IMPORT_DUTY
    assert tx.events["DutyPaid"]["payer"] == exporter
    assert clearance.summaryOf(declaration_id)["trader"] != exporter


@pytest.mark.parametrize("status", [DUTY_SECURED, RELEASED])
def test_paying_guaranteed_duty_discharges_the_guarantee(
    clearance, declare, token, importer, bocom, treasury, status
):
    declaration_id = declare(IMPORT, to=status, channel=GREEN, secured_by="guarantee")
    assert token.balanceOf(bocom) == BANK_FUNDS - IMPORT_DUTY  # held since the guarantee
    importer_before = token.balanceOf(importer)

    tx = clearance.payDuty(declaration_id, {"from": importer})

    r = record(clearance, declaration_id)
    assert r["status"] == status
    assert r["flags"] == GUARANTEED | DUTY_PAID
    assert clearance.guaranteeOutstanding(declaration_id) is False
    assert token.balanceOf(treasury) == IMPORT_DUTY
    assert token.balanceOf(importer) == importer_before - IMPORT_DUTY
    assert token.balanceOf(bocom) == BANK_FUNDS  # the duty it backed went back to it
    assert token.balanceOf(clearance) == 0
    discharged = tx.events["GuaranteeDischarged"]
    assert (discharged["id"], discharged["bank"]) == (declaration_id, bocom)
    released = tx.events["GuaranteeEscrowReleased"]
    assert (released["id"], released["bank"], released["amount"]) == (
        declaration_id,
        bocom,
        IMPORT_DUTY,
    )


def test_duty_is_paid_once(clearance, declare, unchanged, importer):
    declaration_id = declare(IMPORT, to=DUTY_SECURED, channel=GREEN)

    with unchanged(), reverts_with("CustomsDutyAlreadyCollected", declaration_id):
        clearance.payDuty(declaration_id, {"from": importer})


def test_discharged_guarantee_cannot_be_paid_again(clearance, declare, unchanged, importer):
    declaration_id = declare(IMPORT, to=RELEASED, channel=GREEN, secured_by="guarantee")
    clearance.payDuty(declaration_id, {"from": importer})

    with unchanged(), reverts_with("CustomsDutyAlreadyCollected", declaration_id):
        clearance.payDuty(declaration_id, {"from": importer})


@pytest.mark.parametrize("status", [LODGED, CHANNELLED, INSPECTED])
def test_no_duty_is_paid_before_assessment(clearance, declare, unchanged, importer, status):
    declaration_id = declare(IMPORT, to=status, channel=RED)

    with unchanged(), reverts_with("CustomsWrongStatus", declaration_id, status):
        clearance.payDuty(declaration_id, {"from": importer})


def test_zero_duty_is_not_paid(clearance, declare, unchanged, exporter):
    declaration_id = declare(EXPORT, to=DUTY_SECURED, channel=GREEN)

    with unchanged(), reverts_with("CustomsWrongStatus", declaration_id, DUTY_SECURED):
        clearance.payDuty(declaration_id, {"from": exporter})


def test_no_duty_is_paid_on_a_rejected_or_withdrawn_declaration(
    clearance, declare, unchanged, customs, declarant, importer
):
    rejected = declare(IMPORT, to=DUTY_SECURED, channel=GREEN, secured_by="guarantee")
    withdrawn = declare(IMPORT, to=ASSESSED, channel=GREEN)
    clearance.reject(rejected, 9, commitment("smuggling"), {"from": customs})
    clearance.withdraw(withdrawn, {"from": declarant})

    with unchanged(), reverts_with("CustomsWrongStatus", rejected, REJECTED):
        clearance.payDuty(rejected, {"from": importer})
    with unchanged(), reverts_with("CustomsWrongStatus", withdrawn, WITHDRAWN):
        clearance.payDuty(withdrawn, {"from": importer})


def test_the_payer_must_have_approved_the_duty(clearance, declare, unchanged, token, importer):
    declaration_id = declare(IMPORT, to=ASSESSED, channel=GREEN)
    token.approve(clearance, IMPORT_DUTY - 1, {"from": importer})

    with (
        unchanged(),
        reverts_with("ERC20InsufficientAllowance", clearance, IMPORT_DUTY - 1, IMPORT_DUTY),
    ):
        clearance.payDuty(declaration_id, {"from": importer})


def test_the_payer_must_hold_the_duty(clearance, declare, unchanged, token, declarant):
    declaration_id = declare(IMPORT, to=ASSESSED, channel=GREEN)
    token.approve(clearance, IMPORT_DUTY, {"from": declarant})

    with unchanged(), reverts_with("ERC20InsufficientBalance", declarant, 0, IMPORT_DUTY):
        clearance.payDuty(declaration_id, {"from": declarant})


def test_no_duty_is_paid_on_an_unknown_declaration(clearance, unchanged, importer):
    with unchanged(), reverts_with("CustomsUnknownDeclaration", 4):
        clearance.payDuty(4, {"from": importer})


def test_no_duty_is_paid_while_paused(clearance, declare, unchanged, importer, pause):
    declaration_id = declare(IMPORT, to=ASSESSED, channel=GREEN)
    pause()

    with unchanged(), reverts_with("CustomsPaused"):
        clearance.payDuty(declaration_id, {"from": importer})


# -------------------------------------------------------------------------- payDutyWithPermit


def test_a_permit_pays_the_duty_in_one_transaction(
    clearance, declare, token, signing_importer, treasury
):
    declaration_id = declare(IMPORT, to=ASSESSED, channel=GREEN, trader=signing_importer)
    deadline = chain.time() + 3600
    v, r, s = permit_signature(token, signing_importer, clearance, IMPORT_DUTY, deadline)

    tx = clearance.payDutyWithPermit(declaration_id, deadline, v, r, s, {"from": signing_importer})

    assert clearance.summaryOf(declaration_id)["status"] == DUTY_SECURED
    assert token.balanceOf(treasury) == IMPORT_DUTY
    assert token.allowance(signing_importer, clearance) == 0
    assert token.nonces(signing_importer) == 1
    assert tx.events["DutyPaid"]["payer"] == signing_importer


def test_a_permit_used_by_someone_else_first_still_pays(
    clearance, declare, token, signing_importer, treasury, outsider
):
    declaration_id = declare(IMPORT, to=ASSESSED, channel=GREEN, trader=signing_importer)
    deadline = chain.time() + 3600
    v, r, s = permit_signature(token, signing_importer, clearance, IMPORT_DUTY, deadline)
    token.permit(signing_importer, clearance, IMPORT_DUTY, deadline, v, r, s, {"from": outsider})

    clearance.payDutyWithPermit(declaration_id, deadline, v, r, s, {"from": signing_importer})

    assert token.balanceOf(treasury) == IMPORT_DUTY


def test_a_permit_signed_by_another_key_pays_nothing(
    clearance, declare, unchanged, token, signing_importer, newcomers
):
    declaration_id = declare(IMPORT, to=ASSESSED, channel=GREEN, trader=signing_importer)
    deadline = chain.time() + 3600
    v, r, s = permit_signature(
        token, signing_importer, clearance, IMPORT_DUTY, deadline, signer=newcomers[2]
    )

    with unchanged(), reverts_with("ERC20InsufficientAllowance", clearance, 0, IMPORT_DUTY):
        clearance.payDutyWithPermit(declaration_id, deadline, v, r, s, {"from": signing_importer})


def test_a_permit_for_less_than_the_duty_pays_nothing(
    clearance, declare, unchanged, token, signing_importer
):
    declaration_id = declare(IMPORT, to=ASSESSED, channel=GREEN, trader=signing_importer)
    deadline = chain.time() + 3600
    v, r, s = permit_signature(token, signing_importer, clearance, IMPORT_DUTY - 1, deadline)

    with unchanged(), reverts_with("ERC20InsufficientAllowance", clearance, 0, IMPORT_DUTY):
        clearance.payDutyWithPermit(declaration_id, deadline, v, r, s, {"from": signing_importer})


def test_no_permit_payment_on_an_unknown_declaration(clearance, unchanged, signing_importer):
    with unchanged(), reverts_with("CustomsUnknownDeclaration", 1):
        clearance.payDutyWithPermit(
            1, 0, 27, "0x" + "00" * 32, "0x" + "00" * 32, {"from": signing_importer}
        )


def test_no_permit_payment_while_paused(
    clearance, declare, unchanged, token, signing_importer, pause
):
    declaration_id = declare(IMPORT, to=ASSESSED, channel=GREEN, trader=signing_importer)
    deadline = chain.time() + 3600
    v, r, s = permit_signature(token, signing_importer, clearance, IMPORT_DUTY, deadline)
    pause()

    with unchanged(), reverts_with("CustomsPaused"):
        clearance.payDutyWithPermit(declaration_id, deadline, v, r, s, {"from": signing_importer})


# ------------------------------------------------------------------------------ guaranteeDuty


def test_a_bank_guarantees_the_duty(clearance, declare, token, bocom, treasury):
    declaration_id = declare(IMPORT, to=ASSESSED, channel=RED)
    bocom_before = token.balanceOf(bocom)

    tx = clearance.guaranteeDuty(declaration_id, bocom, {"from": bocom})

    r = record(clearance, declaration_id)
    assert r["status"] == DUTY_SECURED
    assert r["flags"] & GUARANTEED
    assert r["guarantor"] == bocom
    assert clearance.guaranteeOutstanding(declaration_id) is True
    # The guarantee is backed when given: the duty is held by the clearance from now on.
    assert token.balanceOf(bocom) == bocom_before - IMPORT_DUTY
    assert token.balanceOf(clearance) == IMPORT_DUTY
    assert token.balanceOf(treasury) == 0
    event = tx.events["DutyGuaranteed"]
    assert (event["id"], event["bank"], event["amount"]) == (declaration_id, bocom, IMPORT_DUTY)


def test_a_bank_operator_may_name_another_account_of_its_bank(
    clearance, registry, declare, token, customs, pboc, gov, bocom, newcomers
):
    settlement = newcomers[2]
    pass_proposal(registry, ADD_OPERATOR, operator_data(BOCOM_ID, settlement), [customs, pboc, gov])
    token.transfer(settlement, IMPORT_DUTY, {"from": bocom})
    token.approve(clearance, IMPORT_DUTY, {"from": settlement})
    declaration_id = declare(IMPORT, to=ASSESSED, channel=GREEN)
    bocom_before = token.balanceOf(bocom)

    clearance.guaranteeDuty(declaration_id, settlement, {"from": bocom})

    assert record(clearance, declaration_id)["guarantor"] == settlement
    assert token.balanceOf(settlement) == 0
    assert token.balanceOf(bocom) == bocom_before
    assert token.balanceOf(clearance) == IMPORT_DUTY


@pytest.mark.parametrize("allowance", [0, IMPORT_DUTY - 1])
def test_a_bank_that_has_not_approved_the_clearance_cannot_give_the_guarantee(
    clearance, declare, unchanged, token, bocom, allowance
):
    declaration_id = declare(IMPORT, to=ASSESSED, channel=GREEN)
    token.approve(clearance, allowance, {"from": bocom})

    with unchanged(), reverts_with("CustomsGuarantorCannotPay", declaration_id, bocom, IMPORT_DUTY):
        clearance.guaranteeDuty(declaration_id, bocom, {"from": bocom})


def test_a_bank_without_the_funds_cannot_give_the_guarantee(
    clearance, declare, unchanged, token, bocom, icbc
):
    declaration_id = declare(IMPORT, to=ASSESSED, channel=GREEN)
    token.transfer(icbc, token.balanceOf(bocom) - IMPORT_DUTY + 1, {"from": bocom})

    with unchanged(), reverts_with("CustomsGuarantorCannotPay", declaration_id, bocom, IMPORT_DUTY):
        clearance.guaranteeDuty(declaration_id, bocom, {"from": bocom})


def test_a_clearance_that_is_not_a_system_contract_cannot_hold_a_guarantee(
    clearance, registry, declare, unchanged, deployer, bocom
):
    """Deployment must register the clearance as a system contract: the token refuses to let
    any other contract hold tokens, so no guarantee could be given."""
    declaration_id = declare(IMPORT, to=ASSESSED, channel=GREEN)
    registry.bootstrapSystemContract(clearance, False, {"from": deployer})

    with unchanged(), reverts_with("CustomsGuarantorCannotPay", declaration_id, bocom, IMPORT_DUTY):
        clearance.guaranteeDuty(declaration_id, bocom, {"from": bocom})


def test_a_guarantee_cannot_be_backed_by_an_account_of_the_bank_that_has_not_approved(
    clearance, registry, declare, unchanged, token, customs, pboc, gov, bocom, newcomers
):
    settlement = newcomers[2]
    pass_proposal(registry, ADD_OPERATOR, operator_data(BOCOM_ID, settlement), [customs, pboc, gov])
    token.transfer(settlement, IMPORT_DUTY, {"from": bocom})
    declaration_id = declare(IMPORT, to=ASSESSED, channel=GREEN)

    with (
        unchanged(),
        reverts_with("CustomsGuarantorCannotPay", declaration_id, settlement, IMPORT_DUTY),
    ):
        clearance.guaranteeDuty(declaration_id, settlement, {"from": bocom})
    assert token.balanceOf(settlement) == IMPORT_DUTY


@pytest.mark.parametrize("caller", ["customs", "pboc", "gov", "importer", "declarant", "outsider"])
def test_only_a_commercial_bank_guarantees_duty(clearance, declare, unchanged, caller, request):
    declaration_id = declare(IMPORT, to=ASSESSED, channel=GREEN)
    account = request.getfixturevalue(caller)

    with unchanged(), reverts_with("CustomsNotBank", account):
        clearance.guaranteeDuty(declaration_id, account, {"from": account})


@pytest.mark.parametrize("bank", ["icbc", "customs", "importer", "outsider"])
def test_the_guarantee_draws_on_an_account_of_the_guaranteeing_bank(
    clearance, declare, unchanged, bocom, bank, request
):
    declaration_id = declare(IMPORT, to=ASSESSED, channel=GREEN)
    account = request.getfixturevalue(bank)

    with unchanged(), reverts_with("CustomsInvalidGuarantor", account):
        clearance.guaranteeDuty(declaration_id, account, {"from": bocom})


def test_the_guarantor_account_cannot_be_the_zero_address(clearance, declare, unchanged, bocom):
    declaration_id = declare(IMPORT, to=ASSESSED, channel=GREEN)

    with unchanged(), reverts_with("CustomsInvalidGuarantor", ZERO_ADDRESS):
        clearance.guaranteeDuty(declaration_id, ZERO_ADDRESS, {"from": bocom})


@pytest.mark.parametrize("status", [LODGED, CHANNELLED, INSPECTED, DUTY_SECURED, RELEASED])
def test_only_assessed_duty_is_guaranteed(clearance, declare, unchanged, bocom, status):
    declaration_id = declare(IMPORT, to=status, channel=YELLOW)

    with unchanged(), reverts_with("CustomsWrongStatus", declaration_id, status):
        clearance.guaranteeDuty(declaration_id, bocom, {"from": bocom})


def test_zero_duty_needs_no_guarantee(clearance, declare, unchanged, bocom):
    declaration_id = declare(EXPORT, to=DUTY_SECURED, channel=GREEN)

    with unchanged(), reverts_with("CustomsWrongStatus", declaration_id, DUTY_SECURED):
        clearance.guaranteeDuty(declaration_id, bocom, {"from": bocom})


def test_duty_is_guaranteed_once(clearance, declare, unchanged, icbc):
    declaration_id = declare(IMPORT, to=DUTY_SECURED, channel=GREEN, secured_by="guarantee")

    with unchanged(), reverts_with("CustomsWrongStatus", declaration_id, DUTY_SECURED):
        clearance.guaranteeDuty(declaration_id, icbc, {"from": icbc})


def test_no_guarantee_of_an_unknown_declaration(clearance, unchanged, bocom):
    with unchanged(), reverts_with("CustomsUnknownDeclaration", 1):
        clearance.guaranteeDuty(1, bocom, {"from": bocom})


def test_no_guarantee_while_paused(clearance, declare, unchanged, bocom, pause):
    declaration_id = declare(IMPORT, to=ASSESSED, channel=GREEN)
    pause()

    with unchanged(), reverts_with("CustomsPaused"):
        clearance.guaranteeDuty(declaration_id, bocom, {"from": bocom})


# ------------------------------------------------------- callGuarantee (no time travel needed)


def test_a_guarantee_cannot_be_called_before_the_duty_is_due(
    clearance, declare, unchanged, customs
):
    declaration_id = declare(IMPORT, to=RELEASED, channel=GREEN, secured_by="guarantee")
    due_at = clearance.dutyDueAt(declaration_id)

    with unchanged(), reverts_with("CustomsGuaranteeNotDue", declaration_id, due_at):
        clearance.callGuarantee(declaration_id, {"from": customs})


@pytest.mark.parametrize("flow", [IMPORT, EXPORT])
def test_no_guarantee_to_call_when_the_duty_was_paid_or_zero(
    clearance, declare, unchanged, customs, flow
):
    declaration_id = declare(flow, to=RELEASED, channel=GREEN)

    with unchanged(), reverts_with("CustomsNoGuarantee", declaration_id):
        clearance.callGuarantee(declaration_id, {"from": customs})


def test_a_discharged_guarantee_cannot_be_called(clearance, declare, unchanged, customs, importer):
    declaration_id = declare(IMPORT, to=RELEASED, channel=GREEN, secured_by="guarantee")
    clearance.payDuty(declaration_id, {"from": importer})

    with unchanged(), reverts_with("CustomsDutyAlreadyCollected", declaration_id):
        clearance.callGuarantee(declaration_id, {"from": customs})


@pytest.mark.parametrize("caller", NOT_CUSTOMS)
def test_only_customs_calls_a_guarantee(clearance, declare, unchanged, caller, request):
    declaration_id = declare(IMPORT, to=RELEASED, channel=GREEN, secured_by="guarantee")
    account = request.getfixturevalue(caller)

    with unchanged(), reverts_with("CustomsNotCustoms", account):
        clearance.callGuarantee(declaration_id, {"from": account})


def test_no_guarantee_call_on_an_unknown_declaration(clearance, unchanged, customs):
    with unchanged(), reverts_with("CustomsUnknownDeclaration", 2):
        clearance.callGuarantee(2, {"from": customs})


def test_no_guarantee_call_while_paused(clearance, declare, unchanged, customs, pause):
    declaration_id = declare(IMPORT, to=RELEASED, channel=GREEN, secured_by="guarantee")
    pause()

    with unchanged(), reverts_with("CustomsPaused"):
        clearance.callGuarantee(declaration_id, {"from": customs})
