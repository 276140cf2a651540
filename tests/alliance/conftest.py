import pytest

from tests.helpers import registry_state


@pytest.fixture
def everyone(deployer, customs, pboc, gov, bocom, icbc, exporter, importer, carrier, declarant):
    return [deployer, customs, pboc, gov, bocom, icbc, exporter, importer, carrier, declarant]


@pytest.fixture
def snapshot(registry, everyone, newcomers, outsider):
    """snapshot() -> everything observable about the registry for the known accounts."""
    watched = everyone + newcomers + [outsider]
    return lambda: registry_state(registry, watched)


@pytest.fixture
def escrow(AllianceRegistry, deployer):
    """A contract the registry does not know (a second, empty registry: any contract will do),
    to be registered as a system contract."""
    return AllianceRegistry.deploy({"from": deployer})
