import pytest

from tests.helpers import EXPORTER, registry_state


@pytest.fixture
def holders(deployer, customs, pboc, gov, bocom, icbc, exporter, importer, carrier, declarant):
    return [deployer, customs, pboc, gov, bocom, icbc, exporter, importer, carrier, declarant]


@pytest.fixture
def token_state(token, registry, holders, newcomers, outsider):
    """token_state() -> everything observable about the token (and registry) for known accounts."""
    watched = holders + newcomers + [outsider]
    owners, spenders = [holders[7], newcomers[0]], [holders[8], holders[6]]

    def _state():
        return {
            "supply": token.totalSupply(),
            "balances": [token.balanceOf(a) for a in watched],
            "frozen": [token.isFrozen(a) for a in watched],
            "issuance": [tuple(token.issuanceOf(i)) for i in range(1, 7)],
            "allowances": [token.allowance(a, b) for a in owners for b in spenders],
            "nonces": [token.nonces(a) for a in newcomers],
            "registry": registry_state(registry, watched),
        }

    return _state


@pytest.fixture
def holder(registry, token, customs, newcomers, fund):
    """A participant whose private key the tests hold (for permits), with 10,000 fen."""
    account = newcomers[0]
    registry.registerParticipant(account, EXPORTER, {"from": customs})
    fund(account, 10_000)
    return account
