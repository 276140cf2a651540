"""Deployment, treasury changes and reads of unknown declarations."""

import pytest

from tests.customs.declarations import AUDIT_PERIOD, DUTY_PAYMENT_PERIOD, EXPORT_ITEMS
from tests.helpers import ZERO_ADDRESS, reverts_with


def test_deployment_wires_registry_token_and_treasury(clearance, registry, token, treasury):
    assert clearance.registry() == registry
    assert clearance.token() == token
    assert clearance.treasury() == treasury
    assert clearance.declarationCount() == 0


def test_deployment_announces_the_first_treasury(clearance, treasury):
    event = clearance.tx.events["TreasuryChanged"]

    assert event["previousTreasury"] == ZERO_ADDRESS
    assert event["newTreasury"] == treasury


def test_time_limits_are_fifteen_days_for_duty_and_three_years_for_audits(clearance):
    assert clearance.DUTY_PAYMENT_PERIOD() == DUTY_PAYMENT_PERIOD
    assert clearance.AUDIT_PERIOD() == AUDIT_PERIOD
    assert clearance.MAX_LINE_ITEMS() == 50


@pytest.mark.parametrize("missing", ["registry", "token", "treasury"])
def test_deployment_refuses_a_zero_address(
    CustomsClearance, registry, token, treasury, deployer, missing
):
    args = {"registry": registry, "token": token, "treasury": treasury}
    args[missing] = ZERO_ADDRESS

    with reverts_with("CustomsZeroAddress"):
        CustomsClearance.deploy(
            args["registry"], args["token"], args["treasury"], {"from": deployer}
        )


def test_deployment_refuses_a_treasury_that_cannot_hold_tokens(
    CustomsClearance, registry, token, deployer, outsider
):
    with reverts_with("CustomsInvalidTreasury", outsider):
        CustomsClearance.deploy(registry, token, outsider, {"from": deployer})


def test_customs_moves_the_treasury(clearance, customs, treasury):
    tx = clearance.setTreasury(customs, {"from": customs})

    assert clearance.treasury() == customs
    assert tx.events["TreasuryChanged"]["previousTreasury"] == treasury
    assert tx.events["TreasuryChanged"]["newTreasury"] == customs


@pytest.mark.parametrize("caller", ["bocom", "pboc", "gov", "declarant", "importer", "outsider"])
def test_only_customs_moves_the_treasury(clearance, unchanged, customs, caller, request):
    account = request.getfixturevalue(caller)

    with unchanged(), reverts_with("CustomsNotCustoms", account):
        clearance.setTreasury(customs, {"from": account})


def test_the_treasury_cannot_move_to_the_zero_address(clearance, unchanged, customs):
    with unchanged(), reverts_with("CustomsZeroAddress"):
        clearance.setTreasury(ZERO_ADDRESS, {"from": customs})


def test_the_treasury_cannot_move_to_an_account_that_cannot_hold_tokens(
    clearance, unchanged, customs, outsider
):
    with unchanged(), reverts_with("CustomsInvalidTreasury", outsider):
        clearance.setTreasury(outsider, {"from": customs})


def test_the_treasury_cannot_move_while_paused(clearance, unchanged, customs, pause):
    pause()

    with unchanged(), reverts_with("CustomsPaused"):
        clearance.setTreasury(customs, {"from": customs})


@pytest.mark.parametrize("declaration_id", [0, 2])
def test_reads_of_an_unknown_declaration_are_refused(clearance, declare, declaration_id):
    declare()

    with reverts_with("CustomsUnknownDeclaration", declaration_id):
        clearance.summaryOf(declaration_id)
    with reverts_with("CustomsUnknownDeclaration", declaration_id):
        clearance.declarationOf(declaration_id)
    with reverts_with("CustomsUnknownDeclaration", declaration_id):
        clearance.dutyDueAt(declaration_id)
    with reverts_with("CustomsUnknownDeclaration", declaration_id):
        clearance.guaranteeOutstanding(declaration_id)
    with reverts_with("CustomsUnknownDeclaration", declaration_id):
        clearance.verifyItems(declaration_id, EXPORT_ITEMS)
