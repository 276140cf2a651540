"""A real Clique network for the tests in this folder: geth 1.13 nodes on 127.0.0.1.

The session starts three sealers and an RPC node on free ports in a temporary folder and
stops them at the end. Nothing here uses Brownie's development chain.
"""

import pytest
from eth_account import Account

from eport.network import Network
from eport.testing import free_port_base

# A throwaway key made for these tests only; it holds test ether on a test chain.
TEST_CLIENT_KEY = "0x" + "7e57" * 16
TEST_CHAIN_ID = 201999


def make_network(tmp_path_factory, name: str, **kwargs) -> Network:
    base, http = free_port_base()
    net = Network(tmp_path_factory.mktemp(name))
    net.init(chain_id=TEST_CHAIN_ID, base_port=base, http_port=http, **kwargs)
    return net


@pytest.fixture(scope="session")
def test_client():
    return Account.from_key(TEST_CLIENT_KEY)


@pytest.fixture(scope="module")
def clique(tmp_path_factory, test_client):
    net = make_network(tmp_path_factory, "clique", fund={test_client.address: 10**21})
    try:
        net.up()
        yield net
    finally:
        net.down()
