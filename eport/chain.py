"""Talking to a chain as an operator: contracts from Brownie's build, addresses from the
deployments file, transactions signed locally from a wallet, reverts decoded by error name.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import requests
from eth_abi import decode as abi_decode
from eth_account.signers.local import LocalAccount
from eth_utils import event_abi_to_log_topic, function_abi_to_4byte_selector
from web3 import Web3
from web3.exceptions import ContractCustomError, ContractLogicError, TimeExhausted
from web3.middleware import ExtraDataToPOAMiddleware

from .errors import EportError
from .toolchain import PROJECT_ROOT

BUILD = PROJECT_ROOT / "build" / "contracts"
DEFAULT_DEPLOYMENTS = PROJECT_ROOT / ".eport" / "deployments.json"
DEFAULT_RPC = "http://127.0.0.1:8645"
CNY_DECIMALS = 2


# ------------------------------------------------------------------ input checks
def parse_address(text: str) -> str:
    """A 0x address; mixed case must carry a valid EIP-55 checksum."""
    if not Web3.is_address(text):
        raise EportError(f"{text!r} is not an address (0x and 40 hex digits)")
    if (
        text != text.lower()
        and text != "0x" + text[2:].upper()
        and not Web3.is_checksum_address(text)
    ):
        raise EportError(f"{text!r} has a bad checksum: check it, or give it all lower case")
    return Web3.to_checksum_address(text)


def parse_amount(text: str, decimals: int = CNY_DECIMALS) -> int:
    """'1234.56' CNY -> 123456 fen; more decimals than the token has is an error, not rounding."""
    try:
        value = Decimal(text.replace(",", ""))
    except InvalidOperation:
        raise EportError(f"{text!r} is not an amount") from None
    if not value.is_finite() or value < 0:
        raise EportError(f"{text!r} is not a positive amount")
    scaled = value.scaleb(decimals)
    if scaled != scaled.to_integral_value():
        raise EportError(f"{text!r} has more than {decimals} decimals")
    return int(scaled)


def format_amount(units: int, decimals: int = CNY_DECIMALS) -> str:
    return f"{Decimal(units).scaleb(-decimals):,.{decimals}f}"


# ---------------------------------------------------------------------- artifacts
_ARTIFACTS: dict[Path, tuple[int, dict]] = {}


def artifact(name: str) -> dict:
    """The build of contract `name` (read-only: shared by every caller). A build file is
    megabytes of JSON, so it is parsed once per version of the file, not once per call."""
    path = BUILD / f"{name}.json"
    try:
        version = path.stat().st_mtime_ns
    except FileNotFoundError:
        raise EportError(
            f"no build of contract {name}: run `brownie compile` (./run setup)"
        ) from None
    cached = _ARTIFACTS.get(path)
    if cached is None or cached[0] != version:
        cached = _ARTIFACTS[path] = (version, json.loads(path.read_text()))
    return cached[1]


def project_abis() -> list[dict]:
    """Every ABI entry of the project's contracts and interfaces (for decoding)."""
    entries: list[dict] = []
    for folder in (BUILD, PROJECT_ROOT / "build" / "interfaces"):
        for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
            entries.extend(json.loads(path.read_text()).get("abi", []))
    return entries


def _type(item: dict) -> str:
    if item["type"].startswith("tuple"):
        return "(" + ",".join(_type(c) for c in item["components"]) + ")" + item["type"][5:]
    return item["type"]


def decode_error(data: str | bytes | None, abis: list[dict] | None = None) -> str:
    """`Name(arg=value, ...)` for revert data, by the project's custom errors."""
    if data is None:
        return "reverted without data"
    raw = bytes.fromhex(data[2:]) if isinstance(data, str) else bytes(data)
    if len(raw) < 4:
        return "reverted without a reason"
    if raw[:4] == bytes.fromhex("08c379a0"):
        return "Error: " + abi_decode(["string"], raw[4:])[0]
    if raw[:4] == bytes.fromhex("4e487b71"):
        return f"Panic(0x{abi_decode(['uint256'], raw[4:])[0]:02x})"
    for entry in abis if abis is not None else project_abis():
        if entry.get("type") != "error":
            continue
        if function_abi_to_4byte_selector(entry) != raw[:4]:
            continue
        from .abi import show  # abi builds on this module

        values = abi_decode([_type(i) for i in entry["inputs"]], raw[4:])
        pairs = zip(entry["inputs"], values, strict=True)
        args = ", ".join(f"{i['name']}={show(i, v)}" for i, v in pairs)
        return f"{entry['name']}({args})"
    return f"unknown error 0x{raw[:4].hex()}"


def decode_logs(receipt, abis: list[dict] | None = None) -> list[tuple[str, dict]]:
    """(EventName, {arg: value}) for each log the project's ABIs know."""
    abis = abis if abis is not None else project_abis()
    events = {event_abi_to_log_topic(e): e for e in abis if e.get("type") == "event"}
    out = []
    w3 = Web3()
    for log in receipt["logs"]:
        entry = events.get(bytes(log["topics"][0])) if log["topics"] else None
        if entry is None:
            continue
        decoded = w3.eth.contract(abi=[entry]).events[entry["name"]]().process_log(log)
        out.append((entry["name"], dict(decoded["args"])))
    return out


# ----------------------------------------------------------------- deployments
@dataclass
class Deployments:
    """`{chain_id: {"contracts": {name: address}, "block": n, ...}}` in one JSON file."""

    path: Path

    @classmethod
    def default(cls) -> Deployments:
        return cls(Path(os.environ.get("EPORT_DEPLOYMENTS") or DEFAULT_DEPLOYMENTS))

    def load(self) -> dict:
        if not self.path.exists():
            return {}
        try:
            return json.loads(self.path.read_text())
        except ValueError:
            raise EportError(f"deployments file {self.path} is damaged") from None

    def for_chain(self, chain_id: int) -> dict:
        data = self.load()
        entry = data.get(str(chain_id))
        if not entry:
            known = ", ".join(sorted(data)) or "none"
            raise EportError(
                f"{self.path} has no deployment for chain {chain_id} (it has: {known}): "
                "deploy first, or point --deployments at the right file"
            )
        return entry

    def save_chain(self, chain_id: int, entry: dict) -> None:
        data = self.load()
        data[str(chain_id)] = entry
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(data, indent=2) + "\n")
        tmp.replace(self.path)


# ------------------------------------------------------------------------ client
@dataclass
class Sent:
    tx_hash: str
    receipt: Any
    events: list[tuple[str, dict]]

    def event_abi(self, name: str, abis: list[dict]) -> dict | None:
        return next((e for e in abis if e.get("type") == "event" and e["name"] == name), None)


class NonceKeeper:
    """The next nonce of a wallet on a chain, kept right across quick successive sends.

    The node's pending count alone is not enough when one wallet sends from several processes
    at once (two would read the same count), nor when a sent transaction was dropped from the
    pool (the count falls back, and the next send must reuse that nonce). So each sender takes
    a file lock, and a record of the last nonce and hash it used: the next nonce is one past the
    record if the node still knows that transaction, else the node's pending count.
    """

    def __init__(self, folder: Path | None = None):
        self.folder = Path(
            folder or os.environ.get("EPORT_NONCES") or PROJECT_ROOT / ".eport" / "nonces"
        )

    def reserve(self, w3, chain_id: int, sender: str, sign_and_send):
        """Lock, pick the nonce, call sign_and_send(nonce) -> tx hash, record, unlock."""
        import fcntl

        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / f"{chain_id}-{sender.lower()}.json"
        with open(path, "a+") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            handle.seek(0)
            try:
                record = json.loads(handle.read() or "{}")
            except ValueError:
                record = {}
            nonce = w3.eth.get_transaction_count(sender, "pending")
            last = record.get("nonce")
            if last is not None and last >= nonce and self._known(w3, record.get("hash")):
                nonce = last + 1
            tx_hash = sign_and_send(nonce)
            handle.seek(0)
            handle.truncate()
            handle.write(json.dumps({"nonce": nonce, "hash": tx_hash}))
            return nonce, tx_hash

    @staticmethod
    def _known(w3, tx_hash: str | None) -> bool:
        if not tx_hash:
            return False
        try:
            return w3.eth.get_transaction(tx_hash) is not None
        except Exception:  # noqa: BLE001 - TransactionNotFound: the node dropped it
            return False


class Client:
    """One node, checked to be reachable and on the expected chain."""

    def __init__(self, rpc: str | None = None, chain_id: int | None = None, timeout: float = 30):
        self.rpc = rpc or os.environ.get("EPORT_RPC") or DEFAULT_RPC
        self.w3 = Web3(Web3.HTTPProvider(self.rpc, request_kwargs={"timeout": timeout}))
        self.w3.middleware_onion.inject(ExtraDataToPOAMiddleware, layer=0)
        try:
            self.chain_id = self.w3.eth.chain_id
        except (requests.exceptions.RequestException, OSError):
            raise EportError(f"cannot reach a node at {self.rpc}: is it running?") from None
        if chain_id is not None and chain_id != self.chain_id:
            raise EportError(f"the node at {self.rpc} is on chain {self.chain_id}, not {chain_id}")
        self._abis: list[dict] | None = None

    @property
    def abis(self) -> list[dict]:
        if self._abis is None:
            self._abis = project_abis()
        return self._abis

    def contract(self, name: str, address: str):
        return self.w3.eth.contract(address=address, abi=artifact(name)["abi"])

    def fees(self) -> dict:
        base = self.w3.eth.get_block("latest").get("baseFeePerGas", 0)
        tip = 10**9
        return {"maxFeePerGas": 2 * base + tip, "maxPriorityFeePerGas": tip}

    def build(self, sender: str, tx: dict, nonce: int | None = None) -> dict:
        """Fill nonce, fees, chain id and gas (estimated: a revert shows up here, named)."""
        tx = {"from": sender, "chainId": self.chain_id, **self.fees(), **tx}
        tx["nonce"] = (
            nonce if nonce is not None else self.w3.eth.get_transaction_count(sender, "pending")
        )
        if "gas" not in tx:
            try:
                tx["gas"] = int(self.w3.eth.estimate_gas(tx) * 1.2) + 10_000
            except (ContractCustomError, ContractLogicError) as exc:
                raise EportError("would revert: " + decode_error(exc.data, self.abis)) from None
        return tx

    def sign_and_send(
        self,
        account: LocalAccount,
        tx: dict,
        confirmations: int = 1,
        progress: Callable[[str], None] | None = None,
    ) -> Sent:
        """Send `tx` (built without a nonce) with the wallet's next nonce, then wait."""

        def push(nonce: int) -> str:
            raw = account.sign_transaction({**tx, "nonce": nonce}).raw_transaction
            return self._push(raw)

        _, tx_hash = NonceKeeper().reserve(self.w3, self.chain_id, account.address, push)
        return self.wait(tx_hash, confirmations, 120, progress)

    def _push(self, raw: bytes) -> str:
        try:
            return self.w3.eth.send_raw_transaction(raw).to_0x_hex()
        except ValueError as exc:
            detail = exc.args[0] if exc.args else exc
            message = detail.get("message") if isinstance(detail, dict) else detail
            raise EportError(f"the node refused the transaction: {message}") from None

    def send_signed(
        self,
        raw: bytes,
        confirmations: int = 1,
        timeout: float = 120,
        progress: Callable[[str], None] | None = None,
    ) -> Sent:
        try:
            tx_hash = self.w3.eth.send_raw_transaction(raw)
        except ValueError as exc:
            message = (
                exc.args[0].get("message") if exc.args and isinstance(exc.args[0], dict) else exc
            )
            raise EportError(f"the node refused the transaction: {message}") from None
        return self.wait(tx_hash.to_0x_hex(), confirmations, timeout, progress)

    def wait(self, tx_hash: str, confirmations: int, timeout: float, progress=None) -> Sent:
        if confirmations == 0:
            return Sent(tx_hash, None, [])  # sent; the caller chose not to wait
        try:
            receipt = self.w3.eth.wait_for_transaction_receipt(tx_hash, timeout=timeout)
        except TimeExhausted:
            raise EportError(f"{tx_hash} was not mined within {timeout:.0f} s") from None
        target = receipt["blockNumber"] + confirmations - 1
        deadline = time.monotonic() + timeout
        while (head := self.w3.eth.block_number) < target:
            if progress:
                seen = head - receipt["blockNumber"] + 1
                progress(f"{tx_hash[:12]}… {seen}/{confirmations} confirmations")
            if time.monotonic() > deadline:
                raise EportError(f"{tx_hash} has fewer than {confirmations} confirmations")
            time.sleep(0.3)
        if receipt["status"] != 1:
            raise EportError(f"{tx_hash} reverted: {self.revert_reason(receipt)}")
        return Sent(tx_hash, receipt, decode_logs(receipt, self.abis))

    def revert_reason(self, receipt) -> str:
        tx = self.w3.eth.get_transaction(receipt["transactionHash"])
        call = {k: tx[k] for k in ("from", "to", "input", "value") if k in tx and tx[k] is not None}
        call["data"] = call.pop("input")
        try:
            self.w3.eth.call(call, receipt["blockNumber"] - 1)
        except (ContractCustomError, ContractLogicError) as exc:
            return decode_error(exc.data, self.abis)
        return "reverted (out of gas or state changed in between)"

    def transact(
        self,
        account: LocalAccount,
        fn,
        confirmations: int = 1,
        progress: Callable[[str], None] | None = None,
    ) -> Sent:
        tx = self.build(account.address, {"to": fn.address, "data": fn._encode_transaction_data()})
        tx.pop("nonce")
        return self.sign_and_send(account, tx, confirmations, progress)
