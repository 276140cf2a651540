import pytest
from eth_abi import encode

from tests.helpers import (
    ADD_OPERATOR,
    BOCOM_ID,
    CARRIER,
    CUSTOMS_ID,
    DECLARANT,
    EXPORTER,
    IMPORTER,
    PAUSE,
    PBOC_ID,
    REINSTATE_PARTICIPANT,
    REMOVE_MEMBER,
    SET_PARTICIPANT_ROLES,
    ZERO_ADDRESS,
    member_data,
    operator_data,
    participant_data,
    participant_roles_data,
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
    assert list(registry.participantOf(outsider)) == [EXPORTER | IMPORTER, False, member_id, 0]
    assert list(registry.accessOf(outsider)) == [0, 0, EXPORTER | IMPORTER, False]
    assert registry.canHoldTokens(outsider)


def test_registering_member_changes_the_roles_of_its_participant(registry, customs, exporter):
    tx = registry.registerParticipant(exporter, EXPORTER | CARRIER, {"from": customs})

    assert tx.events["ParticipantRegistered"] == {
        "account": exporter,
        "roles": EXPORTER | CARRIER,
        "memberId": CUSTOMS_ID,
    }
    assert list(registry.participantOf(exporter)) == [EXPORTER | CARRIER, False, CUSTOMS_ID, 0]
    assert registry.accessOf(exporter)[2] == EXPORTER | CARRIER


def test_another_operator_of_the_registering_member_changes_the_roles(
    registry, customs, pboc, gov, exporter, newcomers
):
    pass_proposal(
        registry, ADD_OPERATOR, operator_data(CUSTOMS_ID, newcomers[0]), [customs, pboc, gov]
    )

    registry.registerParticipant(exporter, EXPORTER | DECLARANT, {"from": newcomers[0]})

    assert list(registry.participantOf(exporter)) == [EXPORTER | DECLARANT, False, CUSTOMS_ID, 0]


@pytest.mark.parametrize("roles", [EXPORTER | CARRIER, EXPORTER])
@pytest.mark.parametrize("member", ["pboc", "bocom"])
def test_another_member_cannot_take_over_or_change_a_participant(
    registry, request, member, roles, exporter, snapshot
):
    # Attack: a member re-registers a participant that customs vetted, to give it roles
    # customs never checked (or, with the same roles, to become the member it answers to).
    operator = request.getfixturevalue(member)
    before = snapshot()

    with reverts_with("AllianceNotRegistrar", exporter, CUSTOMS_ID):
        registry.registerParticipant(exporter, roles, {"from": operator})

    assert snapshot() == before
    assert list(registry.participantOf(exporter)) == [EXPORTER, False, CUSTOMS_ID, 0]


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

    assert tx.events["ParticipantSuspended"] == {"account": exporter, "memberId": PBOC_ID}
    assert list(registry.participantOf(exporter)) == [EXPORTER, True, CUSTOMS_ID, PBOC_ID]
    assert registry.accessOf(exporter)[2] == 0
    assert not registry.canHoldTokens(exporter)


def test_suspending_member_lifts_its_suspension(registry, pboc, exporter):
    registry.suspendParticipant(exporter, {"from": pboc})

    tx = registry.reinstateParticipant(exporter, {"from": pboc})

    assert tx.events["ParticipantReinstated"] == {"account": exporter, "memberId": PBOC_ID}
    assert list(registry.participantOf(exporter)) == [EXPORTER, False, CUSTOMS_ID, 0]
    assert registry.accessOf(exporter)[2] == EXPORTER
    assert registry.canHoldTokens(exporter)


def test_another_operator_of_the_suspending_member_lifts_the_suspension(
    registry, customs, pboc, gov, exporter, newcomers
):
    pass_proposal(
        registry, ADD_OPERATOR, operator_data(PBOC_ID, newcomers[0]), [customs, pboc, gov]
    )
    registry.suspendParticipant(exporter, {"from": pboc})

    registry.reinstateParticipant(exporter, {"from": newcomers[0]})

    assert list(registry.participantOf(exporter)) == [EXPORTER, False, CUSTOMS_ID, 0]


@pytest.mark.parametrize("member", ["customs", "gov", "bocom"])
def test_another_member_cannot_lift_a_suspension(
    registry, request, member, pboc, exporter, snapshot
):
    # Attack: the central bank suspends an exporter for fraud; another member (even customs,
    # which registered it) lifts the suspension behind its back.
    operator = request.getfixturevalue(member)
    registry.suspendParticipant(exporter, {"from": pboc})
    before = snapshot()

    with reverts_with("AllianceNotSuspender", exporter, PBOC_ID):
        registry.reinstateParticipant(exporter, {"from": operator})

    assert snapshot() == before
    assert registry.accessOf(exporter)[2] == 0


@pytest.mark.parametrize("member", ["customs", "pboc", "gov"])
@pytest.mark.parametrize("roles", [EXPORTER, EXPORTER | IMPORTER])
def test_suspended_participant_cannot_be_re_registered(
    registry, request, member, roles, pboc, exporter, snapshot
):
    # Attack: re-registering a suspended exporter, by its registrar (customs), the suspender
    # (pboc) or anyone else, to clear the suspension or change roles under it.
    operator = request.getfixturevalue(member)
    registry.suspendParticipant(exporter, {"from": pboc})
    before = snapshot()

    with reverts_with("AllianceParticipantSuspended", exporter, PBOC_ID):
        registry.registerParticipant(exporter, roles, {"from": operator})

    assert snapshot() == before
    assert list(registry.participantOf(exporter)) == [EXPORTER, True, CUSTOMS_ID, PBOC_ID]


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


def test_once_the_registering_member_is_gone_only_a_vote_changes_roles(
    registry, customs, pboc, gov, bocom, exporter, snapshot
):
    pass_proposal(registry, REMOVE_MEMBER, member_data(CUSTOMS_ID), [pboc, gov, bocom])
    before = snapshot()

    with reverts_with("AllianceNotMemberOperator", customs):
        registry.registerParticipant(exporter, EXPORTER | CARRIER, {"from": customs})
    with reverts_with("AllianceNotRegistrar", exporter, CUSTOMS_ID):
        registry.registerParticipant(exporter, EXPORTER | CARRIER, {"from": bocom})
    assert snapshot() == before

    data = participant_roles_data(exporter, EXPORTER | CARRIER)
    pass_proposal(registry, SET_PARTICIPANT_ROLES, data, [pboc, gov, bocom])

    assert list(registry.participantOf(exporter)) == [EXPORTER | CARRIER, False, CUSTOMS_ID, 0]


def test_once_the_suspending_member_is_gone_only_a_vote_lifts_the_suspension(
    registry, customs, pboc, gov, bocom, exporter, snapshot
):
    registry.suspendParticipant(exporter, {"from": bocom})
    pass_proposal(registry, REMOVE_MEMBER, member_data(BOCOM_ID), [customs, pboc, gov])
    before = snapshot()

    with reverts_with("AllianceNotMemberOperator", bocom):
        registry.reinstateParticipant(exporter, {"from": bocom})
    with reverts_with("AllianceNotSuspender", exporter, BOCOM_ID):
        registry.reinstateParticipant(exporter, {"from": customs})
    assert snapshot() == before

    pass_proposal(registry, REINSTATE_PARTICIPANT, participant_data(exporter), [customs, pboc, gov])

    assert list(registry.participantOf(exporter)) == [EXPORTER, False, CUSTOMS_ID, 0]
    assert registry.canHoldTokens(exporter)


# ---------------------------------------------------------------------- by alliance vote


def test_vote_changes_the_roles_of_any_participant(registry, pboc, gov, bocom, exporter):
    data = participant_roles_data(exporter, EXPORTER | IMPORTER)

    tx = pass_proposal(registry, SET_PARTICIPANT_ROLES, data, [pboc, gov, bocom])

    pid = tx.events["Executed"]["proposalId"]
    assert tx.events["ParticipantRolesSetByVote"] == {
        "account": exporter,
        "roles": EXPORTER | IMPORTER,
        "proposalId": pid,
    }
    assert list(registry.participantOf(exporter)) == [EXPORTER | IMPORTER, False, CUSTOMS_ID, 0]
    assert registry.accessOf(exporter)[2] == EXPORTER | IMPORTER


def test_vote_changes_roles_under_a_suspension_and_the_suspension_stays(
    registry, customs, pboc, gov, bocom, exporter
):
    registry.suspendParticipant(exporter, {"from": pboc})
    data = participant_roles_data(exporter, IMPORTER)

    pass_proposal(registry, SET_PARTICIPANT_ROLES, data, [customs, gov, bocom])

    assert list(registry.participantOf(exporter)) == [IMPORTER, True, CUSTOMS_ID, PBOC_ID]
    assert registry.accessOf(exporter)[2] == 0


def test_vote_lifts_a_suspension_whoever_imposed_it(registry, customs, pboc, gov, bocom, exporter):
    registry.suspendParticipant(exporter, {"from": pboc})

    tx = pass_proposal(
        registry, REINSTATE_PARTICIPANT, participant_data(exporter), [customs, gov, bocom]
    )

    pid = tx.events["Executed"]["proposalId"]
    assert tx.events["ParticipantReinstatedByVote"] == {"account": exporter, "proposalId": pid}
    assert list(registry.participantOf(exporter)) == [EXPORTER, False, CUSTOMS_ID, 0]
    assert registry.accessOf(exporter)[2] == EXPORTER


def test_two_votes_of_five_do_not_lift_a_suspension(registry, customs, pboc, gov, exporter):
    registry.suspendParticipant(exporter, {"from": pboc})

    pass_proposal(registry, REINSTATE_PARTICIPANT, participant_data(exporter), [customs, gov])

    assert registry.participantOf(exporter)[3] == PBOC_ID


@pytest.mark.parametrize("who", ["outsider", "bocom"])
def test_vote_on_roles_of_a_non_participant_is_refused(registry, request, who, customs, snapshot):
    account = request.getfixturevalue(who)
    before = snapshot()

    with reverts_with("AllianceUnknownParticipant", account):
        registry.propose(
            SET_PARTICIPANT_ROLES, participant_roles_data(account, EXPORTER), {"from": customs}
        )
    with reverts_with("AllianceUnknownParticipant", account):
        registry.propose(REINSTATE_PARTICIPANT, participant_data(account), {"from": customs})

    assert snapshot() == before


@pytest.mark.parametrize("roles", [0, 16, 255])
def test_vote_on_invalid_roles_is_refused(registry, customs, exporter, roles, snapshot):
    before = snapshot()

    with reverts_with("AllianceInvalidRoles", roles):
        registry.propose(
            SET_PARTICIPANT_ROLES, participant_roles_data(exporter, roles), {"from": customs}
        )

    assert snapshot() == before


def test_vote_to_reinstate_an_active_participant_is_refused(registry, customs, exporter, snapshot):
    before = snapshot()

    with reverts_with("AllianceParticipantNotSuspended", exporter):
        registry.propose(REINSTATE_PARTICIPANT, participant_data(exporter), {"from": customs})

    assert snapshot() == before


@pytest.mark.parametrize(
    "action, types, values",
    [
        (SET_PARTICIPANT_ROLES, ["address"], ["exporter"]),
        (SET_PARTICIPANT_ROLES, ["address", "uint256"], ["exporter", 256]),
        (SET_PARTICIPANT_ROLES, ["uint256", "uint8"], [2**160, EXPORTER]),
        (REINSTATE_PARTICIPANT, ["address", "uint8"], ["exporter", EXPORTER]),
        (REINSTATE_PARTICIPANT, ["uint256"], [2**160]),
        (REINSTATE_PARTICIPANT, [], []),
    ],
)
def test_malformed_participant_votes_are_refused(
    registry, customs, exporter, action, types, values, snapshot
):
    data = encode(types, [str(exporter) if v == "exporter" else v for v in values])
    before = snapshot()

    with reverts_with("AllianceBadProposalData", action):
        registry.propose(action, data, {"from": customs})

    assert snapshot() == before


def test_vote_to_reinstate_fails_once_the_suspender_lifted_it_and_stays_open(
    registry, customs, pboc, gov, exporter, snapshot
):
    registry.suspendParticipant(exporter, {"from": pboc})
    pid = registry.propose(
        REINSTATE_PARTICIPANT, participant_data(exporter), {"from": customs}
    ).return_value
    registry.vote(pid, {"from": gov})
    registry.reinstateParticipant(exporter, {"from": pboc})
    before = snapshot()

    with reverts_with("AllianceParticipantNotSuspended", exporter):
        registry.vote(pid, {"from": pboc})

    assert snapshot() == before
    assert registry.proposalOf(pid)[2] is False


def test_participant_votes_pass_while_the_system_is_paused(
    registry, paused, customs, pboc, gov, exporter
):
    data = participant_roles_data(exporter, EXPORTER | IMPORTER)

    pass_proposal(registry, SET_PARTICIPANT_ROLES, data, [customs, pboc, gov])

    assert registry.participantOf(exporter)[0] == EXPORTER | IMPORTER
