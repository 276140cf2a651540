"""The registry's side of the eCNY token: freeze flags (set only by system contracts: the token,
for the central bank) and `tokenAccess`, the one call a token balance change makes. An EOA
registered as a system contract stands in for the token here; tests/token drives the real one."""

import pytest

from tests.helpers import (
    BOCOM_ID,
    EXPORTER,
    PAUSE,
    REMOVE_MEMBER,
    ZERO_ADDRESS,
    member_data,
    pass_proposal,
    reverts_with,
)

ZERO = ZERO_ADDRESS


@pytest.fixture
def stand_in(registry, deployer, newcomers):
    """An account registered as a system contract, calling the registry as the token would."""
    registry.bootstrapSystemContract(newcomers[0], True, {"from": deployer})
    return newcomers[0]


def test_system_contract_sets_and_clears_a_freeze_flag(registry, stand_in, exporter):
    tx = registry.setFrozen(exporter, True, {"from": stand_in})

    assert tx.return_value is False
    assert tx.events["FrozenSet"] == {
        "account": exporter,
        "frozen": True,
        "systemContract": stand_in,
    }
    assert registry.isFrozen(exporter)

    tx = registry.setFrozen(exporter, False, {"from": stand_in})

    assert tx.return_value is True
    assert tx.events["FrozenSet"]["frozen"] is False
    assert not registry.isFrozen(exporter)


@pytest.mark.parametrize("frozen", [True, False])
def test_setting_a_freeze_flag_to_its_value_changes_nothing(
    registry, stand_in, exporter, frozen, snapshot
):
    if frozen:
        registry.setFrozen(exporter, True, {"from": stand_in})
    before = snapshot()

    tx = registry.setFrozen(exporter, frozen, {"from": stand_in})

    assert tx.return_value is frozen
    assert "FrozenSet" not in tx.events
    assert snapshot() == before


@pytest.mark.parametrize("caller", ["pboc", "customs", "exporter", "deployer", "outsider"])
def test_only_a_system_contract_sets_freeze_flags(registry, request, caller, importer, snapshot):
    # Not even the central bank directly: it freezes through the token, which records why.
    account = request.getfixturevalue(caller)
    before = snapshot()

    with reverts_with("AllianceNotSystemContract", account):
        registry.setFrozen(importer, True, {"from": account})

    assert snapshot() == before


def test_deregistered_system_contract_can_no_longer_set_freeze_flags(
    registry, deployer, stand_in, exporter, snapshot
):
    registry.bootstrapSystemContract(stand_in, False, {"from": deployer})
    before = snapshot()

    with reverts_with("AllianceNotSystemContract", stand_in):
        registry.setFrozen(exporter, True, {"from": stand_in})

    assert snapshot() == before


def test_zero_address_cannot_be_frozen(registry, stand_in, snapshot):
    before = snapshot()

    with reverts_with("AllianceZeroAddress"):
        registry.setFrozen(ZERO_ADDRESS, True, {"from": stand_in})

    assert snapshot() == before


def test_freeze_leaves_roles_and_token_rights_in_the_registry_alone(
    registry, stand_in, bocom, exporter
):
    registry.setFrozen(exporter, True, {"from": stand_in})
    registry.setFrozen(bocom, True, {"from": stand_in})

    assert list(registry.accessOf(exporter)) == [0, 0, EXPORTER, False]
    assert registry.accessOf(bocom)[1] == BOCOM_ID
    assert registry.canHoldTokens(exporter)
    assert registry.canHoldTokens(bocom)


def test_freeze_outlasts_the_removal_of_the_member(registry, stand_in, customs, pboc, gov, bocom):
    registry.setFrozen(bocom, True, {"from": stand_in})

    pass_proposal(registry, REMOVE_MEMBER, member_data(BOCOM_ID), [customs, pboc, gov])

    assert registry.isFrozen(bocom)


# ------------------------------------------------------------------------- tokenAccess


def test_token_access_when_all_may_hold_and_none_is_frozen(registry, bocom, exporter, importer):
    assert list(registry.tokenAccess(exporter, exporter, importer)) == [False, ZERO, ZERO]
    assert list(registry.tokenAccess(bocom, ZERO, exporter)) == [False, ZERO, ZERO]  # mint
    assert list(registry.tokenAccess(bocom, bocom, ZERO)) == [False, ZERO, ZERO]  # burn
    assert list(registry.tokenAccess(importer, ZERO, ZERO)) == [False, ZERO, ZERO]  # approve


def test_token_access_names_the_first_side_that_may_not_hold(
    registry, customs, stand_in, exporter, importer, outsider
):
    registry.setFrozen(exporter, True, {"from": stand_in})
    registry.suspendParticipant(importer, {"from": customs})

    assert list(registry.tokenAccess(exporter, outsider, importer)) == [False, outsider, ZERO]
    assert list(registry.tokenAccess(exporter, exporter, importer)) == [False, importer, ZERO]
    assert list(registry.tokenAccess(exporter, ZERO, outsider)) == [False, outsider, ZERO]


def test_token_access_names_the_frozen_caller_first_then_from_then_to(
    registry, stand_in, bocom, exporter, importer, carrier
):
    for account in (carrier, exporter, importer):
        registry.setFrozen(account, True, {"from": stand_in})

    assert list(registry.tokenAccess(carrier, exporter, importer)) == [False, ZERO, carrier]
    assert list(registry.tokenAccess(bocom, exporter, importer)) == [False, ZERO, exporter]
    assert list(registry.tokenAccess(bocom, bocom, importer)) == [False, ZERO, importer]
    assert list(registry.tokenAccess(importer, bocom, importer)) == [False, ZERO, importer]
    assert list(registry.tokenAccess(carrier, ZERO, ZERO)) == [False, ZERO, carrier]
    assert list(registry.tokenAccess(bocom, ZERO, ZERO)) == [False, ZERO, ZERO]


def test_token_access_reports_the_pause(registry, customs, pboc, gov, exporter, importer):
    pass_proposal(registry, PAUSE, b"", [customs, pboc, gov])

    assert list(registry.tokenAccess(exporter, exporter, importer)) == [True, ZERO, ZERO]
