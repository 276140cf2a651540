from brownie import chain

from tests.helpers import (
    BOCOM_ID,
    PAUSE,
    REMOVE_MEMBER,
    member_data,
    pass_proposal,
    reverts_with,
)
from tests.token.support import sign_permit


def test_participants_transfer_to_each_other(token, exporter, importer, fund):
    fund(importer, 10_000)

    tx = token.transfer(exporter, 2_500, {"from": importer})

    assert tx.events["Transfer"] == {"from": importer, "to": exporter, "value": 2_500}
    assert token.balanceOf(exporter) == 2_500
    assert token.balanceOf(importer) == 7_500


def test_transfer_to_an_unregistered_account_is_refused(
    token, importer, outsider, fund, token_state
):
    fund(importer, 10_000)
    before = token_state()

    with reverts_with("TokenAccountNotAllowed", outsider):
        token.transfer(outsider, 1, {"from": importer})

    assert token_state() == before


def test_suspended_participant_cannot_send(
    token, registry, customs, importer, exporter, fund, token_state
):
    fund(importer, 10_000)
    registry.suspendParticipant(importer, {"from": customs})
    before = token_state()

    with reverts_with("TokenAccountNotAllowed", importer):
        token.transfer(exporter, 1, {"from": importer})

    assert token_state() == before


def test_operator_of_a_removed_bank_cannot_send(
    token, registry, customs, pboc, gov, bocom, exporter, fund
):
    fund(bocom, 1_000)
    pass_proposal(registry, REMOVE_MEMBER, member_data(BOCOM_ID), [customs, pboc, gov])

    with reverts_with("TokenAccountNotAllowed", bocom):
        token.transfer(exporter, 1, {"from": bocom})

    assert token.balanceOf(bocom) == 1_000


def test_system_contract_may_receive_tokens(token, registry, deployer, importer, fund):
    escrow = registry  # any contract address the alliance registers
    registry.bootstrapSystemContract(escrow, True, {"from": deployer})
    fund(importer, 1_000)

    token.transfer(escrow, 600, {"from": importer})

    assert token.balanceOf(escrow) == 600


def test_transfer_from_within_the_allowance(token, exporter, importer, carrier, fund):
    fund(importer, 1_000)
    token.approve(carrier, 300, {"from": importer})

    token.transferFrom(importer, exporter, 300, {"from": carrier})

    assert token.balanceOf(exporter) == 300
    assert token.allowance(importer, carrier) == 0


def test_nothing_moves_while_paused(
    token, registry, customs, pboc, gov, exporter, importer, carrier, fund, token_state
):
    fund(importer, 1_000)
    token.approve(carrier, 500, {"from": importer})
    pass_proposal(registry, PAUSE, b"", [customs, pboc, gov])
    before = token_state()

    with reverts_with("TokenSystemPaused"):
        token.transfer(exporter, 1, {"from": importer})
    with reverts_with("TokenSystemPaused"):
        token.transferFrom(importer, exporter, 1, {"from": carrier})
    with reverts_with("TokenSystemPaused"):
        token.approve(exporter, 1, {"from": importer})

    assert token_state() == before
    assert token.balanceOf(importer) == 1_000


def test_permit_sets_an_allowance_from_a_signature(token, holder, carrier, importer):
    deadline = chain.time() + 3600
    v, r, s = sign_permit(token, holder, carrier, 4_000, deadline)

    tx = token.permit(holder, carrier, 4_000, deadline, v, r, s, {"from": importer})
    token.transferFrom(holder, importer, 4_000, {"from": carrier})

    assert tx.events["Approval"] == {"owner": holder, "spender": carrier, "value": 4_000}
    assert token.nonces(holder) == 1
    assert token.balanceOf(importer) == 4_000


def test_permit_signed_by_another_key_is_refused(
    token, holder, carrier, importer, newcomers, token_state
):
    deadline = chain.time() + 3600
    v, r, s = sign_permit(token, holder, carrier, 4_000, deadline, key=newcomers[1].private_key)
    before = token_state()

    with reverts_with("ERC2612InvalidSigner", newcomers[1], holder):
        token.permit(holder, carrier, 4_000, deadline, v, r, s, {"from": importer})

    assert token_state() == before


def test_permit_cannot_be_replayed(token, holder, carrier, importer):
    deadline = chain.time() + 3600
    v, r, s = sign_permit(token, holder, carrier, 4_000, deadline)
    token.permit(holder, carrier, 4_000, deadline, v, r, s, {"from": importer})
    token.transferFrom(holder, importer, 4_000, {"from": carrier})

    with reverts_with("ERC2612InvalidSigner"):
        token.permit(holder, carrier, 4_000, deadline, v, r, s, {"from": importer})

    assert token.allowance(holder, carrier) == 0


def test_expired_permit_is_refused(token, holder, carrier, importer, token_state):
    deadline = chain.time() - 10
    v, r, s = sign_permit(token, holder, carrier, 4_000, deadline)
    before = token_state()

    with reverts_with("ERC2612ExpiredSignature", deadline):
        token.permit(holder, carrier, 4_000, deadline, v, r, s, {"from": importer})

    assert token_state() == before


def test_permit_is_refused_while_paused(
    token, registry, customs, pboc, gov, holder, carrier, importer
):
    deadline = chain.time() + 3600
    v, r, s = sign_permit(token, holder, carrier, 4_000, deadline)
    pass_proposal(registry, PAUSE, b"", [customs, pboc, gov])

    with reverts_with("TokenSystemPaused"):
        token.permit(holder, carrier, 4_000, deadline, v, r, s, {"from": importer})

    assert token.nonces(holder) == 0


def test_tokens_cannot_be_sent_to_the_token_contract(token, importer, fund, token_state):
    # The token is a system contract (it sets freezes) yet what it received could never move.
    fund(importer, 1_000)
    before = token_state()

    with reverts_with("TokenAccountNotAllowed", token):
        token.transfer(token, 1, {"from": importer})

    assert token_state() == before
