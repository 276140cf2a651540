import pytest

from tests.helpers import (
    CARRIER,
    CUSTOMS_ID,
    EXPORTER,
    IMPORTER,
    PAUSE,
    REMOVE_MEMBER,
    ZERO_ADDRESS,
    member_data,
    pass_proposal,
    reverts_with,
)


@pytest.fixture
def paused(registry, customs, pboc, gov):
    pass_proposal(registry, PAUSE, b"", [customs, pboc, gov])
    assert registry.paused()


@pytest.mark.parametrize("member", ["customs", "pboc", "gov", "bocom", "icbc"])
def test_any_member_operator_registers_a_participant(registry, request, member, outsider):
    operator = request.getfixturevalue(member)
    member_id = registry.accessOf(operator)[1]

    tx = registry.registerParticipant(outsider, EXPORTER | IMPORTER, {"from": operator})

    assert tx.events["ParticipantRegistered"] == {
        "account": outsider,
        "roles": EXPORTER | IMPORTER,
        "memberId": member_id,
    }
    assert list(registry.participantOf(outsider)) == [EXPORTER | IMPORTER, False, member_id]
    assert list(registry.accessOf(outsider)) == [0, 0, EXPORTER | IMPORTER, False]
    assert registry.canHoldTokens(outsider)


def test_re_registration_updates_roles_and_registering_member(registry, exporter, bocom):
    registry.registerParticipant(exporter, EXPORTER | CARRIER, {"from": bocom})

    assert list(registry.participantOf(exporter)) == [EXPORTER | CARRIER, False, 4]


@pytest.mark.parametrize("caller", ["outsider", "exporter", "deployer"])
def test_non_members_may_not_register_participants(registry, request, caller, newcomers, snapshot):
    account = request.getfixturevalue(caller)
    before = snapshot()

    with reverts_with("AllianceNotMemberOperator", account):
        registry.registerParticipant(newcomers[0], EXPORTER, {"from": account})

    assert snapshot() == before


@pytest.mark.parametrize("roles", [0, 16, 17, 255])
def test_invalid_role_bits_are_refused(registry, customs, outsider, roles, snapshot):
    before = snapshot()

    with reverts_with("AllianceInvalidRoles", roles):
        registry.registerParticipant(outsider, roles, {"from": customs})

    assert snapshot() == before


def test_zero_address_participant_is_refused(registry, customs, snapshot):
    before = snapshot()

    with reverts_with("AllianceZeroAddress"):
        registry.registerParticipant(ZERO_ADDRESS, EXPORTER, {"from": customs})

    assert snapshot() == before


def test_member_operator_cannot_be_registered_as_participant(registry, customs, bocom, snapshot):
    before = snapshot()

    with reverts_with("AllianceAccountIsOperator", bocom):
        registry.registerParticipant(bocom, EXPORTER, {"from": customs})

    assert snapshot() == before


def test_suspension_withdraws_roles_and_token_rights(registry, pboc, exporter):
    tx = registry.suspendParticipant(exporter, {"from": pboc})

    assert tx.events["ParticipantSuspended"] == {"account": exporter, "memberId": 2}
    assert list(registry.participantOf(exporter)) == [EXPORTER, True, CUSTOMS_ID]
    assert registry.accessOf(exporter)[2] == 0
    assert not registry.canHoldTokens(exporter)


def test_reinstatement_restores_roles(registry, pboc, gov, exporter):
    registry.suspendParticipant(exporter, {"from": pboc})

    tx = registry.reinstateParticipant(exporter, {"from": gov})

    assert tx.events["ParticipantReinstated"] == {"account": exporter, "memberId": 3}
    assert list(registry.participantOf(exporter)) == [EXPORTER, False, CUSTOMS_ID]
    assert registry.accessOf(exporter)[2] == EXPORTER
    assert registry.canHoldTokens(exporter)


def test_re_registration_keeps_a_suspension(registry, customs, exporter):
    registry.suspendParticipant(exporter, {"from": customs})

    registry.registerParticipant(exporter, IMPORTER, {"from": customs})

    assert list(registry.participantOf(exporter)) == [IMPORTER, True, CUSTOMS_ID]
    assert registry.accessOf(exporter)[2] == 0


@pytest.mark.parametrize("caller", ["outsider", "importer"])
def test_non_members_may_not_suspend_or_reinstate(
    registry, request, caller, customs, exporter, carrier, snapshot
):
    account = request.getfixturevalue(caller)
    registry.suspendParticipant(carrier, {"from": customs})
    before = snapshot()

    with reverts_with("AllianceNotMemberOperator", account):
        registry.suspendParticipant(exporter, {"from": account})
    with reverts_with("AllianceNotMemberOperator", account):
        registry.reinstateParticipant(carrier, {"from": account})

    assert snapshot() == before


def test_unknown_participant_cannot_be_suspended_or_reinstated(
    registry, customs, outsider, snapshot
):
    before = snapshot()

    with reverts_with("AllianceUnknownParticipant", outsider):
        registry.suspendParticipant(outsider, {"from": customs})
    with reverts_with("AllianceUnknownParticipant", outsider):
        registry.reinstateParticipant(outsider, {"from": customs})

    assert snapshot() == before


def test_suspending_twice_is_refused(registry, customs, exporter, snapshot):
    registry.suspendParticipant(exporter, {"from": customs})
    before = snapshot()

    with reverts_with("AllianceParticipantAlreadySuspended", exporter):
        registry.suspendParticipant(exporter, {"from": customs})

    assert snapshot() == before


def test_reinstating_an_active_participant_is_refused(registry, customs, exporter, snapshot):
    before = snapshot()

    with reverts_with("AllianceParticipantNotSuspended", exporter):
        registry.reinstateParticipant(exporter, {"from": customs})

    assert snapshot() == before


def test_participant_changes_stop_while_paused(
    registry, paused, customs, exporter, importer, outsider, snapshot
):
    registry_before = snapshot()

    with reverts_with("AllianceSystemPaused"):
        registry.registerParticipant(outsider, EXPORTER, {"from": customs})
    with reverts_with("AllianceSystemPaused"):
        registry.suspendParticipant(exporter, {"from": customs})
    with reverts_with("AllianceSystemPaused"):
        registry.reinstateParticipant(importer, {"from": customs})

    assert snapshot() == registry_before


def test_reads_still_work_while_paused(registry, paused, customs, exporter):
    assert list(registry.accessOf(customs)) == [1, CUSTOMS_ID, 0, True]
    assert list(registry.accessOf(exporter)) == [0, 0, EXPORTER, True]
    assert registry.canHoldTokens(exporter)


def test_operator_of_a_removed_member_may_not_register(
    registry, customs, pboc, gov, icbc, outsider
):
    pass_proposal(registry, REMOVE_MEMBER, member_data(5), [customs, pboc, gov])

    with reverts_with("AllianceNotMemberOperator", icbc):
        registry.registerParticipant(outsider, EXPORTER, {"from": icbc})

    assert registry.participantOf(outsider)[0] == 0


def test_participants_outlive_the_member_that_registered_them(
    registry, customs, pboc, gov, bocom, exporter
):
    pass_proposal(registry, REMOVE_MEMBER, member_data(CUSTOMS_ID), [pboc, gov, bocom])

    assert registry.accessOf(exporter)[2] == EXPORTER
    assert registry.accessOf(customs)[0] == 0
