import pytest

from tests.helpers import (
    ADMIT_MEMBER,
    BOCOM_CAP,
    BOCOM_ID,
    ICBC_CAP,
    ICBC_ID,
    KIND_COMMERCIAL_BANK,
    PAUSE,
    admit_member_data,
    digest,
    pass_proposal,
    reverts_with,
)

DEPOSIT = digest("BOCOM deposit 2019-11-05/001")
WITHDRAWAL = digest("BOCOM withdrawal 2019-11-06/001")


def test_token_is_named_ecny_and_counts_in_fen(token, registry):
    assert token.name() == "E-Port CNY Deposit Token"
    assert token.symbol() == "eCNY"
    assert token.decimals() == 2
    assert token.registry() == registry


def test_commercial_bank_mints_against_a_deposit(token, bocom, exporter):
    tx = token.mint(exporter, 12_345, DEPOSIT, {"from": bocom})

    assert tx.events["Minted"] == {
        "bankMemberId": BOCOM_ID,
        "to": exporter,
        "depositRef": DEPOSIT,
        "operator": bocom,
        "amount": 12_345,
    }
    assert token.balanceOf(exporter) == 12_345
    assert token.totalSupply() == 12_345
    assert list(token.issuanceOf(BOCOM_ID)) == [BOCOM_CAP, 12_345]


def test_bank_mints_up_to_its_cap_exactly(token, bocom, importer):
    token.mint(importer, BOCOM_CAP, DEPOSIT, {"from": bocom})

    assert list(token.issuanceOf(BOCOM_ID)) == [BOCOM_CAP, BOCOM_CAP]


def test_minting_one_fen_over_the_cap_is_refused(token, bocom, importer, token_state):
    token.mint(importer, BOCOM_CAP - 10, DEPOSIT, {"from": bocom})
    before = token_state()

    with reverts_with("TokenCapExceeded", BOCOM_ID, BOCOM_CAP, BOCOM_CAP + 1):
        token.mint(importer, 11, DEPOSIT, {"from": bocom})

    assert token_state() == before


def test_each_bank_has_its_own_cap(token, bocom, icbc, importer):
    token.mint(importer, BOCOM_CAP, DEPOSIT, {"from": bocom})

    token.mint(importer, ICBC_CAP, DEPOSIT, {"from": icbc})

    assert list(token.issuanceOf(ICBC_ID)) == [ICBC_CAP, ICBC_CAP]
    assert token.totalSupply() == BOCOM_CAP + ICBC_CAP


def test_bank_without_a_cap_cannot_mint(token, registry, customs, pboc, gov, newcomers, exporter):
    data = admit_member_data(KIND_COMMERCIAL_BANK, digest("China Construction Bank"), newcomers[:1])
    pass_proposal(registry, ADMIT_MEMBER, data, [customs, pboc, gov])

    with reverts_with("TokenCapExceeded", 6, 0, 1):
        token.mint(exporter, 1, DEPOSIT, {"from": newcomers[0]})


@pytest.mark.parametrize("caller", ["customs", "pboc", "gov", "exporter", "outsider", "deployer"])
def test_only_commercial_banks_may_mint(token, request, caller, exporter, token_state):
    account = request.getfixturevalue(caller)
    before = token_state()

    with reverts_with("TokenNotCommercialBank", account):
        token.mint(exporter, 100, DEPOSIT, {"from": account})

    assert token_state() == before


def test_minting_zero_is_refused(token, bocom, exporter, token_state):
    before = token_state()

    with reverts_with("TokenZeroAmount"):
        token.mint(exporter, 0, DEPOSIT, {"from": bocom})

    assert token_state() == before


def test_minting_to_an_unregistered_account_is_refused(token, bocom, outsider, token_state):
    before = token_state()

    with reverts_with("TokenAccountNotAllowed", outsider):
        token.mint(outsider, 100, DEPOSIT, {"from": bocom})

    assert token_state() == before


def test_minting_to_a_suspended_participant_is_refused(
    token, registry, customs, bocom, exporter, token_state
):
    registry.suspendParticipant(exporter, {"from": customs})
    before = token_state()

    with reverts_with("TokenAccountNotAllowed", exporter):
        token.mint(exporter, 100, DEPOSIT, {"from": bocom})

    assert token_state() == before


def test_minting_while_paused_is_refused(token, registry, customs, pboc, gov, bocom, exporter):
    pass_proposal(registry, PAUSE, b"", [customs, pboc, gov])

    with reverts_with("TokenSystemPaused"):
        token.mint(exporter, 100, DEPOSIT, {"from": bocom})

    assert token.totalSupply() == 0
    assert list(token.issuanceOf(BOCOM_ID)) == [BOCOM_CAP, 0]


def test_bank_redeems_tokens_it_holds(token, bocom, exporter, fund):
    fund(exporter, 50_000)
    token.transfer(bocom, 20_000, {"from": exporter})

    tx = token.redeem(15_000, WITHDRAWAL, {"from": bocom})

    assert tx.events["Redeemed"] == {
        "bankMemberId": BOCOM_ID,
        "operator": bocom,
        "withdrawalRef": WITHDRAWAL,
        "amount": 15_000,
    }
    assert token.balanceOf(bocom) == 5_000
    assert token.totalSupply() == 35_000
    assert list(token.issuanceOf(BOCOM_ID)) == [BOCOM_CAP, 35_000]


def test_redeeming_frees_room_under_the_cap(token, bocom, fund):
    fund(bocom, BOCOM_CAP)
    token.redeem(1, WITHDRAWAL, {"from": bocom})

    token.mint(bocom, 1, DEPOSIT, {"from": bocom})

    assert list(token.issuanceOf(BOCOM_ID)) == [BOCOM_CAP, BOCOM_CAP]


def test_redeeming_beyond_the_bank_outstanding_issuance_is_refused(
    token, bocom, icbc, fund, token_state
):
    fund(icbc, 1_000, bank=icbc)
    fund(bocom, 500)
    token.transfer(bocom, 1_000, {"from": icbc})
    before = token_state()

    with reverts_with("TokenRedeemExceedsOutstanding", BOCOM_ID, 500, 501):
        token.redeem(501, WITHDRAWAL, {"from": bocom})

    assert token_state() == before


def test_redeeming_more_than_held_is_refused(token, bocom, exporter, fund, token_state):
    fund(exporter, 1_000)
    before = token_state()

    with reverts_with("ERC20InsufficientBalance", bocom, 0, 1):
        token.redeem(1, WITHDRAWAL, {"from": bocom})

    assert token_state() == before


@pytest.mark.parametrize("caller", ["pboc", "customs", "exporter", "outsider"])
def test_only_commercial_banks_may_redeem(token, request, caller, fund, token_state):
    account = request.getfixturevalue(caller)
    if caller != "outsider":
        fund(account, 100)
    before = token_state()

    with reverts_with("TokenNotCommercialBank", account):
        token.redeem(100, WITHDRAWAL, {"from": account})

    assert token_state() == before


def test_redeeming_zero_is_refused(token, bocom, fund, token_state):
    fund(bocom, 100)
    before = token_state()

    with reverts_with("TokenZeroAmount"):
        token.redeem(0, WITHDRAWAL, {"from": bocom})

    assert token_state() == before


def test_redeeming_while_paused_is_refused(token, registry, customs, pboc, gov, bocom, fund):
    fund(bocom, 100)
    pass_proposal(registry, PAUSE, b"", [customs, pboc, gov])

    with reverts_with("TokenSystemPaused"):
        token.redeem(100, WITHDRAWAL, {"from": bocom})

    assert token.balanceOf(bocom) == 100


def test_frozen_bank_operator_cannot_redeem(token, bocom, pboc, fund, token_state):
    fund(bocom, 100)
    token.freeze(bocom, digest("order"), {"from": pboc})
    before = token_state()

    with reverts_with("TokenAccountFrozen", bocom):
        token.redeem(100, WITHDRAWAL, {"from": bocom})

    assert token_state() == before
