"""Customs fixtures on top of tests/conftest.py.

- `treasury`: a second operator account of Shanghai Customs (member 1), added by a vote of
  customs, pboc and gov; it receives the duty.
- `clearance` (overrides the one of tests/conftest.py): CustomsClearance(registry, token,
  treasury), registered as a system contract (to hold the duty of guarantees); importer,
  exporter, bocom and icbc hold eCNY (see the amounts below) and have
  approved the clearance for any amount (a bank's guarantee takes the duty from it when given).
- `consumer` / `second_consumer`: accounts the alliance registered as system contracts (as a
  letter of credit or the trade finance contract would be), to call consume/restore.
- `signing_importer`: an importer with a private key (for EIP-2612 permits), funded.
- `declare(...)`: lodge a declaration (as `declarant`) and take it to a given status.
- `unchanged(*transport_docs)`: a context manager asserting that nothing the clearance or the
  token keeps changed inside it (use it around a `reverts_with`): every declaration, the
  clearance's own token balance (the guarantees it holds), the register entries of the given
  transport document keys.
- `pause()` / `unpause()`: the alliance-wide pause by a vote of customs, pboc and gov.
"""

from contextlib import contextmanager

import pytest
from brownie import accounts, web3

from tests.customs.declarations import (
    ASSESSED,
    CHANNELLED,
    DUTY_SECURED,
    GREEN,
    IMPORT,
    INSPECTED,
    LODGED,
    RED,
    RELEASED,
    YELLOW,
    commitment,
    content,
)
from tests.helpers import (
    ADD_OPERATOR,
    CUSTOMS_ID,
    IMPORTER,
    PAUSE,
    UNPAUSE,
    operator_data,
    pass_proposal,
)

IMPORTER_FUNDS = 100_000_000  # 1,000,000.00 CNY in fen
EXPORTER_FUNDS = 10_000_000
BANK_FUNDS = 100_000_000
IMPORT_DUTY = 1_234_567  # 12,345.67 CNY
MAX_UINT256 = 2**256 - 1


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "timetravel: needs chain.sleep (Anvil only, not a real Clique chain)"
    )


@pytest.fixture(scope="module")
def treasury(registry, customs, pboc, gov, newcomers):
    account = newcomers[0]
    pass_proposal(registry, ADD_OPERATOR, operator_data(CUSTOMS_ID, account), [customs, pboc, gov])
    return account


@pytest.fixture(scope="module")
def clearance(
    CustomsClearance, registry, token, treasury, deployer, importer, exporter, bocom, icbc, outsider
):
    # `outsider` is requested here so that it is funded at module set-up: funded lazily inside
    # a test (request.getfixturevalue), its ether would vanish with that test's isolation.
    clearance = CustomsClearance.deploy(registry, token, treasury, {"from": deployer})
    # It holds the duty of the guarantees it is given: the token lets only registered
    # accounts and system contracts hold tokens.
    registry.bootstrapSystemContract(clearance, True, {"from": deployer})
    for account, amount, bank in [
        (importer, IMPORTER_FUNDS, bocom),
        (exporter, EXPORTER_FUNDS, bocom),
        (bocom, BANK_FUNDS, bocom),
        (icbc, BANK_FUNDS, icbc),
    ]:
        token.mint(account, amount, web3.keccak(text=f"deposit-{account}"), {"from": bank})
    for payer in (importer, exporter, bocom, icbc):
        token.approve(clearance, MAX_UINT256, {"from": payer})
    return clearance


def _system_contract(registry, deployer, name):
    """A funded account with a key of its own, registered as an alliance system contract."""
    account = accounts.add(web3.keccak(text=f"eport-test customs {name}").hex())
    if account.balance() < 10**20:
        deployer.transfer(account, 10**21 - account.balance())
    if not registry.isSystemContract(account):  # a live chain keeps it from module to module
        registry.bootstrapSystemContract(account, True, {"from": deployer})
    return account


@pytest.fixture(scope="module")
def consumer(registry, deployer, module_reset):
    """A system contract that uses declarations' value (a letter of credit, say)."""
    return _system_contract(registry, deployer, "consumer")


@pytest.fixture(scope="module")
def second_consumer(registry, deployer, module_reset):
    """Another system contract (the trade finance contract, say)."""
    return _system_contract(registry, deployer, "second consumer")


@pytest.fixture(scope="module")
def signing_importer(registry, token, customs, bocom, newcomers):
    """An importer with a private key (to sign permits), funded, with no approval given."""
    account = newcomers[3]
    registry.registerParticipant(account, IMPORTER, {"from": customs})
    token.mint(account, IMPORTER_FUNDS, web3.keccak(text="deposit-signing"), {"from": bocom})
    return account


@pytest.fixture(scope="module")
def declare(clearance, customs, declarant, importer, exporter, bocom):
    """declare(flow=IMPORT, to=LODGED, channel=RED, duty=IMPORT_DUTY (0 for exports),
    secured_by="payment" | "guarantee", trader=importer/exporter, bill_of_lading=a new one,
    carrier=the test carrier) -> declaration id.
    The trader pays the duty itself; a guarantee is given by bocom."""

    def _declare(
        flow=IMPORT,
        *,
        to=LODGED,
        channel=RED,
        duty=None,
        secured_by="payment",
        trader=None,
        bill_of_lading=None,
        carrier=None,
    ):
        if trader is None:
            trader = importer if flow == IMPORT else exporter
        if duty is None:
            duty = IMPORT_DUTY if flow == IMPORT else 0
        declared = content(flow=flow, bill_of_lading=bill_of_lading, carrier=carrier)
        tx = clearance.lodge(flow, trader, declared, {"from": declarant})
        declaration_id = tx.return_value
        if to == LODGED:
            return declaration_id
        clearance.assignChannel(declaration_id, channel, {"from": customs})
        if to == CHANNELLED:
            return declaration_id
        if channel in (YELLOW, RED):
            report = commitment(f"documents {declaration_id}")
            clearance.recordDocumentCheck(declaration_id, True, report, {"from": customs})
        if channel == RED:
            report = commitment(f"inspection {declaration_id}")
            clearance.recordInspection(declaration_id, True, report, {"from": customs})
        if to == INSPECTED:
            assert channel != GREEN, "a green declaration is never Inspected"
            return declaration_id
        clearance.assessDuty(declaration_id, duty, {"from": customs})
        if to == ASSESSED:
            assert duty > 0, "zero duty is secured on assessment"
            return declaration_id
        if duty > 0 and secured_by == "payment":
            clearance.payDuty(declaration_id, {"from": trader})
        elif duty > 0:
            clearance.guaranteeDuty(declaration_id, bocom, {"from": bocom})
        if to == DUTY_SECURED:
            return declaration_id
        clearance.release(declaration_id, {"from": customs})
        assert to == RELEASED, f"declare() cannot reach status {to}"
        return declaration_id

    return _declare


@pytest.fixture(scope="module")
def unchanged(clearance, token, treasury, importer, exporter, declarant, bocom, icbc, customs):
    holders = [treasury, importer, exporter, declarant, bocom, icbc, customs, clearance]

    def _snapshot(transport_docs):
        count = clearance.declarationCount()
        return (
            count,
            clearance.treasury(),
            [tuple(clearance.declarationOf(i)) for i in range(1, count + 1)],
            [tuple(clearance.transportDocumentOf(key)) for key in transport_docs],
            [token.balanceOf(a) for a in holders],
            [token.allowance(a, clearance) for a in holders],
            token.totalSupply(),
        )

    @contextmanager
    def _unchanged(*transport_docs):
        before = _snapshot(transport_docs)
        yield
        assert _snapshot(transport_docs) == before, "a failed call changed state"

    return _unchanged


@pytest.fixture(scope="module")
def pause(registry, customs, pboc, gov):
    return lambda: pass_proposal(registry, PAUSE, b"", [customs, pboc, gov])


@pytest.fixture(scope="module")
def unpause(registry, customs, pboc, gov):
    return lambda: pass_proposal(registry, UNPAUSE, b"", [customs, pboc, gov])
