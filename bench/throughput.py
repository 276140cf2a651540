"""Throughput of the alliance's Clique network for trade transactions, measured, not asserted.

Starts its own network (3 sealers + RPC node, 1 s blocks) in a temporary folder on free ports,
deploys the registry and the eCNY token from Brownie's build artifacts, registers traders, then
sends pre-signed eCNY payments (each one a token transfer that asks the registry who may hold
tokens) and customs lodgements through the RPC node, and prints what the chain carried:

    ./run bench throughput [--traders 40] [--per-trader 50]

Figures: submission rate (client side), and transactions per second between the first and the
last block that held them (block timestamps, so the clock is the chain's).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests
from eth_account import Account
from eth_utils import keccak

from eport.network import Network, web3_http
from eport.testing import free_port_base

ROOT = Path(__file__).resolve().parent.parent
BUILD = Path(os.environ.get("EPORT_BUILD", ROOT / "build")) / "contracts"
GAS_PRICE = 2 * 10**9
KIND_CUSTOMS, KIND_CENTRAL_BANK, KIND_COMMERCIAL_BANK = 1, 2, 4
EXPORTER, IMPORTER, DECLARANT = 1, 2, 8


def artifact(name: str) -> dict:
    path = BUILD / f"{name}.json"
    if not path.exists():
        raise SystemExit(f"error: {path} is missing: run `brownie compile` (./run test does)")
    return json.loads(path.read_text())


class Sender:
    """Signs locally and keeps its own nonce, as an operator's wallet does."""

    def __init__(self, w3, account):
        self.w3, self.account = w3, account
        self.nonce = w3.eth.get_transaction_count(account.address)
        self.chain_id = w3.eth.chain_id

    def sign(self, tx: dict) -> bytes:
        tx = {"chainId": self.chain_id, "nonce": self.nonce, "gasPrice": GAS_PRICE, **tx}
        self.nonce += 1
        return self.account.sign_transaction(tx).raw_transaction

    def send(self, tx: dict):
        tx_hash = self.w3.eth.send_raw_transaction(self.sign(tx))
        receipt = self.w3.eth.wait_for_transaction_receipt(tx_hash, timeout=120)
        if receipt["status"] != 1:
            raise SystemExit(f"error: setup transaction reverted: {tx_hash.hex()}")
        return receipt

    def deploy(self, name: str, *args):
        data = artifact(name)
        contract = self.w3.eth.contract(abi=data["abi"], bytecode=data["bytecode"])
        fields = {"gas": 8_000_000, "gasPrice": GAS_PRICE, "nonce": 0, "chainId": self.chain_id}
        code = contract.constructor(*args).build_transaction(fields)["data"]
        receipt = self.send({"data": code, "gas": 8_000_000})
        return self.w3.eth.contract(address=receipt["contractAddress"], abi=data["abi"])

    def call(self, fn, gas: int = 500_000):
        return self.send({"to": fn.address, "data": fn._encode_transaction_data(), "gas": gas})

    def call_many(self, fns, gas: int = 500_000) -> None:
        """Send in a row with consecutive nonces, then check every receipt."""
        hashes = [
            self.w3.eth.send_raw_transaction(
                self.sign({"to": fn.address, "data": fn._encode_transaction_data(), "gas": gas})
            )
            for fn in fns
        ]
        for tx_hash in hashes:
            if self.w3.eth.wait_for_transaction_receipt(tx_hash, timeout=120)["status"] != 1:
                raise SystemExit(f"error: setup transaction reverted: {tx_hash.hex()}")


def key(label: str) -> bytes:
    """Throwaway benchmark keys, made for this benchmark's own chain only."""
    return keccak(text=f"eport-bench throwaway key: {label}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--traders", type=int, default=40)
    parser.add_argument("--per-trader", type=int, default=50)
    parser.add_argument("--keep", action="store_true", help="leave the network folder")
    args = parser.parse_args()

    deployer, customs, pboc, bank = (Account.from_key(key(n)) for n in ("d", "c", "p", "b"))
    traders = [Account.from_key(key(f"trader{i}")) for i in range(args.traders)]
    folder = Path(tempfile.mkdtemp(prefix="eport-bench-"))
    net = Network(folder / "network", log=print)
    base, http = free_port_base()
    fund = {a.address: 10**24 for a in [deployer, customs, pboc, bank, *traders]}
    net.init(base_port=base, http_port=http, fund=fund, chain_id=201997)
    try:
        net.up()
        w3 = web3_http(http)
        run(w3, net, deployer, customs, pboc, bank, traders, args.per_trader)
    finally:
        net.down()
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)


def run(w3, net, deployer, customs, pboc, bank, traders, per_trader) -> None:
    print("deploying the registry and the eCNY token ...")
    d = Sender(w3, deployer)
    registry = d.deploy("AllianceRegistry")
    for kind, name, who in [
        (KIND_CUSTOMS, "Shanghai Customs", customs),
        (KIND_CENTRAL_BANK, "People's Bank of China", pboc),
        (KIND_COMMERCIAL_BANK, "Bank of Communications", bank),
    ]:
        d.call(registry.functions.bootstrapMember(kind, keccak(text=name), [who.address]))
    token = d.deploy("CNYDepositToken", registry.address)
    c, p, b = Sender(w3, customs), Sender(w3, pboc), Sender(w3, bank)
    p.call(token.functions.setIssuanceCap(3, 10**15))
    c.call_many(
        registry.functions.registerParticipant(t.address, EXPORTER | IMPORTER) for t in traders
    )
    b.call_many(token.functions.mint(t.address, 10**9, keccak(text=t.address)) for t in traders)

    print(f"signing {len(traders) * per_trader} eCNY payments locally ...")
    senders = [Sender(w3, t) for t in traders]
    transfer = token.functions.transfer
    raw = []
    for round_ in range(per_trader):
        for i, s in enumerate(senders):
            to = traders[(i + 1 + round_) % len(traders)].address
            data = transfer(to, 1)._encode_transaction_data()
            raw.append(s.sign({"to": token.address, "data": data, "gas": 90_000}))
    measure(w3, net, raw, [s.account.address for s in senders])


def measure(w3, net, raw: list[bytes], addresses: list[str]) -> None:
    url = w3.provider.endpoint_uri
    session = requests.Session()
    start_block = w3.eth.block_number
    batches = [raw[i : i + 250] for i in range(0, len(raw), 250)]

    def post(batch):
        body = [
            {"jsonrpc": "2.0", "id": i, "method": "eth_sendRawTransaction",
             "params": ["0x" + tx.hex()]}
            for i, tx in enumerate(batch)
        ]  # fmt: skip
        answers = session.post(url, json=body, timeout=120).json()
        return sum(1 for a in answers if "error" in a)

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=4) as pool:
        rejected = sum(pool.map(post, batches))
    submitted = time.monotonic() - started
    expected = {a: w3.eth.get_transaction_count(a, "pending") for a in addresses}
    deadline = time.monotonic() + 600
    while any(w3.eth.get_transaction_count(a) < n for a, n in expected.items()):
        if time.monotonic() > deadline:
            raise SystemExit("error: transactions not all mined within 600 s")
        time.sleep(0.5)
    end_block = w3.eth.block_number
    blocks = [w3.eth.get_block(n) for n in range(start_block, end_block + 1)]
    used = [b for b in blocks if b["transactions"]]
    mined = sum(len(b["transactions"]) for b in used)
    first, last = used[0], used[-1]
    previous = w3.eth.get_block(first["number"] - 1)
    span = max(1, last["timestamp"] - previous["timestamp"])
    gas = sum(b["gasUsed"] for b in used)
    print()
    print(f"transactions sent          {len(raw)} ({rejected} rejected by the node)")
    print(f"client submission rate     {len(raw) / submitted:.0f} tx/s ({submitted:.1f} s)")
    print(f"blocks that held them      {len(used)} (#{first['number']}..#{last['number']})")
    print(f"largest block              {max(len(b['transactions']) for b in used)} tx")
    print(f"chain throughput           {mined / span:.0f} tx/s ({mined} tx in {span} s)")
    print(f"gas per second             {gas / span / 1e6:.1f} Mgas/s")
    heads = {n.name: net.w3(n.name).eth.get_block(end_block)["hash"] for n in net.load().nodes}
    print(f"nodes agree on block #{end_block}: {len(set(heads.values())) == 1}")


if __name__ == "__main__":
    main()
