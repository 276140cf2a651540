"""The operator command line: every action of the mission, signed locally from a wallet.

Each command maps to one contract function (see COMMANDS); its arguments are the function's
inputs in order, typed as `eport.abi` describes, or taken by name from a YAML `--file` (for the
struct-shaped ones: a declaration, a credit application). A command:

1. unlocks the named wallet (hidden prompt, or --password-file),
2. checks the node (reachable, the deployment's chain) and simulates the call: a revert is
   reported by the contract's custom error, with its arguments, and nothing is sent,
3. signs locally and sends, shows progress while waiting for --confirmations blocks,
4. prints the transaction hash, the gas used and the decoded events.

`--dry-run` stops after step 2 with the gas estimate. `--sign-only FILE` signs without any
network (give --nonce, --chain-id; --gas and --max-fee-gwei have defaults) for a bank whose
signing machine is offline; `eport tx broadcast FILE` sends it from a connected machine.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import click
import yaml
from rich.console import Console

from .abi import show, to_abi
from .chain import Client, Deployments, artifact, decode_error, project_abis
from .errors import EportError
from .wallet import Wallets, read_password_file

console = Console(stderr=True, highlight=False, soft_wrap=True)

# group -> command -> (contract, function, help)
COMMANDS: dict[str, dict[str, tuple[str, str, str]]] = {
    "customs": {
        "channel": (
            "CustomsClearance",
            "assignChannel",
            "Set the risk channel (green, yellow, red).",
        ),
        "check-documents": (
            "CustomsClearance",
            "recordDocumentCheck",
            "Record the document check.",
        ),
        "inspect": ("CustomsClearance", "recordInspection", "Record the physical inspection."),
        "assess": ("CustomsClearance", "assessDuty", "Assess duty (CNY)."),
        "release": ("CustomsClearance", "release", "Release the goods."),
        "reject": ("CustomsClearance", "reject", "Reject with a reason code and text."),
        "call-guarantee": ("CustomsClearance", "callGuarantee", "Call a bank's duty guarantee."),
        "open-audit": ("CustomsClearance", "openAudit", "Open a post-clearance audit."),
        "close-audit": ("CustomsClearance", "closeAudit", "Close an audit, flagged or not."),
        "set-treasury": ("CustomsClearance", "setTreasury", "Change the duty treasury account."),
    },
    "trader": {
        "declare": ("CustomsClearance", "lodge", "Lodge a declaration (--file declaration.yaml)."),
        "amend-declaration": ("CustomsClearance", "amend", "Amend a lodged declaration."),
        "withdraw-declaration": ("CustomsClearance", "withdraw", "Withdraw before release."),
        "pay-duty": ("CustomsClearance", "payDuty", "Pay the assessed duty in eCNY."),
        "apply": ("LetterOfCredit", "applyForCredit", "Apply for a credit (--file credit.yaml)."),
        "withdraw-application": (
            "LetterOfCredit",
            "withdrawApplication",
            "Withdraw an application.",
        ),
        "accept-amendment": ("LetterOfCredit", "acceptAmendment", "Accept an amendment (Art. 10)."),
        "reject-amendment": ("LetterOfCredit", "rejectAmendment", "Reject an amendment."),
        "present": ("LetterOfCredit", "present", "Present documents under a credit."),
        "waive": ("LetterOfCredit", "waive", "Waive the discrepancies (applicant)."),
        "decline-waiver": ("LetterOfCredit", "declineWaiver", "Decline to waive (applicant)."),
        "claim-precluded": ("LetterOfCredit", "claimPrecluded", "Claim honour after Art. 16f."),
        "transfer-claim": ("LetterOfCredit", "transferClaim", "Transfer a deferred claim."),
        "request-financing": ("TradeFinance", "requestFinancing", "Ask a bank to finance."),
        "request-credit-financing": (
            "TradeFinance",
            "requestFinancingAgainstCredit",
            "Ask for financing against a credit claim.",
        ),  # fmt: skip
        "request-discount": ("TradeFinance", "requestDiscount", "Offer a claim for discount."),
        "cancel-request": ("TradeFinance", "cancelRequest", "Cancel a financing request."),
        "repay": ("TradeFinance", "repay", "Repay a financing (CNY)."),
        "approve": ("CNYDepositToken", "approve", "Allow a contract to take eCNY."),
        "transfer": ("CNYDepositToken", "transfer", "Pay eCNY."),
    },
    "bank": {
        "mint": ("CNYDepositToken", "mint", "Issue eCNY against a deposit."),
        "redeem": ("CNYDepositToken", "redeem", "Redeem (burn) eCNY for a withdrawal."),
        "approve": ("CNYDepositToken", "approve", "Allow a contract to take eCNY."),
        "transfer": ("CNYDepositToken", "transfer", "Pay eCNY."),
        "guarantee-duty": ("CustomsClearance", "guaranteeDuty", "Guarantee a declaration's duty."),
        "issue": ("LetterOfCredit", "issue", "Issue an applied-for credit (escrows the maximum)."),
        "advise": ("LetterOfCredit", "advise", "Advise a credit."),
        "confirm": ("LetterOfCredit", "confirm", "Add confirmation."),
        "amend": ("LetterOfCredit", "proposeAmendment", "Propose an amendment (--file)."),
        "cancel-credit": ("LetterOfCredit", "proposeCancellation", "Propose cancellation."),
        "agree-amendment": ("LetterOfCredit", "agreeAmendment", "Agree (confirming bank)."),
        "honour": ("LetterOfCredit", "honour", "Honour a presentation."),
        "refuse": ("LetterOfCredit", "refuse", "Refuse with one notice of discrepancies."),
        "settle": ("LetterOfCredit", "settleAtMaturity", "Pay a deferred drawing at maturity."),
        "release-expired": ("LetterOfCredit", "releaseExpired", "Release unused escrow."),
        "set-advance-ratio": ("TradeFinance", "setAdvanceRatio", "Set the advance ratio (bp)."),
        "finance": ("TradeFinance", "approveFinancing", "Approve and disburse a financing."),
        "decline": ("TradeFinance", "declineRequest", "Decline a financing request."),
        "discount": ("TradeFinance", "discount", "Buy a deferred claim at a discount."),
        "collect": ("TradeFinance", "collectFromCredit", "Collect a financed credit claim."),
        "mark-overdue": ("TradeFinance", "markOverdue", "Mark a financing overdue."),
        "write-off": ("TradeFinance", "writeOff", "Default: write a financing off."),
    },
    "carrier": {
        "ship": (
            "LetterOfCredit",
            "recordTransportDocument",
            "Record a transport document and its on-board date.",
        ),  # fmt: skip
    },
    "pboc": {
        "cap": ("CNYDepositToken", "setIssuanceCap", "Set a bank's eCNY issuance cap."),
        "freeze": ("CNYDepositToken", "freeze", "Freeze an account with a recorded reason."),
        "unfreeze": ("CNYDepositToken", "unfreeze", "Lift a freeze."),
        "rate": ("TradeFinance", "setReferenceRate", "Publish a daily reference rate."),
    },
    "member": {
        "propose": ("AllianceRegistry", "propose", "Propose an alliance action."),
        "vote": ("AllianceRegistry", "vote", "Vote yes on a proposal."),
        "register": ("AllianceRegistry", "registerParticipant", "Register a participant."),
        "suspend": ("AllianceRegistry", "suspendParticipant", "Suspend a participant."),
        "reinstate": ("AllianceRegistry", "reinstateParticipant", "Lift a suspension."),
        "holidays": (
            "BankingCalendar",
            "proposeDays",
            "Propose to close (true) or open (false) bank days; the members vote.",
        ),
        "vote-holidays": ("BankingCalendar", "voteDays", "Vote yes on a calendar proposal."),
    },
}


def say(message: str) -> None:
    console.print(message, markup=False)


class Context:
    """What every operator command shares: wallet, node, deployment."""

    def __init__(self, wallet, password_file, rpc, deployments, confirmations, dry_run,
                 sign_only, nonce, chain_id, gas, max_fee_gwei, as_json):  # fmt: skip
        self.wallet_name, self.password_file = wallet, password_file
        self.rpc, self.confirmations, self.dry_run = rpc, confirmations, dry_run
        self.sign_only, self.nonce, self.chain_id = sign_only, nonce, chain_id
        self.gas, self.max_fee_gwei, self.as_json = gas, max_fee_gwei, as_json
        self.deployments = Deployments(deployments) if deployments else Deployments.default()
        self.wallets = Wallets()
        self._client: Client | None = None

    @classmethod
    def for_api(cls, rpc=None, deployments=None, confirmations=1, chain_id=None) -> Context:
        """A context for programs (the main job, tests) that pass accounts themselves."""
        return cls(None, None, rpc, deployments, confirmations, False, None, None, chain_id,
                   500_000, 10.0, False)  # fmt: skip

    def client(self) -> Client:
        if self._client is None:
            self._client = Client(self.rpc, self.chain_id)
        return self._client

    def account(self):
        if not self.wallet_name:
            raise EportError("name the signing wallet with --wallet NAME")
        self.wallets.info(self.wallet_name)
        if self.password_file is not None:
            password = read_password_file(self.password_file)
        elif sys.stdin.isatty():
            password = click.prompt(f"Password of wallet {self.wallet_name}", hide_input=True)
        else:
            raise EportError("password: give --password-file, or run in a terminal to type it")
        return self.wallets.unlock(self.wallet_name, password)

    def address_of(self, contract: str, chain_id: int) -> str:
        entry = self.deployments.for_chain(chain_id)
        try:
            return entry["contracts"][contract]
        except KeyError:
            raise EportError(f"{contract} is not in the deployment for chain {chain_id}") from None

    def resolver(self, chain_id: int):
        def resolve(reference: str) -> str:
            kind, _, name = reference.partition(":")
            if kind == "contract":
                return self.address_of(name, chain_id)
            if kind == "wallet":
                return self.wallets.info(name).address
            raise EportError(f"{reference!r}: use wallet:NAME, contract:NAME or an address")

        return resolve


def _function_abi(contract: str, function: str) -> dict:
    for entry in artifact(contract)["abi"]:
        if entry.get("type") == "function" and entry["name"] == function:
            return entry
    raise EportError(f"{contract} has no function {function}")


def build_args(abi: dict, positional: tuple[str, ...], file: Path | None, resolve) -> list:
    named: dict[str, Any] = {}
    if file is not None:
        try:
            named = yaml.safe_load(Path(file).read_text()) or {}
        except OSError as exc:
            raise EportError(f"cannot read {file}: {exc.strerror}") from None
        except yaml.YAMLError:
            raise EportError(f"{file} is not valid YAML") from None
        if not isinstance(named, dict):
            raise EportError(f"{file} must map argument names to values")
    inputs = abi["inputs"]
    if len(positional) > len(inputs):
        raise EportError(f"{abi['name']} takes {len(inputs)} arguments, got {len(positional)}")
    values = []
    for index, item in enumerate(inputs):
        if index < len(positional):
            raw = positional[index]
        elif item["name"] in named:
            raw = named[item["name"]]
        else:
            names = ", ".join(i["name"] for i in inputs)
            raise EportError(f"{abi['name']}({names}) lacks {item['name']!r}")
        values.append(to_abi(item, raw, resolve))
    return values


def execute(ctx: Context, contract: str, function: str, positional, file) -> None:
    """The command line's path: sign with the context's wallet, then print the outcome."""
    if ctx.sign_only:
        _sign_offline(ctx, contract, _function_abi(contract, function), positional, file)
        return
    sent = send(ctx, ctx.account(), contract, function, positional, file)
    if sent is not None:
        report(sent, ctx.as_json)


def send(ctx: Context, account, contract: str, function: str, positional=(), file=None):
    """Check, simulate (a revert is named and nothing is sent), sign locally, send, wait.

    Returns the `Sent` result, or None for a dry run.
    """
    abi = _function_abi(contract, function)
    client = ctx.client()
    address = ctx.address_of(contract, client.chain_id)
    args = build_args(abi, tuple(positional), file, ctx.resolver(client.chain_id))
    fn = client.contract(contract, address).functions[function](*args)
    tx = client.build(account.address, {"to": address, "data": fn._encode_transaction_data()})
    if ctx.dry_run:
        try:
            result = fn.call({"from": account.address})
        except Exception as exc:  # noqa: BLE001 - reported by its decoded reason
            raise EportError("would revert: " + decode_error(getattr(exc, "data", None))) from None
        say(f"dry run: {contract}.{function} would succeed; gas estimate {tx['gas']:,}")
        if result not in (None, [], ()):
            click.echo(f"returns {result}")
        return None
    tx.pop("nonce")
    with console.status(f"{contract}.{function}: sending", spinner="dots") as status:
        return client.sign_and_send(
            account, tx, ctx.confirmations, progress=lambda m: status.update(f"waiting: {m}")
        )


def report(sent, as_json: bool) -> None:
    receipt = sent.receipt
    if receipt is None:
        click.echo(json.dumps({"tx": sent.tx_hash}) if as_json else f"tx {sent.tx_hash} (sent)")
        return
    events = [(name, {k: _plain(v) for k, v in args.items()}) for name, args in sent.events]
    if as_json:
        click.echo(json.dumps({
            "tx": sent.tx_hash, "block": receipt["blockNumber"], "gas_used": receipt["gasUsed"],
            "events": [{"event": n, "args": a} for n, a in events],
        }, indent=2))  # fmt: skip
        return
    click.echo(f"tx {sent.tx_hash}")
    click.echo(f"block {receipt['blockNumber']}, gas used {receipt['gasUsed']:,}")
    abis = project_abis()
    for name, args in sent.events:
        entry = sent.event_abi(name, abis) or {"inputs": []}
        inputs = {i["name"]: i for i in entry["inputs"]}
        shown = [
            f"{k}={show(inputs[k], v) if k in inputs else v}"
            for k, v in args.items()
            if not (k in inputs and inputs[k]["type"] == "tuple")  # whole structs: see --json
        ]
        click.echo(f"  {name}({', '.join(shown)})")


def _plain(value):
    if isinstance(value, bytes):
        return "0x" + value.hex()
    if isinstance(value, Mapping):
        return {k: _plain(value[k]) for k in value}  # a struct may have a field "items"
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def _sign_offline(ctx: Context, contract: str, abi: dict, positional, file) -> None:
    if ctx.nonce is None or ctx.chain_id is None:
        raise EportError("--sign-only needs --nonce and --chain-id (no network is used)")
    account = ctx.account()
    address = ctx.address_of(contract, ctx.chain_id)
    args = build_args(abi, positional, file, ctx.resolver(ctx.chain_id))
    from web3 import Web3

    fn = Web3().eth.contract(address=address, abi=[abi]).functions[abi["name"]](*args)
    tx = {
        "to": address, "data": fn._encode_transaction_data(), "nonce": ctx.nonce,
        "chainId": ctx.chain_id, "gas": ctx.gas, "value": 0,
        "maxFeePerGas": int(ctx.max_fee_gwei * 10**9), "maxPriorityFeePerGas": 10**9,
    }  # fmt: skip
    signed = account.sign_transaction(tx)
    Path(ctx.sign_only).write_text(json.dumps({
        "raw": "0x" + signed.raw_transaction.hex(), "hash": "0x" + signed.hash.hex(),
        "from": account.address, "chain_id": ctx.chain_id, "nonce": ctx.nonce,
        "call": f"{contract}.{abi['name']}", "args": [str(a) for a in positional],
    }, indent=2) + "\n")  # fmt: skip
    say(f"signed {contract}.{abi['name']} (nonce {ctx.nonce}) to {ctx.sign_only}; "
        "send it with `eport tx broadcast FILE`")  # fmt: skip


def operator_options(f):
    options = [
        click.option("--wallet", "-w", envvar="EPORT_WALLET", help="Wallet that signs."),
        click.option("--password-file", type=click.Path(dir_okay=False, path_type=Path),
                     help="The wallet password's file (else a hidden prompt)."),
        click.option("--rpc", envvar="EPORT_RPC", help="Node URL (default the local RPC node)."),
        click.option("--deployments", type=click.Path(dir_okay=False, path_type=Path),
                     envvar="EPORT_DEPLOYMENTS", help="Deployments file."),
        click.option("--confirmations", default=1, show_default=True, type=click.IntRange(0)),
        click.option("--dry-run", is_flag=True, help="Simulate and estimate gas; send nothing."),
        click.option("--sign-only", type=click.Path(dir_okay=False, path_type=Path),
                     help="Sign to this file without any network (offline signing)."),
        click.option("--nonce", type=int, help="Nonce for --sign-only."),
        click.option("--chain-id", type=int, help="Expected chain id (required for --sign-only)."),
        click.option("--gas", default=500_000, show_default=True, help="Gas for --sign-only."),
        click.option("--max-fee-gwei", default=10.0, show_default=True, help="For --sign-only."),
        click.option("--json", "as_json", is_flag=True, help="Machine-readable output."),
    ]  # fmt: skip
    for option in reversed(options):
        f = option(f)
    return f


def _make_command(contract: str, function: str, help_text: str) -> click.Command:
    @click.command(help=f"{help_text}\n\nCalls {contract}.{function}; arguments in order.")
    @click.argument("args", nargs=-1)
    @click.option("--file", type=click.Path(dir_okay=False, path_type=Path),
                  help="YAML file with the arguments by name.")  # fmt: skip
    @operator_options
    def command(args, file, **options):
        execute(Context(**options), contract, function, args, file)

    return command


def register(cli: click.Group) -> None:
    groups: dict[str, click.Group] = {}
    for group_name, commands in COMMANDS.items():
        group = click.Group(group_name, help=f"Actions of the {group_name} operators.")
        for name, (contract, function, help_text) in commands.items():
            group.add_command(_make_command(contract, function, help_text), name)
        cli.add_command(group)
        groups[group_name] = group
    _register_signed_financing(groups["trader"], groups["bank"])

    @cli.group()
    def tx() -> None:
        """Transactions signed elsewhere."""

    @tx.command()
    @click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
    @click.option("--rpc", envvar="EPORT_RPC")
    @click.option("--confirmations", default=1, show_default=True, type=click.IntRange(0))
    @click.option("--json", "as_json", is_flag=True)
    def broadcast(file: Path, rpc, confirmations, as_json) -> None:
        """Send a transaction signed with --sign-only."""
        try:
            signed = json.loads(Path(file).read_text())
            raw = bytes.fromhex(signed["raw"][2:])
        except (OSError, ValueError, KeyError):
            raise EportError(f"{file} is not a signed transaction from --sign-only") from None
        client = Client(rpc, signed.get("chain_id"))
        with console.status("broadcasting", spinner="dots"):
            sent = client.send_signed(raw, confirmations)
        report(sent, as_json)


def _register_signed_financing(trader: click.Group, bank: click.Group) -> None:
    """The one-transaction financing: the exporter signs a request, its bank submits it."""

    @trader.command("sign-financing")
    @click.argument("declaration_id")
    @click.argument("bank_id")
    @click.argument("invoice_number")
    @click.argument("invoice")
    @click.argument("receivable")
    @click.argument("amount")
    @click.argument("due_date")
    @click.option(
        "--out",
        "-o",
        required=True,
        type=click.Path(dir_okay=False, path_type=Path),
        help="Where to write the signed request (hand it to the bank).",
    )
    @click.option(
        "--valid-for",
        default=86_400,
        show_default=True,
        type=click.IntRange(60),
        help="Seconds the bank has to submit it.",
    )
    @operator_options
    def sign_financing(declaration_id, bank_id, invoice_number, invoice, receivable, amount,
                       due_date, out, valid_for, **options):  # fmt: skip
        """Sign a financing request (EIP-712) for a bank to finance in one transaction.

        INVOICE_NUMBER is the number printed on the invoice (one invoice is financed once);
        INVOICE is the text committed to (salted) for its contents; AMOUNT (CNY) is exactly
        what the bank may lend. No transaction is sent: the bank runs `eport bank
        finance-signed FILE`. With --chain-id no node is needed (the deployment gives the
        contract).
        """
        import time

        from . import signing

        ctx = Context(**options)
        chain_id = ctx.chain_id if ctx.chain_id is not None else ctx.client().chain_id
        contract = ctx.address_of("TradeFinance", chain_id)
        request = signing.make_request(
            declarationId=declaration_id, bank=bank_id, invoiceNumber=invoice_number,
            invoiceCommitment=invoice, receivable=receivable, amount=amount, dueDate=due_date,
            deadline=int(time.time()) + valid_for,
        )  # fmt: skip
        account = ctx.account()
        signing.write(out, account, chain_id, contract, request)
        say(f"signed a request for bank {request['bank']} to finance declaration "
            f"{request['declarationId']} (deadline in {valid_for} s) to {out}")  # fmt: skip

    @bank.command("finance-signed")
    @click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
    @operator_options
    def finance_signed(file, **options):
        """Finance an exporter's signed request (sign-financing): pay out the amount it signed.

        Calls TradeFinance.financeWithSignature: request, approval and payment in one
        transaction, under every rule of the two-step path.
        """
        from . import signing

        ctx = Context(**options)
        signed = signing.read(file)
        chain_id = ctx.chain_id if ctx.chain_id is not None else ctx.client().chain_id
        contract = ctx.address_of("TradeFinance", chain_id)
        if signed["chain_id"] != chain_id or signed["contract"].lower() != contract.lower():
            raise EportError(f"{file} was signed for TradeFinance {signed['contract']} on chain "
                             f"{signed['chain_id']}, not this deployment's {contract} on chain "
                             f"{chain_id}")  # fmt: skip
        say(f"request signed by {signing.signer_of(signed)}")
        args = (signed["request"], signed["signature"])
        execute(ctx, "TradeFinance", "financeWithSignature", args, None)
