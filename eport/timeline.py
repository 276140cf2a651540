"""Follow a trade across customs, credit and financing, from the chain's events alone.

A trade is keyed by its customs declaration: its own events, the credits under which it was
presented (DocumentsPresented.declarationId) with all their events, and the financings raised
on it (FinancingRequested.declarationId) with all theirs.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from eth_utils import event_abi_to_log_topic
from web3 import Web3

from .abi import show
from .chain import Client, format_amount
from .errors import EportError
from .wallet import Wallets

CONTRACTS = ("CustomsClearance", "LetterOfCredit", "TradeFinance")
SHANGHAI = timedelta(hours=8)


def _logs(client: Client, name: str, address: str, from_block: int) -> list[dict]:
    contract = client.contract(name, address)
    events = [e for e in contract.abi if e["type"] == "event"]
    by_topic = {event_abi_to_log_topic(e): e for e in events}
    found = []
    for log in client.w3.eth.get_logs({"address": address, "fromBlock": from_block}):
        entry = by_topic.get(bytes(log["topics"][0])) if log["topics"] else None
        if entry is None:
            continue
        decoded = contract.events[entry["name"]]().process_log(log)
        found.append({"contract": name, "event": entry["name"], "abi": entry,
                      "args": dict(decoded["args"]), "block": log["blockNumber"],
                      "index": log["logIndex"], "tx": log["transactionHash"]})  # fmt: skip
    return found


def trade_timeline(client: Client, deployment: dict, declaration_id: int) -> dict:
    contracts = deployment["contracts"]
    start = deployment.get("block", 0)
    customs = client.contract("CustomsClearance", contracts["CustomsClearance"])
    count = customs.functions.declarationCount().call()
    if not 1 <= declaration_id <= count:
        raise EportError(f"no declaration {declaration_id} on chain {client.chain_id} "
                         f"(there are {count})")  # fmt: skip
    logs = {n: _logs(client, n, contracts[n], start) for n in CONTRACTS if n in contracts}
    rows = [e for e in logs["CustomsClearance"] if e["args"].get("id") == declaration_id]
    credits = {e["args"]["id"] for e in logs.get("LetterOfCredit", [])
               if e["event"] == "DocumentsPresented"
               and e["args"]["declarationId"] == declaration_id}  # fmt: skip
    rows += [e for e in logs.get("LetterOfCredit", []) if e["args"].get("id") in credits]
    financings = {e["args"]["id"] for e in logs.get("TradeFinance", [])
                  if e["args"].get("declarationId") == declaration_id}  # fmt: skip
    rows += [e for e in logs.get("TradeFinance", []) if e["args"].get("id") in financings]
    rows.sort(key=lambda e: (e["block"], e["index"]))

    names = {w.address: w.name for w in Wallets().list()}
    names.update({address: name for name, address in contracts.items()})
    blocks: dict[int, int] = {}
    events = []
    parties: set[str] = set()
    for e in rows:
        if e["block"] not in blocks:
            blocks[e["block"]] = client.w3.eth.get_block(e["block"])["timestamp"]
        sender = client.w3.eth.get_transaction(e["tx"])["from"]
        parties.add(sender)
        parties.update(v for v in e["args"].values() if isinstance(v, str) and Web3.is_address(v))
        when = datetime.fromtimestamp(blocks[e["block"]], UTC) + SHANGHAI
        inputs = {i["name"]: i for i in e["abi"]["inputs"]}
        events.append({
            "time": when.strftime("%Y-%m-%d %H:%M:%S +08:00"),
            "block": e["block"],
            "tx": e["tx"].to_0x_hex(),
            "contract": e["contract"],
            "event": e["event"],
            "by": sender,
            "by_name": names.get(sender),
            "args": {k: show(inputs[k], v, names) for k, v in e["args"].items()
                     if k not in ("content", "terms")},
        })  # fmt: skip
    token = client.contract("CNYDepositToken", contracts["CNYDepositToken"])
    summary = customs.functions.summaryOf(declaration_id).call()
    balances = {}
    for address in sorted(parties | {contracts["LetterOfCredit"], contracts["TradeFinance"]}):
        address = Web3.to_checksum_address(address)
        balances[names.get(address, address)] = format_amount(
            token.functions.balanceOf(address).call()
        )
    return {
        "chain_id": client.chain_id,
        "declaration": declaration_id,
        "status": show(
            {"internalType": "enum ICustomsClearanceView.Status", "type": "uint8"}, summary[0]
        ),  # fmt: skip
        "flagged": summary[2],
        "credits": sorted(credits),
        "financings": sorted(financings),
        "events": events,
        "balances_cny": balances,
    }


def print_timeline(data: dict, echo=print) -> None:
    echo(f"trade of declaration {data['declaration']} on chain {data['chain_id']}: "
         f"status {data['status']}{', FLAGGED' if data['flagged'] else ''}; "
         f"credits {data['credits'] or '-'}; financings {data['financings'] or '-'}")  # fmt: skip
    for e in data["events"]:
        who = e["by_name"] or e["by"][:10]
        args = ", ".join(f"{k}={v}" for k, v in e["args"].items())
        echo(f"  {e['time']}  #{e['block']:<6} {who:<10} {e['contract']}.{e['event']}({args})")
    echo("balances (eCNY):")
    for name, amount in data["balances_cny"].items():
        echo(f"  {name:<44} {amount:>18}")
