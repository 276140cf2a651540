import pytest
from brownie import chain

from tests.helpers import (
    ADD_OPERATOR,
    BOCOM_CAP,
    BOCOM_ID,
    ICBC_ID,
    PAUSE,
    PBOC_ID,
    REMOVE_MEMBER,
    SET_SYSTEM_CONTRACT,
    ZERO_ADDRESS,
    digest,
    member_data,
    operator_data,
    pass_proposal,
    reverts_with,
    system_contract_data,
)
from tests.token.support import sign_permit

ORDER = digest("PBoC freeze order 2019/117")
UINT128_MAX = 2**128 - 1


def test_central_bank_sets_a_bank_issuance_cap(token, pboc):
    tx = token.setIssuanceCap(ICBC_ID, 42, {"from": pboc})

    assert tx.events["IssuanceCapSet"] == {
        "bankMemberId": ICBC_ID,
        "cap": 42,
        "centralBankMemberId": PBOC_ID,
    }
    assert list(token.issuanceOf(ICBC_ID)) == [42, 0]


def test_cap_may_be_lowered_to_the_outstanding_issuance(token, pboc, exporter, fund):
    fund(exporter, 700)

    token.setIssuanceCap(BOCOM_ID, 700, {"from": pboc})

    assert list(token.issuanceOf(BOCOM_ID)) == [700, 700]


def test_cap_below_the_outstanding_issuance_is_refused(token, pboc, exporter, fund, token_state):
    fund(exporter, 700)
    before = token_state()

    with reverts_with("TokenCapBelowOutstanding", BOCOM_ID, 699, 700):
        token.setIssuanceCap(BOCOM_ID, 699, {"from": pboc})

    assert token_state() == before


def test_cap_above_uint128_is_refused(token, pboc, token_state):
    before = token_state()

    with reverts_with("TokenCapTooLarge", UINT128_MAX + 1):
        token.setIssuanceCap(BOCOM_ID, UINT128_MAX + 1, {"from": pboc})

    assert token_state() == before


@pytest.mark.parametrize("member_id", [PBOC_ID, 1, 3, 99])
def test_cap_for_a_member_that_is_no_commercial_bank_is_refused(
    token, pboc, member_id, token_state
):
    before = token_state()

    with reverts_with("TokenNotActiveCommercialBank", member_id):
        token.setIssuanceCap(member_id, 1, {"from": pboc})

    assert token_state() == before


def test_cap_for_a_removed_bank_is_refused(token, registry, customs, pboc, gov):
    pass_proposal(registry, REMOVE_MEMBER, member_data(ICBC_ID), [customs, pboc, gov])

    with reverts_with("TokenNotActiveCommercialBank", ICBC_ID):
        token.setIssuanceCap(ICBC_ID, 1, {"from": pboc})


@pytest.mark.parametrize("caller", ["bocom", "customs", "gov", "exporter", "outsider"])
def test_only_the_central_bank_may_set_caps(token, request, caller, token_state):
    account = request.getfixturevalue(caller)
    before = token_state()

    with reverts_with("TokenNotCentralBank", account):
        token.setIssuanceCap(BOCOM_ID, BOCOM_CAP * 2, {"from": account})

    assert token_state() == before


def test_caps_cannot_change_while_paused(token, registry, customs, pboc, gov):
    pass_proposal(registry, PAUSE, b"", [customs, pboc, gov])

    with reverts_with("TokenSystemPaused"):
        token.setIssuanceCap(BOCOM_ID, 1, {"from": pboc})

    assert list(token.issuanceOf(BOCOM_ID)) == [BOCOM_CAP, 0]


def test_central_bank_freezes_an_account_with_a_reason(token, pboc, exporter):
    tx = token.freeze(exporter, ORDER, {"from": pboc})

    assert tx.events["AccountFrozen"] == {
        "account": exporter,
        "reasonHash": ORDER,
        "centralBankMemberId": PBOC_ID,
    }
    assert token.isFrozen(exporter)


def test_frozen_account_can_neither_send_nor_receive(token, pboc, exporter, importer, fund):
    fund(exporter, 1_000)
    fund(importer, 1_000)
    token.freeze(exporter, ORDER, {"from": pboc})

    with reverts_with("TokenAccountFrozen", exporter):
        token.transfer(importer, 1, {"from": exporter})
    with reverts_with("TokenAccountFrozen", exporter):
        token.transfer(exporter, 1, {"from": importer})

    assert token.balanceOf(exporter) == 1_000
    assert token.balanceOf(importer) == 1_000


def test_frozen_account_cannot_be_paid_by_transfer_from(
    token, pboc, exporter, importer, carrier, fund
):
    fund(importer, 1_000)
    token.approve(carrier, 1_000, {"from": importer})
    token.freeze(exporter, ORDER, {"from": pboc})

    with reverts_with("TokenAccountFrozen", exporter):
        token.transferFrom(importer, exporter, 10, {"from": carrier})

    assert token.allowance(importer, carrier) == 1_000


def test_frozen_owner_cannot_be_drawn_on_by_transfer_from(
    token, pboc, exporter, importer, carrier, fund, token_state
):
    fund(importer, 1_000)
    token.approve(carrier, 1_000, {"from": importer})
    token.freeze(importer, ORDER, {"from": pboc})
    before = token_state()

    with reverts_with("TokenAccountFrozen", importer):
        token.transferFrom(importer, exporter, 10, {"from": carrier})

    assert token_state() == before


def test_frozen_bank_operator_cannot_mint(token, pboc, bocom, exporter, token_state):
    # Attack: the central bank freezes a bank's operator; it goes on issuing eCNY to others.
    token.freeze(bocom, ORDER, {"from": pboc})
    before = token_state()

    with reverts_with("TokenAccountFrozen", bocom):
        token.mint(exporter, 1_000, digest("deposit"), {"from": bocom})

    assert token_state() == before


def test_other_operators_of_a_bank_still_mint_when_one_is_frozen(
    token, registry, customs, pboc, gov, bocom, exporter, newcomers
):
    pass_proposal(
        registry, ADD_OPERATOR, operator_data(BOCOM_ID, newcomers[1]), [customs, pboc, gov]
    )
    token.freeze(bocom, ORDER, {"from": pboc})

    token.mint(exporter, 1_000, digest("deposit"), {"from": newcomers[1]})

    assert token.balanceOf(exporter) == 1_000


def test_frozen_spender_cannot_spend_an_allowance(
    token, pboc, exporter, importer, carrier, fund, token_state
):
    # Attack: a frozen account moves the funds it was allowed to take from someone else.
    fund(importer, 1_000)
    token.approve(carrier, 1_000, {"from": importer})
    token.freeze(carrier, ORDER, {"from": pboc})
    before = token_state()

    with reverts_with("TokenAccountFrozen", carrier):
        token.transferFrom(importer, exporter, 10, {"from": carrier})
    with reverts_with("TokenAccountFrozen", carrier):
        token.transferFrom(importer, carrier, 10, {"from": carrier})

    assert token_state() == before


def test_frozen_account_cannot_approve(token, pboc, importer, carrier, fund, token_state):
    # Attack: a frozen account lines up an allowance for an accomplice, to be drawn the moment
    # the freeze is lifted (or by a contract that pulls it).
    fund(importer, 1_000)
    token.freeze(importer, ORDER, {"from": pboc})
    before = token_state()

    with reverts_with("TokenAccountFrozen", importer):
        token.approve(carrier, 1_000, {"from": importer})

    assert token_state() == before


def test_frozen_account_cannot_permit(token, pboc, holder, carrier, importer, token_state):
    deadline = chain.time() + 3600
    v, r, s = sign_permit(token, holder, carrier, 4_000, deadline)
    token.freeze(holder, ORDER, {"from": pboc})
    before = token_state()

    with reverts_with("TokenAccountFrozen", holder):
        token.permit(holder, carrier, 4_000, deadline, v, r, s, {"from": importer})

    assert token_state() == before


def test_an_account_may_still_approve_a_frozen_spender_that_cannot_spend(
    token, pboc, exporter, importer, carrier, fund
):
    fund(importer, 1_000)
    token.freeze(carrier, ORDER, {"from": pboc})

    token.approve(carrier, 500, {"from": importer})

    assert token.allowance(importer, carrier) == 500


def test_unfreezing_restores_minting_approving_and_spending(
    token, pboc, bocom, exporter, importer, carrier, fund
):
    fund(importer, 1_000)
    for account in (bocom, importer, carrier):
        token.freeze(account, ORDER, {"from": pboc})
        token.unfreeze(account, {"from": pboc})

    token.mint(exporter, 100, digest("deposit"), {"from": bocom})
    token.approve(carrier, 300, {"from": importer})
    token.transferFrom(importer, exporter, 300, {"from": carrier})

    assert token.balanceOf(exporter) == 400
    assert token.allowance(importer, carrier) == 0


def test_freeze_is_kept_in_the_registry(token, registry, pboc, exporter):
    tx = token.freeze(exporter, ORDER, {"from": pboc})

    assert tx.events["FrozenSet"] == {"account": exporter, "frozen": True, "systemContract": token}
    assert registry.isFrozen(exporter)

    token.unfreeze(exporter, {"from": pboc})

    assert not registry.isFrozen(exporter)
    assert not token.isFrozen(exporter)


def test_freezes_need_the_token_registered_as_a_system_contract(
    token, registry, customs, pboc, gov, exporter, importer, token_state
):
    token.freeze(importer, ORDER, {"from": pboc})
    pass_proposal(
        registry, SET_SYSTEM_CONTRACT, system_contract_data(token, False), [customs, pboc, gov]
    )
    before = token_state()

    with reverts_with("AllianceNotSystemContract", token):
        token.freeze(exporter, ORDER, {"from": pboc})
    with reverts_with("AllianceNotSystemContract", token):
        token.unfreeze(importer, {"from": pboc})

    assert token_state() == before
    assert token.isFrozen(importer)


def test_unfreezing_restores_transfers(token, pboc, exporter, importer, fund):
    fund(exporter, 1_000)
    token.freeze(exporter, ORDER, {"from": pboc})

    tx = token.unfreeze(exporter, {"from": pboc})
    token.transfer(importer, 400, {"from": exporter})

    assert tx.events["AccountUnfrozen"] == {"account": exporter, "centralBankMemberId": PBOC_ID}
    assert not token.isFrozen(exporter)
    assert token.balanceOf(importer) == 400


def test_freezing_twice_is_refused(token, pboc, exporter, token_state):
    token.freeze(exporter, ORDER, {"from": pboc})
    before = token_state()

    with reverts_with("TokenAccountAlreadyFrozen", exporter):
        token.freeze(exporter, ORDER, {"from": pboc})

    assert token_state() == before


def test_unfreezing_an_account_that_is_not_frozen_is_refused(token, pboc, exporter, token_state):
    before = token_state()

    with reverts_with("TokenAccountNotFrozen", exporter):
        token.unfreeze(exporter, {"from": pboc})

    assert token_state() == before


def test_freezing_the_zero_address_is_refused(token, pboc, token_state):
    before = token_state()

    with reverts_with("TokenZeroAddress"):
        token.freeze(ZERO_ADDRESS, ORDER, {"from": pboc})

    assert token_state() == before


@pytest.mark.parametrize("caller", ["bocom", "customs", "gov", "importer", "outsider"])
def test_only_the_central_bank_may_freeze_or_unfreeze(
    token, request, caller, pboc, exporter, importer, token_state
):
    account = request.getfixturevalue(caller)
    token.freeze(importer, ORDER, {"from": pboc})
    before = token_state()

    with reverts_with("TokenNotCentralBank", account):
        token.freeze(exporter, ORDER, {"from": account})
    with reverts_with("TokenNotCentralBank", account):
        token.unfreeze(importer, {"from": account})

    assert token_state() == before


def test_freezes_cannot_change_while_paused(token, registry, customs, pboc, gov, exporter):
    token.freeze(exporter, ORDER, {"from": pboc})
    pass_proposal(registry, PAUSE, b"", [customs, pboc, gov])

    with reverts_with("TokenSystemPaused"):
        token.unfreeze(exporter, {"from": pboc})
    with reverts_with("TokenSystemPaused"):
        token.freeze(gov, ORDER, {"from": pboc})

    assert token.isFrozen(exporter)
    assert not token.isFrozen(gov)
