import pytest
from brownie import accounts

from tests.helpers import (
    CUSTOMS_ID,
    KIND_COMMERCIAL_BANK,
    KIND_CUSTOMS,
    KIND_GOVERNMENT,
    KIND_NONE,
    ZERO_ADDRESS,
    digest,
    reverts_with,
)

NAME = digest("Bank of China")


def test_deployer_is_the_bootstrapper(registry, deployer):
    assert registry.bootstrapper() == deployer


def test_founding_members_have_ids_kinds_and_operators(registry, customs, pboc, gov, bocom, icbc):
    assert registry.lastMemberId() == 5
    assert registry.activeMemberCount() == 5
    kind, active, name_hash, operators = registry.memberOf(CUSTOMS_ID)
    assert (kind, active, operators) == (KIND_CUSTOMS, True, [customs])
    assert name_hash == digest("Shanghai Customs")
    assert [registry.accessOf(a)[1] for a in (customs, pboc, gov, bocom, icbc)] == [1, 2, 3, 4, 5]


def test_bootstrapper_admits_a_member_with_several_operators(registry, deployer, newcomers):
    ops = newcomers[:2]

    tx = registry.bootstrapMember(KIND_COMMERCIAL_BANK, NAME, ops, {"from": deployer})

    assert tx.return_value == 6
    assert tx.events["MemberAdmitted"] == {
        "memberId": 6,
        "kind": KIND_COMMERCIAL_BANK,
        "nameHash": NAME,
    }
    assert [e["operator"] for e in tx.events["OperatorAdded"]] == ops
    assert list(registry.memberOf(6)) == [KIND_COMMERCIAL_BANK, True, NAME, ops]
    for op in ops:
        assert list(registry.accessOf(op)) == [KIND_COMMERCIAL_BANK, 6, 0, False]
    assert registry.activeMemberCount() == 6


def test_member_operator_may_not_bootstrap_a_member(registry, customs, newcomers, snapshot):
    before = snapshot()

    with reverts_with("AllianceNotBootstrapper", customs):
        registry.bootstrapMember(KIND_CUSTOMS, NAME, [newcomers[0]], {"from": customs})

    assert snapshot() == before


def test_outsider_may_not_bootstrap_a_system_contract(registry, outsider, snapshot):
    before = snapshot()

    with reverts_with("AllianceNotBootstrapper", outsider):
        registry.bootstrapSystemContract(outsider, True, {"from": outsider})

    assert snapshot() == before


def test_member_operator_may_not_finish_the_bootstrap(registry, pboc, snapshot):
    before = snapshot()

    with reverts_with("AllianceNotBootstrapper", pboc):
        registry.finishBootstrap({"from": pboc})

    assert snapshot() == before


def test_member_of_kind_none_is_refused(registry, deployer, newcomers, snapshot):
    before = snapshot()

    with reverts_with("AllianceInvalidKind"):
        registry.bootstrapMember(KIND_NONE, NAME, [newcomers[0]], {"from": deployer})

    assert snapshot() == before


def test_member_without_operators_is_refused(registry, deployer, snapshot):
    before = snapshot()

    with reverts_with("AllianceNoOperators"):
        registry.bootstrapMember(KIND_GOVERNMENT, NAME, [], {"from": deployer})

    assert snapshot() == before


def test_member_with_more_than_eight_operators_is_refused(registry, deployer, snapshot):
    many = [accounts.add() for _ in range(9)]
    before = snapshot()

    with reverts_with("AllianceTooManyOperators", 6, 9):
        registry.bootstrapMember(KIND_GOVERNMENT, NAME, many, {"from": deployer})

    assert snapshot() == before


@pytest.mark.parametrize(
    "who, error",
    [
        ("bocom", "AllianceAccountIsOperator"),
        ("exporter", "AllianceAccountIsParticipant"),
    ],
)
def test_operator_already_known_to_the_registry_is_refused(
    registry, deployer, request, who, error, snapshot
):
    account = request.getfixturevalue(who)
    before = snapshot()

    with reverts_with(error, account):
        registry.bootstrapMember(KIND_COMMERCIAL_BANK, NAME, [account], {"from": deployer})

    assert snapshot() == before


def test_zero_address_operator_is_refused(registry, deployer, snapshot):
    before = snapshot()

    with reverts_with("AllianceZeroAddress"):
        registry.bootstrapMember(KIND_COMMERCIAL_BANK, NAME, [ZERO_ADDRESS], {"from": deployer})

    assert snapshot() == before


def test_duplicate_operator_in_one_admission_is_refused(registry, deployer, newcomers, snapshot):
    before = snapshot()

    with reverts_with("AllianceDuplicateOperator", newcomers[0]):
        registry.bootstrapMember(
            KIND_COMMERCIAL_BANK, NAME, [newcomers[0], newcomers[0]], {"from": deployer}
        )

    assert snapshot() == before


def test_bootstrapper_registers_and_deregisters_a_system_contract(registry, deployer, escrow):
    tx = registry.bootstrapSystemContract(escrow, True, {"from": deployer})

    assert tx.events["SystemContractSet"] == {"target": escrow, "enabled": True}
    assert registry.isSystemContract(escrow)
    assert registry.canHoldTokens(escrow)

    registry.bootstrapSystemContract(escrow, False, {"from": deployer})

    assert not registry.isSystemContract(escrow)
    assert not registry.canHoldTokens(escrow)


def test_registering_a_system_contract_twice_is_refused(registry, deployer, escrow, snapshot):
    registry.bootstrapSystemContract(escrow, True, {"from": deployer})
    before = snapshot()

    with reverts_with("AllianceSystemContractAlreadySet", escrow, True):
        registry.bootstrapSystemContract(escrow, True, {"from": deployer})

    assert snapshot() == before
    assert registry.isSystemContract(escrow)


def test_zero_address_system_contract_is_refused(registry, deployer, snapshot):
    before = snapshot()

    with reverts_with("AllianceZeroAddress"):
        registry.bootstrapSystemContract(ZERO_ADDRESS, True, {"from": deployer})

    assert snapshot() == before


def test_finishing_the_bootstrap_clears_the_bootstrapper(registry, deployer):
    tx = registry.finishBootstrap({"from": deployer})

    assert tx.events["BootstrapFinished"] == {"bootstrapper": deployer}
    assert registry.bootstrapper() == ZERO_ADDRESS


def test_after_the_bootstrap_nothing_can_be_bootstrapped(registry, deployer, newcomers, escrow):
    registry.finishBootstrap({"from": deployer})

    with reverts_with("AllianceBootstrapFinished"):
        registry.bootstrapMember(KIND_CUSTOMS, NAME, [newcomers[0]], {"from": deployer})
    with reverts_with("AllianceBootstrapFinished"):
        registry.bootstrapSystemContract(escrow, True, {"from": deployer})
    with reverts_with("AllianceBootstrapFinished"):
        registry.finishBootstrap({"from": deployer})
    assert registry.lastMemberId() == 5
    assert not registry.isSystemContract(escrow)


def test_bootstrap_cannot_finish_without_members(AllianceRegistry, deployer):
    empty = AllianceRegistry.deploy({"from": deployer})

    with reverts_with("AllianceNoMembers"):
        empty.finishBootstrap({"from": deployer})

    assert empty.bootstrapper() == deployer
