"""Pytest plugin: run the same Brownie tests on Anvil or on a real geth Clique network.

`pytest --network eport-test ...` starts a three-sealer Clique network on free ports in a
temporary folder before Brownie connects, points Brownie's `eport-test` network at its RPC node,
and stops it when the session ends. Every party (customs, banks, traders...) then signs from its
own encrypted keystore (Web3 Secret Storage), loaded with `accounts.load`, never from an account
unlocked in a node. On Anvil (`development`) the parties are Anvil's accounts.

The keys behind the Clique parties are throwaway keys made for tests: derived from the party
name and the word "eport-test", funded only in the test chain's genesis.
"""

from __future__ import annotations

import json
import random
import secrets
import sys
import tempfile
from pathlib import Path

from eth_account import Account
from eth_utils import keccak

from .network import Network, port_is_free
from .wallet import write_keystore

CLIQUE_NETWORK_ID = "eport-test"
CLIQUE_CHAIN_ID = 201998
# Parties in a fixed order: index i is Anvil's accounts[i] on the development chain.
PARTIES = (
    "deployer",
    "customs",
    "pboc",
    "bocom",
    "icbc",
    "gov",
    "exporter",
    "importer",
    "carrier",
    "declarant",
)


# The development chain is Anvil with its default accounts (Brownie's `development` network).
ANVIL_MNEMONIC = "test test test test test test test test test test test junk"


def party_address(party: str) -> str:
    """The address of a party's test account, known before Brownie connects (test data such as
    document keys, which embed the carrier's address, are built at import time)."""
    if clique_requested():
        return Account.from_key(test_key(party)).address
    Account.enable_unaudited_hdwallet_features()
    path = f"m/44'/60'/0'/0/{PARTIES.index(party)}"
    return Account.from_mnemonic(ANVIL_MNEMONIC, account_path=path).address


def test_key(party: str) -> bytes:
    """The throwaway test key of a party on the test Clique chain (never used elsewhere)."""
    return keccak(text=f"eport-test throwaway key: {party}")


def free_port_base() -> tuple[int, int]:
    """A p2p base port and an HTTP port such that every port a test network uses is free.

    Node i listens on base+i (p2p) and base+1000+i (authrpc); the RPC node on base+99.
    """
    for _ in range(200):
        base = random.randrange(20000, 28000, 10)
        http = base + 150
        offsets = [*range(10), 99]
        wanted = [base + o for o in offsets] + [base + 1000 + o for o in offsets] + [http]
        if all(port_is_free(p) for p in wanted):
            return base, http
    raise RuntimeError("no free port range found")


class CliqueSession:
    """The Clique network and party keystores of one pytest session."""

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="eport-clique-"))
        self.network = Network(self.folder / "network")
        self.password = secrets.token_urlsafe(16)
        self.keystores: dict[str, Path] = {}

    def start(self) -> str:
        base, http = free_port_base()
        fund = {Account.from_key(test_key(p)).address: 10**24 for p in PARTIES}
        self.network.init(chain_id=CLIQUE_CHAIN_ID, base_port=base, http_port=http, fund=fund)
        self.network.up()
        store = self.folder / "keystores"
        store.mkdir()
        for party in PARTIES:
            # A light scrypt (n=2**14) keeps twelve decryptions fast; the format is geth's.
            path = store / f"{party}.json"
            write_keystore(path, test_key(party), self.password, kdf_n=2**14)
            self.keystores[party] = path
        return f"http://127.0.0.1:{http}"

    def stop(self) -> None:
        self.network.down()


_session: CliqueSession | None = None


def _network_option(config) -> str | None:
    value = config.getoption("network", default=None)
    if isinstance(value, list):
        value = value[0]
    return value or None


def pytest_collection_finish(session) -> None:
    """Before Brownie connects (its hook wraps this one), start the Clique network if asked."""
    global _session
    if _network_option(session.config) != CLIQUE_NETWORK_ID or _session is not None:
        return
    from brownie._config import CONFIG

    if CLIQUE_NETWORK_ID not in CONFIG.networks:
        raise RuntimeError(f"Brownie has no network {CLIQUE_NETWORK_ID!r}: run `./run setup`")
    _forget_deployments(session.config.rootpath)
    _session = CliqueSession()
    CONFIG.networks[CLIQUE_NETWORK_ID]["host"] = _session.start()


def _forget_deployments(root: Path) -> None:
    """Brownie keeps the addresses of live deployments per chain id and reloads them on
    connect; every test session's chain is new, so those of earlier sessions must go."""
    import shutil

    folder = root / "build" / "deployments"
    shutil.rmtree(folder / str(CLIQUE_CHAIN_ID), ignore_errors=True)
    index = folder / "map.json"
    if index.exists():
        data = json.loads(index.read_text())
        if data.pop(str(CLIQUE_CHAIN_ID), None) is not None:
            index.write_text(json.dumps(data, indent=2))


def pytest_unconfigure(config) -> None:
    global _session
    if _session is not None:
        _session.stop()
        _session = None


def clique_requested() -> bool:
    """True when pytest was asked for `--network eport-test` (known before any fixture runs)."""
    args = sys.argv[1:]
    return any(
        a == f"--network={CLIQUE_NETWORK_ID}"
        or (a in ("--network", "-N") and args[i + 1 : i + 2] == [CLIQUE_NETWORK_ID])
        for i, a in enumerate(args)
    )


def on_clique() -> bool:
    from brownie import network

    return network.show_active() == CLIQUE_NETWORK_ID


def party_account(party: str):
    """The Brownie account of a party: Anvil's account, or its keystore on the Clique chain."""
    from brownie import accounts

    if _session is None:
        return accounts[PARTIES.index(party)]
    cached = next(
        (a for a in accounts if a.address == Account.from_key(test_key(party)).address), None
    )
    return cached or accounts.load(str(_session.keystores[party]), _session.password)
