"""The main job: one complete cross-border trade on the local alliance network.

Every party signs from its own encrypted wallet, through the same code path as the operator
command line (`eport.operator.send`): simulate, sign locally, send, wait.

    export declaration of 500,000.00 CNY on the green channel (carrier and B/L named) -> released
    sight credit for 300,000.00 (60% of the goods) applied for by the importer, naming the
        carrier; issued by BOCOM (escrowed), advised and confirmed by ICBC
    shipment recorded by the named carrier (B/L number, vessel and voyage)
    open-account receivable of the other 200,000.00 financed by ICBC at 80% (160,000.00)
    presentation of 300,000.00 -> refused with one discrepancy -> waived -> honoured
    the importer pays the open-account receivable: ICBC first, the rest to the exporter

One shipment, one use: the presentation and the financing together use 460,000.00 of the
declaration's 500,000.00, and customs' register refuses anything beyond it.
"""

from __future__ import annotations

import os
import secrets
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from . import signing
from .chain import Deployments, format_amount
from .deploy import Deployer, load_alliance
from .errors import EportError
from .keys import document_key
from .network import Network
from .operator import Context, send
from .toolchain import PROJECT_ROOT
from .wallet import Wallets, read_password_file

PARTIES = [
    "deployer", "customs", "pboc", "gov", "bocom", "icbc",
    "exporter", "importer", "carrier", "declarant",
]  # fmt: skip
ALLIANCE_FILE = PROJECT_ROOT / "config" / "alliance.local.yaml"
PASSWORDS = Path(os.environ.get("EPORT_PASSWORDS") or PROJECT_ROOT / ".eport" / "passwords")
GOODS = "500000.00"  # CNY: one container of laptops
CREDIT = "300000.00"  # the part the importer's bank secures by a letter of credit
OPEN_ACCOUNT = "200000.00"  # the rest, payable on open account and financed by ICBC
ADVANCE = "160000.00"  # 80% of the open-account receivable
DAY = 86_400


def ensure_wallets(wallets: Wallets, passwords: Path, log) -> dict:
    """A wallet per party (made on first run, with a random 0600 password file), unlocked."""
    passwords.mkdir(parents=True, exist_ok=True)
    accounts = {}
    for name in PARTIES:
        secret = passwords / name
        if not (wallets.folder / f"{name}.json").exists():
            password = secrets.token_urlsafe(18)
            fd = os.open(secret, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w") as handle:
                handle.write(password + "\n")
            info = wallets.create(name, password)
            log(f"  created wallet {name} {info.address}")
        accounts[name] = wallets.unlock(name, read_password_file(secret))
    return accounts


class Trade:
    """Runs the trade step by step and keeps what it made (ids) for the timeline."""

    def __init__(self, ctx: Context, accounts: dict, log: Callable[[str], None]):
        self.ctx, self.accounts, self.log = ctx, accounts, log
        self.gas: list[tuple[str, int]] = []
        self.workdir = Path(tempfile.mkdtemp(prefix="eport-trade-"))

    def step(self, who: str, label: str, contract: str, function: str, *args, file=None):
        sent = send(self.ctx, self.accounts[who], contract, function, args, file)
        self.gas.append((f"{contract}.{function}", sent.receipt["gasUsed"]))
        self.log(f"  {who:<9} {label:<44} block {sent.receipt['blockNumber']:>5}  "
                 f"{sent.receipt['gasUsed']:>9,} gas")  # fmt: skip
        return dict(sent.events)

    def prepare_banks(self) -> None:
        token = self.ctx.client().contract(
            "CNYDepositToken", self.ctx.address_of("CNYDepositToken", self.ctx.client().chain_id)
        )
        for bank in ("bocom", "icbc"):
            address = self.accounts[bank].address
            if token.functions.balanceOf(address).call() < 100_000_000:
                self.step(bank, "mint 2,000,000.00 eCNY against deposits", "CNYDepositToken",
                          "mint", address, "2000000.00", f"deposit {time.time_ns()}")  # fmt: skip
        importer = self.accounts["importer"].address
        if token.functions.balanceOf(importer).call() < 20_000_000:
            self.step("bocom", "mint 1,000,000.00 eCNY to the importer",
                      "CNYDepositToken", "mint", importer, "1000000.00",
                      f"deposit {time.time_ns()}")  # fmt: skip
        self.step("bocom", "approve the credit escrow", "CNYDepositToken", "approve",
                  "contract:LetterOfCredit", "1000000000.00")  # fmt: skip
        self.step("icbc", "approve trade finance", "CNYDepositToken", "approve",
                  "contract:TradeFinance", "1000000000.00")  # fmt: skip
        self.step("icbc", "set advance ratio 80%", "TradeFinance", "setAdvanceRatio", "8000")
        self.step("importer", "approve trade finance (the receivable)", "CNYDepositToken",
                  "approve", "contract:TradeFinance", "1000000000.00")  # fmt: skip

    def run(self) -> dict:
        head = self.ctx.client().w3.eth.get_block("latest")
        chain_now = head["timestamp"]
        tag = f"{chain_now}-{head['number']}"
        self.log("trade:")
        bill = f"COSU{tag}"
        lodged = self.step("declarant", "lodge the export declaration", "CustomsClearance",
                           "lodge", file=self._declaration(tag, bill))  # fmt: skip
        declaration = lodged["DeclarationLodged"]["id"]
        self.step("customs", f"declaration {declaration}: green channel", "CustomsClearance",
                  "assignChannel", declaration, "green")  # fmt: skip
        self.step("customs", "assess duty 0.00 (export)", "CustomsClearance", "assessDuty",
                  declaration, "0")  # fmt: skip
        self.step("customs", "release", "CustomsClearance", "release", declaration)
        applied = self.step("importer", "apply for a sight credit", "LetterOfCredit",
                            "applyForCredit", file=self._application(chain_now))  # fmt: skip
        credit = applied["CreditApplied"]["id"]
        self.step("bocom", f"credit {credit}: issue (escrow the maximum)", "LetterOfCredit",
                  "issue", credit)  # fmt: skip
        self.step("icbc", "advise", "LetterOfCredit", "advise", credit)
        self.step("icbc", "confirm", "LetterOfCredit", "confirm", credit)
        self.step("carrier", "record the bill of lading, shipped on board", "LetterOfCredit",
                  "recordTransportDocument", credit, bill, str(chain_now),
                  "COSCO SHIPPING ARIES 042W")  # fmt: skip
        carrier = self.accounts["carrier"].address
        transport_doc = "0x" + document_key(carrier, bill).hex()
        # The exporter signs its request off-chain; ICBC records, approves and pays it out in
        # one transaction (the two-step requestFinancing + approveFinancing costs more gas).
        request = signing.make_request(
            declarationId=declaration, bank="5", invoiceNumber=f"INV-{tag}",
            invoiceCommitment=f"invoice INV-{tag}", receivable=OPEN_ACCOUNT, amount=ADVANCE,
            dueDate=str(chain_now + 90 * DAY), deadline=str(chain_now + DAY),
        )  # fmt: skip
        client = self.ctx.client()
        finance = self.ctx.address_of("TradeFinance", client.chain_id)
        signed = signing.write(self.workdir / "financing-request.json", self.accounts["exporter"],
                               client.chain_id, finance, request)  # fmt: skip
        self.log(f"  {'exporter':<9} sign a financing request for ICBC (EIP-712, off-chain)")
        financed = self.step("icbc", "finance the signed request: disburse 80%", "TradeFinance",
                             "financeWithSignature", signed["request"],
                             signed["signature"])  # fmt: skip
        financing = financed["FinancingApproved"]["id"]
        presented = self.step("exporter", "present the documents", "LetterOfCredit", "present",
                              credit, CREDIT, transport_doc, declaration,
                              f"commercial invoice INV-{tag},packing list {tag}")  # fmt: skip
        presentation = presented["DocumentsPresented"]["presentationId"]
        self.step("bocom", "refuse: one discrepancy (invoice date)", "LetterOfCredit", "refuse",
                  credit, presentation, "12", "invoice dated after shipment",
                  "HoldingPendingWaiver")  # fmt: skip
        self.step("importer", "waive the discrepancy", "LetterOfCredit", "waive", credit,
                  presentation)  # fmt: skip
        self.step("bocom", "honour at sight", "LetterOfCredit", "honour", credit, presentation)
        self.step("importer", "pay the open-account receivable", "TradeFinance", "repay",
                  financing, OPEN_ACCOUNT)  # fmt: skip
        return {"declaration": declaration, "credit": credit, "financing": financing}

    def _declaration(self, tag: str, bill: str) -> Path:
        import yaml

        path = self.workdir / "declaration.yaml"
        content = {
            "flow": "Export",
            "trader": "wallet:exporter",
            "content": {
                "shipment": {
                    "counterparty": "Hamburg Electronics GmbH", "customsOffice": 2201,
                    "tradeMode": 110, "incoterms": "CIF", "transportMode": 2,
                    "originCountry": "CN", "destinationCountry": "DE",
                    "loadingPort": "CNSHA", "dischargePort": "DEHAM",
                    "carrier": "wallet:carrier", "transportDocNumber": bill,
                },
                "valuation": {"currency": "CNY", "declaredValue": GOODS, "freight": "0",
                              "insurance": "0"},
                "items": [
                    {"hsCode": 8471300000, "quantity": 1000, "unit": "PCE",
                     "value": "450000.00", "origin": "CN"},
                    {"hsCode": 8504401400, "quantity": 1000, "unit": "PCE",
                     "value": "50000.00", "origin": "CN"},
                ],
                "documentsCommitment": f"salted documents {tag} {secrets.token_hex(8)}",
                "documentCommitments": [],
            },
        }  # fmt: skip
        path.write_text(yaml.safe_dump(content))
        return path

    def _application(self, now: int) -> Path:
        import yaml

        path = self.workdir / "credit.yaml"
        terms = {
            "t": {
                "issuingBank": 4, "advisingBank": 5, "confirmingBank": 5,
                "beneficiary": "wallet:exporter", "amount": CREDIT, "currency": "CNY",
                "toleranceBp": 0, "partialAllowed": False, "form": "Sight", "tenorDays": 0,
                "latestShipment": now + 20 * DAY, "expiry": now + 60 * DAY,
                "documents": "commercial invoice, packing list, clean on-board B/L",
                "exactAmount": False, "carriers": ["wallet:carrier"],
            }
        }  # fmt: skip
        path.write_text(yaml.safe_dump(terms))
        return path


def balances(ctx: Context, accounts: dict) -> list[tuple[str, str]]:
    client = ctx.client()
    token = client.contract("CNYDepositToken", ctx.address_of("CNYDepositToken", client.chain_id))
    rows = [(n, token.functions.balanceOf(accounts[n].address).call())
            for n in ("bocom", "icbc", "exporter", "importer", "customs")]  # fmt: skip
    for name in ("LetterOfCredit", "TradeFinance"):
        rows.append((name, token.functions.balanceOf(ctx.address_of(name, client.chain_id)).call()))
    rows.append(("total supply", token.functions.totalSupply().call()))
    return [(n, format_amount(v)) for n, v in rows]


def main_job(log: Callable[[str], None] = print, network: Network | None = None) -> dict:
    network = network or Network(log=log)
    network.up()  # says so and changes nothing when it is already up
    rpc = network.rpc_url()
    wallets = Wallets()
    log("wallets:")
    accounts = ensure_wallets(wallets, PASSWORDS, log)
    sealer = network.w3(network.load().sealers[0].name)
    for account in accounts.values():
        if sealer.eth.get_balance(account.address) < 10**19:
            network.fund(account.address, 1000 * 10**18)
    ctx = Context.for_api(rpc=rpc)
    client = ctx.client()
    alliance = load_alliance(ALLIANCE_FILE, wallets)
    alliance["chain_id"] = client.chain_id
    log(f"deploying to chain {client.chain_id} ({rpc}):")
    signers = {a.address: a for a in accounts.values()}
    deployer = Deployer(client, accounts["deployer"], alliance, Deployments.default(), signers,
                        log=log)  # fmt: skip
    if deployer.stale():
        log(f"  the contracts changed since the last deployment ({', '.join(deployer.stale())}):"
            " deploying afresh")  # fmt: skip
        deployer = Deployer(client, accounts["deployer"], alliance, Deployments.default(),
                            signers, log=log, fresh=True)  # fmt: skip
    deployer.run()
    trade = Trade(ctx, accounts, log)
    log("banks:")
    trade.prepare_banks()
    ids = trade.run()
    return {"ids": ids, "gas": trade.gas, "balances": balances(ctx, accounts)}


if __name__ == "__main__":  # pragma: no cover
    try:
        main_job()
    except EportError as exc:
        raise SystemExit(f"error: {exc}") from None
