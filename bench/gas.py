"""Gas per step of a whole export trade, against the published peers' figures.

Runs the main job's trade (the same code path as the operator command line) on a fresh Anvil
started with `--hardfork paris`, contracts compiled with the optimizer at 200 runs and
`evm_version: paris`: the conditions under which the peers' figures were published.

    ./run bench gas

Runs the trade twice: the first on the fresh deployment (every counter, book and balance
slot is written from zero), the second as later trades run. Prints one line per transaction,
then the peer comparison per step (first and later trade), then the whole trade.
Figures are measured here and printed, never asserted.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from eth_account import Account

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from eport.chain import Client, Deployments  # noqa: E402
from eport.demo import PARTIES, Trade  # noqa: E402
from eport.deploy import KINDS, ROLES, Deployer  # noqa: E402
from eport.operator import Context  # noqa: E402
from eport.toolchain import anvil_path  # noqa: E402
from eport.wallet import Wallets  # noqa: E402

# Published open-source peers, per step, on Anvil with paris and optimizer 200.
PEERS = {
    "customs lodge": 226_000,
    "customs release": 42_000,
    "issue a credit": 312_000,
    "present documents": 56_000,
    "accept and pay": 66_000,
    "finance": 107_000,
    "whole export trade": 1_600_000,
}
# Which of our transactions make up each step.
STEPS = {
    "customs lodge": ["CustomsClearance.lodge"],
    "customs release": ["CustomsClearance.release"],
    "issue a credit": ["LetterOfCredit.applyForCredit", "LetterOfCredit.issue"],
    "present documents": ["LetterOfCredit.present"],
    "accept and pay": ["LetterOfCredit.honour"],
    "finance": ["TradeFinance.financeWithSignature"],
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def main() -> None:
    port = free_port()
    anvil = subprocess.Popen(
        [anvil_path(), "--port", str(port), "--hardfork", "paris", "--silent",
         "--gas-limit", "60000000", "--accounts", "1"],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    work = Path(tempfile.mkdtemp(prefix="eport-gas-"))
    os.environ["EPORT_WALLETS"] = str(work / "wallets")
    os.environ["EPORT_NONCES"] = str(work / "nonces")
    try:
        rpc = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                client = Client(rpc)
                break
            except Exception:  # noqa: BLE001 - anvil still starting
                time.sleep(0.1)
        run(client, rpc, work)
    finally:
        anvil.terminate()
        anvil.wait()


def run(client: Client, rpc: str, work: Path) -> None:
    # Throwaway keys for this benchmark's own Anvil chain.
    accounts = {n: Account.from_key(Account.create().key) for n in PARTIES}
    wallets = Wallets(work / "wallets")
    for name, account in accounts.items():
        wallets.import_key(name, account.key.hex(), "benchmark-only-password")
        client.w3.provider.make_request("anvil_setBalance", [account.address, hex(10**24)])
    addr = {n: a.address for n, a in accounts.items()}
    alliance = {
        "chain_id": client.chain_id,
        "members": [
            {"key": k, "name": k, "kind": KINDS[kind], "operators": [addr[k]]}
            for k, kind in [("customs", "customs"), ("pboc", "central_bank"),
                            ("gov", "government"), ("bocom", "commercial_bank"),
                            ("icbc", "commercial_bank")]
        ],
        "participants": [
            {"name": n, "address": addr[n], "roles": ROLES[n], "registered_by": "customs"}
            for n in ("exporter", "importer", "carrier", "declarant")
        ],
        "caps": {"bocom": 10**12, "icbc": 10**12},
        "holidays": [],
        "treasury": addr["customs"],
        "finish_bootstrap": True,
    }  # fmt: skip
    deployments = Deployments(work / "deployments.json")
    signers = {a.address: a for a in accounts.values()}
    deployer = Deployer(client, accounts["deployer"], alliance, deployments, signers, log=len)
    entry = deployer.run()
    print("deployed (runtime code size, limit 24,576 bytes):")
    for name, address in entry["contracts"].items():
        print(f"  {name:<20} {len(client.w3.eth.get_code(address)):>6,} bytes")
    ctx = Context.for_api(rpc=rpc, deployments=work / "deployments.json")
    trade = Trade(ctx, accounts, print)
    print("bank set-up:")
    trade.prepare_banks()
    trade.gas.clear()
    trade.run()
    first = list(trade.gas)
    print("the same trade again (counters, books and balances now exist):")
    trade.gas.clear()
    trade.run()
    later = list(trade.gas)
    print()
    print(f"{'step':<22} {'first trade':>12} {'later trade':>12} {'peers':>10} {'change':>14}"
          "   transactions")  # fmt: skip
    for step, functions in STEPS.items():
        ours = [sum(g for f, g in gas if f in functions) for gas in (first, later)]
        print(_row(step, ours, PEERS[step], " + ".join(f.split(".")[1] for f in functions)))
    totals = [sum(g for _, g in gas) for gas in (first, later)]
    note = f"all {len(first)} transactions above (incl. refusal, waiver, repayment)"
    print(_row("whole export trade", totals, PEERS["whole export trade"], note))


def _row(step: str, ours: list[int], peer: int, what: str) -> str:
    change = "/".join(f"{100 * (g - peer) / peer:+.0f}%" for g in ours)
    return f"{step:<22} {ours[0]:>12,} {ours[1]:>12,} {peer:>10,} {change:>14}   {what}"


if __name__ == "__main__":
    main()
