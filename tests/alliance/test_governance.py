import pytest
from brownie import accounts

from tests.helpers import (
    ADD_OPERATOR,
    ADMIT_MEMBER,
    BOCOM_ID,
    CUSTOMS_ID,
    EXPORTER,
    GOV_ID,
    ICBC_ID,
    KIND_COMMERCIAL_BANK,
    KIND_NONE,
    PAUSE,
    PBOC_ID,
    REMOVE_MEMBER,
    REMOVE_OPERATOR,
    REPLACE_OPERATOR,
    SET_SYSTEM_CONTRACT,
    UNPAUSE,
    admit_member_data,
    digest,
    member_data,
    operator_data,
    pass_proposal,
    replace_operator_data,
    reverts_with,
    system_contract_data,
)

WEEK = 7 * 24 * 3600
NAME = digest("China Construction Bank")


# ------------------------------------------------------------------ proposing and voting


def test_proposal_records_the_proposer_and_its_yes_vote(registry, customs, chain):
    tx = registry.propose(PAUSE, b"", {"from": customs})

    assert tx.return_value == 1
    assert tx.events["Proposed"] == {
        "proposalId": 1,
        "memberId": CUSTOMS_ID,
        "action": PAUSE,
        "data": "0x",
    }
    assert tx.events["Voted"] == {"proposalId": 1, "memberId": CUSTOMS_ID}
    action, proposer, executed, deadline, yes, data = registry.proposalOf(1)
    assert (action, proposer, executed, yes) == (PAUSE, CUSTOMS_ID, False, 1)
    assert deadline == chain[tx.block_number].timestamp + WEEK
    assert registry.hasVoted(1, CUSTOMS_ID)
    assert not registry.paused()


def test_two_votes_of_five_do_not_execute(registry, customs, pboc):
    pid = registry.propose(PAUSE, b"", {"from": customs}).return_value

    tx = registry.vote(pid, {"from": pboc})

    assert "Executed" not in tx.events
    assert registry.proposalOf(pid)[2] is False
    assert not registry.paused()


def test_third_vote_of_five_executes_the_proposal(registry, customs, pboc, gov):
    pid = registry.propose(PAUSE, b"", {"from": customs}).return_value
    registry.vote(pid, {"from": pboc})

    tx = registry.vote(pid, {"from": gov})

    assert tx.events["Voted"] == {"proposalId": pid, "memberId": GOV_ID}
    assert tx.events["SystemPaused"] == {"proposalId": pid}
    assert tx.events["Executed"] == {"proposalId": pid}
    assert registry.proposalOf(pid)[2] is True
    assert registry.paused()


@pytest.mark.parametrize("caller", ["outsider", "exporter", "deployer"])
def test_non_members_may_not_propose(registry, request, caller, snapshot):
    account = request.getfixturevalue(caller)
    before = snapshot()

    with reverts_with("AllianceNotMemberOperator", account):
        registry.propose(PAUSE, b"", {"from": account})

    assert snapshot() == before


@pytest.mark.parametrize("caller", ["outsider", "importer", "deployer"])
def test_non_members_may_not_vote(registry, request, caller, customs, snapshot):
    account = request.getfixturevalue(caller)
    pid = registry.propose(PAUSE, b"", {"from": customs}).return_value
    before = snapshot()

    with reverts_with("AllianceNotMemberOperator", account):
        registry.vote(pid, {"from": account})

    assert snapshot() == before
    assert registry.proposalOf(pid)[4] == 1


def test_member_may_not_vote_twice(registry, customs, snapshot):
    pid = registry.propose(PAUSE, b"", {"from": customs}).return_value
    before = snapshot()

    with reverts_with("AllianceAlreadyVoted", pid, CUSTOMS_ID):
        registry.vote(pid, {"from": customs})

    assert snapshot() == before
    assert registry.proposalOf(pid)[4] == 1


def test_second_operator_of_a_member_may_not_vote_again_for_it(
    registry, customs, pboc, gov, bocom, newcomers
):
    pass_proposal(
        registry, ADD_OPERATOR, operator_data(BOCOM_ID, newcomers[0]), [customs, pboc, gov]
    )
    pid = registry.propose(PAUSE, b"", {"from": bocom}).return_value

    with reverts_with("AllianceAlreadyVoted", pid, BOCOM_ID):
        registry.vote(pid, {"from": newcomers[0]})

    assert registry.proposalOf(pid)[4] == 1


def test_vote_on_an_unknown_proposal_is_refused(registry, customs):
    with reverts_with("AllianceUnknownProposal", 7):
        registry.vote(7, {"from": customs})
    with reverts_with("AllianceUnknownProposal", 7):
        registry.proposalOf(7)


def test_vote_on_an_executed_proposal_is_refused(registry, customs, pboc, gov, bocom, snapshot):
    pid = pass_proposal(registry, PAUSE, b"", [customs, pboc, gov]).events["Executed"]["proposalId"]
    before = snapshot()

    with reverts_with("AllianceProposalAlreadyExecuted", pid):
        registry.vote(pid, {"from": bocom})

    assert snapshot() == before


def test_vote_within_the_voting_period_is_accepted(registry, customs, pboc, chain):
    pid = registry.propose(PAUSE, b"", {"from": customs}).return_value
    chain.sleep(WEEK - 3600)

    registry.vote(pid, {"from": pboc})

    assert registry.proposalOf(pid)[4] == 2


def test_vote_after_the_voting_period_is_refused(registry, customs, pboc, gov, chain, snapshot):
    pid = registry.propose(PAUSE, b"", {"from": customs}).return_value
    registry.vote(pid, {"from": pboc})
    deadline = registry.proposalOf(pid)[3]
    chain.sleep(WEEK + 1)
    chain.mine()
    before = snapshot()

    with reverts_with("AllianceProposalExpired", pid, deadline):
        registry.vote(pid, {"from": gov})

    assert snapshot() == before
    assert not registry.paused()


def test_single_member_alliance_executes_on_proposal(
    AllianceRegistry, deployer, customs, newcomers
):
    solo = AllianceRegistry.deploy({"from": deployer})
    solo.bootstrapMember(1, NAME, [customs], {"from": deployer})
    solo.finishBootstrap({"from": deployer})

    tx = solo.propose(ADD_OPERATOR, operator_data(1, newcomers[0]), {"from": customs})

    assert "Executed" in tx.events
    assert solo.accessOf(newcomers[0])[1] == 1


def test_proposals_work_after_the_bootstrap(registry, deployer, customs, pboc, gov, newcomers):
    registry.finishBootstrap({"from": deployer})

    pass_proposal(registry, ADD_OPERATOR, operator_data(GOV_ID, newcomers[0]), [customs, pboc, gov])

    assert registry.accessOf(newcomers[0])[1] == GOV_ID


@pytest.mark.parametrize(
    "action, data",
    [
        (ADMIT_MEMBER, b"\x00" * 64),
        (REMOVE_MEMBER, b""),
        (ADD_OPERATOR, b"\x00" * 32),
        (REMOVE_OPERATOR, b"\x00" * 96),
        (REPLACE_OPERATOR, b"\x00" * 64),
        (SET_SYSTEM_CONTRACT, b"\x00" * 32),
        (PAUSE, b"\x01"),
        (UNPAUSE, b"\x00" * 32),
    ],
)
def test_malformed_proposal_data_is_refused(registry, customs, action, data, snapshot):
    before = snapshot()

    with reverts_with("AllianceBadProposalData", action):
        registry.propose(action, data, {"from": customs})

    assert snapshot() == before


# ---------------------------------------------------------------------------- members


def test_admitted_member_gets_an_id_and_its_operators_act_at_once(
    registry, customs, pboc, gov, newcomers, outsider
):
    data = admit_member_data(KIND_COMMERCIAL_BANK, NAME, newcomers[:2])

    tx = pass_proposal(registry, ADMIT_MEMBER, data, [customs, pboc, gov])

    assert tx.events["MemberAdmitted"] == {
        "memberId": 6,
        "kind": KIND_COMMERCIAL_BANK,
        "nameHash": NAME,
    }
    assert registry.activeMemberCount() == 6
    assert list(registry.memberOf(6)) == [KIND_COMMERCIAL_BANK, True, NAME, newcomers[:2]]
    registry.registerParticipant(outsider, EXPORTER, {"from": newcomers[1]})
    assert registry.participantOf(outsider)[2] == 6


def test_admitting_a_member_of_kind_none_is_refused(registry, customs, newcomers, snapshot):
    before = snapshot()

    with reverts_with("AllianceInvalidKind"):
        registry.propose(
            ADMIT_MEMBER, admit_member_data(KIND_NONE, NAME, newcomers[:1]), {"from": customs}
        )

    assert snapshot() == before


def test_admitting_an_existing_operator_is_refused(registry, customs, icbc, snapshot):
    before = snapshot()

    with reverts_with("AllianceAccountIsOperator", icbc):
        registry.propose(
            ADMIT_MEMBER, admit_member_data(KIND_COMMERCIAL_BANK, NAME, [icbc]), {"from": customs}
        )

    assert snapshot() == before


def test_voted_out_member_loses_all_rights_at_once(
    registry, token, customs, pboc, gov, bocom, exporter, outsider
):
    pid = registry.propose(PAUSE, b"", {"from": customs}).return_value

    tx = pass_proposal(registry, REMOVE_MEMBER, member_data(BOCOM_ID), [customs, pboc, gov])

    assert tx.events["MemberRemoved"] == {"memberId": BOCOM_ID}
    assert tx.events["OperatorRemoved"] == {"memberId": BOCOM_ID, "operator": bocom}
    assert list(registry.accessOf(bocom)) == [0, 0, 0, False]
    assert not registry.canHoldTokens(bocom)
    assert registry.memberOf(BOCOM_ID)[1] is False
    assert registry.activeMemberCount() == 4
    with reverts_with("AllianceNotMemberOperator", bocom):
        registry.registerParticipant(outsider, EXPORTER, {"from": bocom})
    with reverts_with("AllianceNotMemberOperator", bocom):
        registry.propose(PAUSE, b"", {"from": bocom})
    with reverts_with("AllianceNotMemberOperator", bocom):
        registry.vote(pid, {"from": bocom})
    with reverts_with("TokenNotCommercialBank", bocom):
        token.mint(exporter, 100, digest("deposit"), {"from": bocom})


def test_removed_member_votes_no_longer_count(registry, customs, pboc, gov, bocom, icbc):
    pid = registry.propose(PAUSE, b"", {"from": bocom}).return_value
    registry.vote(pid, {"from": icbc})
    pass_proposal(registry, REMOVE_MEMBER, member_data(BOCOM_ID), [customs, pboc, gov])
    assert registry.proposalOf(pid)[4] == 1

    registry.vote(pid, {"from": customs})

    assert not registry.paused()  # 2 of 4 is no majority
    registry.vote(pid, {"from": pboc})
    assert registry.paused()


def test_execute_runs_a_proposal_that_became_a_majority_after_removals(
    registry, customs, pboc, gov, bocom, icbc
):
    pid = registry.propose(PAUSE, b"", {"from": customs}).return_value
    registry.vote(pid, {"from": pboc})
    pass_proposal(registry, REMOVE_MEMBER, member_data(ICBC_ID), [customs, pboc, bocom])
    with reverts_with("AllianceNoMajority", pid, 2, 4):
        registry.execute(pid, {"from": gov})
    pass_proposal(registry, REMOVE_MEMBER, member_data(BOCOM_ID), [customs, pboc, gov])

    tx = registry.execute(pid, {"from": gov})

    assert tx.events["Executed"] == {"proposalId": pid}
    assert registry.paused()


def test_outsider_may_not_execute(registry, customs, outsider):
    pid = registry.propose(PAUSE, b"", {"from": customs}).return_value

    with reverts_with("AllianceNotMemberOperator", outsider):
        registry.execute(pid, {"from": outsider})


def test_removing_an_unknown_or_removed_member_is_refused(registry, customs, pboc, gov, snapshot):
    pass_proposal(registry, REMOVE_MEMBER, member_data(ICBC_ID), [customs, pboc, gov])
    before = snapshot()

    with reverts_with("AllianceUnknownMember", ICBC_ID):
        registry.propose(REMOVE_MEMBER, member_data(ICBC_ID), {"from": customs})
    with reverts_with("AllianceUnknownMember", 99):
        registry.propose(REMOVE_MEMBER, member_data(99), {"from": customs})

    assert snapshot() == before


def test_removing_the_last_member_is_impossible(AllianceRegistry, deployer, customs):
    solo = AllianceRegistry.deploy({"from": deployer})
    solo.bootstrapMember(1, NAME, [customs], {"from": deployer})

    with reverts_with("AllianceLastMember", 1):
        solo.propose(REMOVE_MEMBER, member_data(1), {"from": customs})

    assert solo.activeMemberCount() == 1
    assert solo.accessOf(customs)[1] == 1


def test_proposal_that_became_invalid_fails_on_the_deciding_vote_and_stays_open(
    registry, customs, pboc, gov, newcomers, snapshot
):
    first = registry.propose(ADD_OPERATOR, operator_data(GOV_ID, newcomers[0]), {"from": customs})
    second = registry.propose(ADD_OPERATOR, operator_data(PBOC_ID, newcomers[0]), {"from": customs})
    registry.vote(first.return_value, {"from": pboc})
    registry.vote(first.return_value, {"from": gov})
    registry.vote(second.return_value, {"from": pboc})
    before = snapshot()

    with reverts_with("AllianceAccountIsOperator", newcomers[0]):
        registry.vote(second.return_value, {"from": gov})

    assert snapshot() == before
    assert registry.proposalOf(second.return_value)[2] is False
    assert registry.accessOf(newcomers[0])[1] == GOV_ID


# -------------------------------------------------------------------------- operators


def test_added_operator_acts_for_its_member(registry, customs, pboc, gov, newcomers, outsider):
    tx = pass_proposal(
        registry, ADD_OPERATOR, operator_data(PBOC_ID, newcomers[0]), [customs, pboc, gov]
    )

    assert tx.events["OperatorAdded"] == {"memberId": PBOC_ID, "operator": newcomers[0]}
    assert list(registry.accessOf(newcomers[0])) == [2, PBOC_ID, 0, False]
    assert registry.memberOf(PBOC_ID)[3] == [pboc, newcomers[0]]


@pytest.mark.parametrize(
    "who, error",
    [("icbc", "AllianceAccountIsOperator"), ("carrier", "AllianceAccountIsParticipant")],
)
def test_adding_a_known_account_as_operator_is_refused(
    registry, customs, request, who, error, snapshot
):
    account = request.getfixturevalue(who)
    before = snapshot()

    with reverts_with(error, account):
        registry.propose(ADD_OPERATOR, operator_data(CUSTOMS_ID, account), {"from": customs})

    assert snapshot() == before


def test_adding_an_operator_to_an_unknown_member_is_refused(registry, customs, newcomers, snapshot):
    before = snapshot()

    with reverts_with("AllianceUnknownMember", 42):
        registry.propose(ADD_OPERATOR, operator_data(42, newcomers[0]), {"from": customs})

    assert snapshot() == before


def test_a_member_has_at_most_eight_operators(AllianceRegistry, deployer, customs):
    solo = AllianceRegistry.deploy({"from": deployer})
    solo.bootstrapMember(
        1, NAME, [customs] + [accounts.add() for _ in range(7)], {"from": deployer}
    )

    with reverts_with("AllianceTooManyOperators", 1, 9):
        solo.propose(ADD_OPERATOR, operator_data(1, accounts.add()), {"from": customs})

    assert len(solo.memberOf(1)[3]) == 8


def test_removed_operator_loses_its_rights(registry, customs, pboc, gov, newcomers, outsider):
    pass_proposal(registry, ADD_OPERATOR, operator_data(GOV_ID, newcomers[0]), [customs, pboc, gov])

    tx = pass_proposal(
        registry, REMOVE_OPERATOR, operator_data(GOV_ID, gov), [customs, pboc, newcomers[0]]
    )

    assert tx.events["OperatorRemoved"] == {"memberId": GOV_ID, "operator": gov}
    assert list(registry.accessOf(gov)) == [0, 0, 0, False]
    assert registry.memberOf(GOV_ID)[3] == [newcomers[0]]
    with reverts_with("AllianceNotMemberOperator", gov):
        registry.registerParticipant(outsider, EXPORTER, {"from": gov})


def test_removing_the_last_operator_of_a_member_is_refused(registry, customs, gov, snapshot):
    before = snapshot()

    with reverts_with("AllianceLastOperator", GOV_ID, gov):
        registry.propose(REMOVE_OPERATOR, operator_data(GOV_ID, gov), {"from": customs})

    assert snapshot() == before


def test_removing_an_operator_of_another_member_is_refused(registry, customs, pboc, snapshot):
    before = snapshot()

    with reverts_with("AllianceNotOperatorOf", GOV_ID, pboc):
        registry.propose(REMOVE_OPERATOR, operator_data(GOV_ID, pboc), {"from": customs})

    assert snapshot() == before


def test_replacing_an_operator_moves_the_rights_to_the_new_address(
    registry, customs, pboc, gov, icbc, newcomers
):
    data = replace_operator_data(ICBC_ID, icbc, newcomers[1])

    tx = pass_proposal(registry, REPLACE_OPERATOR, data, [customs, pboc, gov])

    assert tx.events["OperatorRemoved"] == {"memberId": ICBC_ID, "operator": icbc}
    assert tx.events["OperatorAdded"] == {"memberId": ICBC_ID, "operator": newcomers[1]}
    assert list(registry.accessOf(icbc)) == [0, 0, 0, False]
    assert list(registry.accessOf(newcomers[1])) == [KIND_COMMERCIAL_BANK, ICBC_ID, 0, False]
    assert registry.memberOf(ICBC_ID)[3] == [newcomers[1]]


def test_changing_an_operator_by_adding_then_removing(
    registry, customs, pboc, gov, icbc, newcomers
):
    pass_proposal(
        registry, ADD_OPERATOR, operator_data(ICBC_ID, newcomers[2]), [customs, pboc, gov]
    )

    pass_proposal(registry, REMOVE_OPERATOR, operator_data(ICBC_ID, icbc), [customs, pboc, gov])

    assert registry.memberOf(ICBC_ID)[3] == [newcomers[2]]
    assert registry.accessOf(icbc)[1] == 0
    assert registry.accessOf(newcomers[2])[1] == ICBC_ID


@pytest.mark.parametrize(
    "old, new, error, args",
    [
        ("pboc", "newcomer", "AllianceNotOperatorOf", (ICBC_ID, "pboc")),
        ("icbc", "bocom", "AllianceAccountIsOperator", ("bocom",)),
        ("icbc", "exporter", "AllianceAccountIsParticipant", ("exporter",)),
    ],
)
def test_bad_operator_replacement_is_refused(
    registry, customs, request, newcomers, old, new, error, args, snapshot
):
    def resolve(name):
        return newcomers[0] if name == "newcomer" else request.getfixturevalue(name)

    before = snapshot()

    with reverts_with(error, *[a if isinstance(a, int) else resolve(a) for a in args]):
        registry.propose(
            REPLACE_OPERATOR,
            replace_operator_data(ICBC_ID, resolve(old), resolve(new)),
            {"from": customs},
        )

    assert snapshot() == before


# -------------------------------------------------------------- system contracts, pause


def test_system_contract_is_set_by_vote(registry, escrow, customs, pboc, gov):
    tx = pass_proposal(
        registry, SET_SYSTEM_CONTRACT, system_contract_data(escrow, True), [customs, pboc, gov]
    )

    assert tx.events["SystemContractSet"] == {"target": escrow, "enabled": True}
    assert registry.canHoldTokens(escrow)

    pass_proposal(
        registry, SET_SYSTEM_CONTRACT, system_contract_data(escrow, False), [customs, pboc, gov]
    )

    assert not registry.canHoldTokens(escrow)


def test_setting_a_system_contract_to_its_current_value_is_refused(
    registry, escrow, customs, snapshot
):
    before = snapshot()

    with reverts_with("AllianceSystemContractAlreadySet", escrow, False):
        registry.propose(
            SET_SYSTEM_CONTRACT, system_contract_data(escrow, False), {"from": customs}
        )

    assert snapshot() == before


def test_pause_and_unpause_by_vote_while_governance_keeps_working(
    registry, customs, pboc, gov, bocom, newcomers
):
    pass_proposal(registry, PAUSE, b"", [customs, pboc, gov])
    assert registry.accessOf(customs)[3] is True

    pass_proposal(registry, ADD_OPERATOR, operator_data(GOV_ID, newcomers[0]), [bocom, pboc, gov])
    tx = pass_proposal(registry, UNPAUSE, b"", [newcomers[0], bocom, customs])

    assert tx.events["SystemUnpaused"] == {"proposalId": tx.events["Executed"]["proposalId"]}
    assert not registry.paused()
    assert registry.accessOf(newcomers[0])[1] == GOV_ID


def test_pausing_twice_is_refused(registry, customs, pboc, gov, snapshot):
    pass_proposal(registry, PAUSE, b"", [customs, pboc, gov])
    before = snapshot()

    with reverts_with("AllianceAlreadyPaused"):
        registry.propose(PAUSE, b"", {"from": customs})

    assert snapshot() == before


def test_unpausing_a_running_system_is_refused(registry, customs, snapshot):
    before = snapshot()

    with reverts_with("AllianceNotPaused"):
        registry.propose(UNPAUSE, b"", {"from": customs})

    assert snapshot() == before
