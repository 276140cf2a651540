"""Shared fixtures: accounts by role, the alliance registry, the CNY deposit token and the
customs clearance.

Accounts: deployer (bootstrapper), customs, pboc (central bank), gov (Shanghai Commission of
Commerce), bocom and icbc (commercial banks), exporter, importer, carrier, declarant, outsider
(never registered) and `newcomers` (four funded spare accounts, registered nowhere).
"""

import time

import pytest
from brownie import accounts as _accounts
from brownie import network, web3
from brownie.network.transaction import TransactionReceipt

from eport.testing import clique_requested, party_account
from tests.helpers import (
    BOCOM_CAP,
    BOCOM_ID,
    CARRIER,
    DECLARANT,
    EXPORTER,
    ICBC_CAP,
    ICBC_ID,
    IMPORTER,
    KIND_CENTRAL_BANK,
    KIND_COMMERCIAL_BANK,
    KIND_CUSTOMS,
    KIND_GOVERNMENT,
    digest,
)

# Starts the Clique network for `--network eport-test` and gives each party its keystore.
pytest_plugins = ["eport.testing"]


@pytest.fixture(scope="session", autouse=True)
def _receipt_before_nonce():
    """Work around two races between the node and Brownie.

    Brownie decides a transaction was dropped when the sender's nonce has moved past it but no
    receipt is found; under load Anvil makes the new nonce visible a moment before the receipt,
    and Brownie then fails a mined transaction with "Tx dropped without known replacement".
    Waiting for the receipt first closes the window; a transaction really never mined still
    ends in Brownie's own handling once the wait times out.

    On the Clique network, geth may serve the receipt of a transaction in a block it is still
    importing while `eth_call` on "latest" still reads the block before: a view read at once
    after a confirmed transaction then returned the old state (seen under load). There the
    transaction therefore also waits until the head has reached its block.
    """
    original = TransactionReceipt._await_confirmation
    live = clique_requested()

    def await_receipt_first(self, block_number=None, required_confs=1):
        if required_confs > 0:
            try:
                web3.eth.wait_for_transaction_receipt(self.txid, timeout=30, poll_latency=0.05)
            except Exception:  # noqa: BLE001 - Brownie's own loop reports what went wrong
                pass
        original(self, block_number, required_confs)
        if live and required_confs > 0 and self.block_number:
            deadline = time.monotonic() + 30
            while web3.eth.block_number < self.block_number and time.monotonic() < deadline:
                time.sleep(0.02)

    TransactionReceipt._await_confirmation = await_receipt_first
    yield
    TransactionReceipt._await_confirmation = original


@pytest.fixture(scope="session", autouse=True)
def _fees():
    # Anvil networks without `base_fee: 0` reject Brownie's default gas price of 0.
    network.priority_fee("1 gwei")


if clique_requested():
    # A live chain has no snapshots: tests that run there stand on each other's state.
    @pytest.fixture(autouse=True)
    def isolation():
        return None

    @pytest.fixture(scope="module")
    def module_reset():
        return None

else:
    # Each test starts from its module's deployment (Anvil snapshots).
    @pytest.fixture(autouse=True)
    def isolation(fn_isolation):
        return None

    @pytest.fixture(scope="module")
    def module_reset(module_isolation):
        return None


@pytest.fixture(scope="session")
def deployer():
    return party_account("deployer")


@pytest.fixture(scope="session")
def customs():
    return party_account("customs")


@pytest.fixture(scope="session")
def pboc():
    return party_account("pboc")


@pytest.fixture(scope="session")
def bocom():
    return party_account("bocom")


@pytest.fixture(scope="session")
def icbc():
    return party_account("icbc")


@pytest.fixture(scope="session")
def gov():
    return party_account("gov")


@pytest.fixture(scope="session")
def exporter():
    return party_account("exporter")


@pytest.fixture(scope="session")
def importer():
    return party_account("importer")


@pytest.fixture(scope="session")
def carrier():
    return party_account("carrier")


@pytest.fixture(scope="session")
def declarant():
    return party_account("declarant")


def _extra_account(index: int, funder):
    key = web3.keccak(text=f"eport-test-account-{index}").hex()
    account = _accounts.add(key)
    if account.balance() < 10**20:
        funder.transfer(account, 10**21 - account.balance())
    return account


# Brownie resets Anvil at each module start (module_isolation): fund extra accounts per module.
@pytest.fixture(scope="module")
def outsider(module_reset, deployer):
    return _extra_account(0, deployer)


@pytest.fixture(scope="module")
def newcomers(module_reset, deployer):
    return [_extra_account(i, deployer) for i in range(1, 5)]


@pytest.fixture(scope="module")
def registry(
    AllianceRegistry,
    deployer,
    customs,
    pboc,
    gov,
    bocom,
    icbc,
    exporter,
    importer,
    carrier,
    declarant,
):
    """The registry with the founding members (ids: customs 1, pboc 2, gov 3, bocom 4, icbc 5)
    and the participants registered by customs; the bootstrap is NOT finished, so module
    fixtures may still call `bootstrapSystemContract(x, True, {"from": deployer})`."""
    registry = AllianceRegistry.deploy({"from": deployer})
    founders = [
        (KIND_CUSTOMS, "Shanghai Customs", customs),
        (KIND_CENTRAL_BANK, "People's Bank of China", pboc),
        (KIND_GOVERNMENT, "Shanghai Municipal Commission of Commerce", gov),
        (KIND_COMMERCIAL_BANK, "Bank of Communications", bocom),
        (KIND_COMMERCIAL_BANK, "Industrial and Commercial Bank of China", icbc),
    ]
    for kind, name, operator in founders:
        registry.bootstrapMember(kind, digest(name), [operator], {"from": deployer})
    for account, roles in [
        (exporter, EXPORTER),
        (importer, IMPORTER),
        (carrier, CARRIER),
        (declarant, DECLARANT),
    ]:
        registry.registerParticipant(account, roles, {"from": customs})
    return registry


@pytest.fixture(scope="module")
def token(CNYDepositToken, registry, deployer, pboc):
    """The eCNY token, registered as a system contract (it keeps the central bank's freezes in
    the registry); caps: bocom 10,000,000.00 CNY, icbc 5,000,000.00 CNY; nothing minted."""
    token = CNYDepositToken.deploy(registry, {"from": deployer})
    registry.bootstrapSystemContract(token, True, {"from": deployer})
    token.setIssuanceCap(BOCOM_ID, BOCOM_CAP, {"from": pboc})
    token.setIssuanceCap(ICBC_ID, ICBC_CAP, {"from": pboc})
    return token


@pytest.fixture(scope="module")
def clearance(CustomsClearance, registry, token, deployer, customs):
    """The real CustomsClearance; duty goes to the customs operator. Declarations are lodged
    and released with tests.helpers (`lodge`, `release_on_green`, `released_export`).
    tests/customs overrides it with a treasury account of its own and funded traders."""
    clearance = CustomsClearance.deploy(registry, token, customs, {"from": deployer})
    # A system contract, as deployed: it holds the duty a guarantee is backed by.
    registry.bootstrapSystemContract(clearance, True, {"from": deployer})
    return clearance


@pytest.fixture
def fund(token, bocom):
    """fund(account, fen, bank=bocom): mint eCNY to a registered account."""

    def _fund(account, amount, bank=bocom):
        return token.mint(account, amount, digest(f"deposit-{account}"), {"from": bank})

    return _fund
