"""Deploy the whole suite from one alliance description file, resumably.

The description (YAML) names the chain, the members (kind and operator addresses), the initial
participants, the eCNY issuance caps, the holiday calendar and the customs treasury. Addresses
are `0x...` or `wallet:NAME` (a wallet in the wallet folder). Every step is recorded in the
deployments file under the chain id as it completes, so re-running deploys nothing new and a
deployment that stopped half-way resumes at the step that failed.

The deployer signs the contract creations and the bootstrap; member actions (participants,
caps, holidays) are signed by that member's own operator wallet, as they would be in life. The
holiday calendar changes only by a vote of the alliance: one member proposes the holidays and
the others vote until a strict majority of the members has voted yes, so this step needs the
wallets of that many members' operators.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import yaml
from eth_account.signers.local import LocalAccount
from eth_utils import keccak

from .chain import Client, Deployments, artifact, parse_address, parse_amount
from .errors import EportError
from .wallet import Wallets

KINDS = {"customs": 1, "central_bank": 2, "government": 3, "commercial_bank": 4}
ROLES = {"exporter": 1, "importer": 2, "carrier": 4, "declarant": 8}
CONTRACTS = [
    ("AllianceRegistry", []),
    ("CNYDepositToken", ["AllianceRegistry"]),
    ("BankingCalendar", ["AllianceRegistry"]),
    ("CustomsClearance", ["AllianceRegistry", "CNYDepositToken", "@treasury"]),
    ("LetterOfCreditTerms", ["AllianceRegistry", "CNYDepositToken", "CustomsClearance",
                             "BankingCalendar"]),
    ("LetterOfCredit", ["AllianceRegistry", "CNYDepositToken", "CustomsClearance",
                        "BankingCalendar", "LetterOfCreditTerms"]),
    ("TradeFinance", ["AllianceRegistry", "CNYDepositToken", "CustomsClearance",
                      "LetterOfCredit"]),
]  # fmt: skip
# Contracts that hold eCNY (guarantees, escrow and claims) and use the value register.
TOKEN_HOLDERS = ["CustomsClearance", "LetterOfCredit", "TradeFinance"]
# Registered as system contracts: the token holders, and the token, which keeps the central
# bank's freezes in the registry (AllianceRegistry.setFrozen accepts system contracts only).
SYSTEM_CONTRACTS = ["CNYDepositToken", *TOKEN_HOLDERS]


def load_alliance(path: Path | str, wallets: Wallets) -> dict:
    """Read and check the description; resolve `wallet:NAME` to addresses."""
    try:
        data = yaml.safe_load(Path(path).read_text())
    except FileNotFoundError:
        raise EportError(f"no alliance file at {path}") from None
    except yaml.YAMLError as exc:
        raise EportError(f"alliance file {path} is not valid YAML: {exc}".splitlines()[0]) from None

    def address(value) -> str:
        text = str(value)
        return wallets.info(text[7:]).address if text.startswith("wallet:") else parse_address(text)

    try:
        members = [
            {
                "key": m["key"],
                "name": m["name"],
                "kind": KINDS[m["kind"]],
                "operators": [address(o) for o in m["operators"]],
            }
            for m in data["members"]
        ]
        keys = {m["key"] for m in members}
        participants = [
            {
                "name": p["name"],
                "address": address(p["address"]),
                "roles": sum(ROLES[r] for r in p["roles"]),
                "registered_by": p["registered_by"],
            }
            for p in data.get("participants", [])
        ]
        for p in participants:
            if p["registered_by"] not in keys:
                raise KeyError(f"registered_by {p['registered_by']}")
        caps = {
            k: parse_amount(str(v)) for k, v in (data.get("token", {}).get("caps") or {}).items()
        }
        for key in caps:
            if key not in keys:
                raise KeyError(f"cap for {key}")
        holidays = [_day_number(str(d)) for d in (data.get("calendar", {}).get("holidays") or [])]
        return {
            "chain_id": int(data["chain_id"]),
            "members": members,
            "participants": participants,
            "caps": caps,
            "holidays": holidays,
            "treasury": address(data["customs"]["treasury"]),
            "finish_bootstrap": bool(data.get("finish_bootstrap", True)),
        }
    except (KeyError, TypeError) as exc:
        raise EportError(f"alliance file {path} lacks or misnames {exc}") from None


def _day_number(text: str) -> int:
    """'2026-10-01' -> days since 1970-01-01 (the calendar's day numbers, Shanghai dates)."""
    from datetime import date

    try:
        return (date.fromisoformat(text) - date(1970, 1, 1)).days
    except ValueError:
        raise EportError(f"holiday {text!r} is not a date (YYYY-MM-DD)") from None


class Deployer:
    def __init__(
        self,
        client: Client,
        deployer: LocalAccount,
        alliance: dict,
        deployments: Deployments,
        signers: dict[str, LocalAccount],
        log: Callable[[str], None] = print,
        fresh: bool = False,
    ):
        if alliance["chain_id"] != client.chain_id:
            raise EportError(
                f"the alliance file is for chain {alliance['chain_id']}, "
                f"but the node at {client.rpc} is on chain {client.chain_id}"
            )
        self.client, self.deployer, self.alliance = client, deployer, alliance
        self.deployments, self.signers, self.log = deployments, signers, log
        recorded = None if fresh else deployments.load().get(str(client.chain_id))
        self.entry = recorded or {"contracts": {}, "steps": [], "members": {}, "builds": {}}

    # -------------------------------------------------------------- plumbing
    def _save(self) -> None:
        self.deployments.save_chain(self.client.chain_id, self.entry)

    def _contract(self, name: str):
        return self.client.contract(name, self.entry["contracts"][name])

    def _send(self, account: LocalAccount, fn) -> dict:
        return self.client.transact(account, fn).receipt

    def _signer(self, address: str, why: str) -> LocalAccount:
        account = self.signers.get(address)
        if account is None:
            raise EportError(
                f"{why} must be signed by {address}, whose wallet is not unlocked here"
            )
        return account

    def _operator(self, member_key: str) -> str:
        member = next(m for m in self.alliance["members"] if m["key"] == member_key)
        return member["operators"][0]

    def _step(self, name: str, action: Callable[[], None]) -> bool:
        if name in self.entry["steps"]:
            return False
        self.log(f"  {name} ...")
        action()
        self.entry["steps"].append(name)
        self._save()
        return True

    # ---------------------------------------------------------------- steps
    def _deploy_contract(self, name: str, args: list[str]) -> None:
        values = [
            self.alliance["treasury"] if a == "@treasury" else self.entry["contracts"][a]
            for a in args
        ]
        data = artifact(name)
        factory = self.client.w3.eth.contract(abi=data["abi"], bytecode=data["bytecode"])
        code = factory.constructor(*values).build_transaction(
            {"gas": 10_000_000, "nonce": 0, "chainId": self.client.chain_id,
             "maxFeePerGas": 1, "maxPriorityFeePerGas": 1}
        )["data"]  # fmt: skip
        tx = self.client.build(self.deployer.address, {"data": code})
        tx.pop("nonce")
        sent = self.client.sign_and_send(self.deployer, tx)
        self.entry["contracts"][name] = sent.receipt["contractAddress"]
        self.entry.setdefault("builds", {})[name] = data["bytecodeSha1"]
        self.entry.setdefault("block", sent.receipt["blockNumber"])
        self.log(
            f"    {name} at {sent.receipt['contractAddress']} ({sent.receipt['gasUsed']:,} gas)"
        )

    def _members(self) -> None:
        registry = self._contract("AllianceRegistry")
        for member in self.alliance["members"]:
            if member["key"] in self.entry["members"]:
                continue
            fn = registry.functions.bootstrapMember(
                member["kind"], keccak(text=member["name"]), member["operators"]
            )
            self._send(self.deployer, fn)
            self.entry["members"][member["key"]] = registry.functions.lastMemberId().call()
            self._save()

    def _system_contracts(self) -> None:
        registry = self._contract("AllianceRegistry")
        for name in SYSTEM_CONTRACTS:
            address = self.entry["contracts"][name]
            if not registry.functions.isSystemContract(address).call():
                self._send(self.deployer, registry.functions.bootstrapSystemContract(address, True))

    def _participants(self) -> None:
        registry = self._contract("AllianceRegistry")
        for p in self.alliance["participants"]:
            roles = registry.functions.participantOf(p["address"]).call()[0]
            if roles == p["roles"]:
                continue
            operator = self._operator(p["registered_by"])
            signer = self._signer(operator, f"registering {p['name']}")
            self._send(signer, registry.functions.registerParticipant(p["address"], p["roles"]))

    def _caps(self) -> None:
        token = self._contract("CNYDepositToken")
        central = next(m for m in self.alliance["members"] if m["kind"] == KINDS["central_bank"])
        signer = self._signer(central["operators"][0], "setting issuance caps")
        for key, cap in self.alliance["caps"].items():
            bank_id = self.entry["members"][key]
            if token.functions.issuanceOf(bank_id).call()[0] != cap:
                self._send(signer, token.functions.setIssuanceCap(bank_id, cap))

    def _holidays(self) -> None:
        """Close the holidays by a vote of the alliance (BankingCalendar.proposeDays, voteDays):
        the first member whose operator's wallet is unlocked proposes, the next ones vote until
        a strict majority of the active members has voted yes. Days already closed (weekends,
        holidays set before) and days already past are left out; a proposal recorded by a run
        that stopped half-way is voted on rather than proposed again."""
        calendar = self._contract("BankingCalendar")
        now = self.client.w3.eth.get_block("latest")["timestamp"]
        today = (now + 8 * 3600) // 86_400  # the calendar's Shanghai day number
        days = sorted(
            d for d in set(self.alliance["holidays"])
            if d > today and calendar.functions.isBankingDay(d).call()
        )  # fmt: skip
        if not days:
            return
        registry = self._contract("AllianceRegistry")
        active = registry.functions.activeMemberCount().call()
        needed = active // 2 + 1
        voters = []  # (member id, wallet): one unlocked operator per member
        for member in self.alliance["members"]:
            wallet = next((self.signers[o] for o in member["operators"] if o in self.signers), None)
            if wallet is not None:
                voters.append((self.entry["members"][member["key"]], wallet))
        if len(voters) < needed:
            raise EportError(
                f"setting the holiday calendar takes the votes of {needed} of the {active} "
                f"members, but the wallets of only {len(voters)} members' operators are unlocked "
                "here: give more with --signer"
            )
        proposal_id = self.entry.get("holiday_proposal")
        if proposal_id is not None:
            listed, _, _, executed, deadline, _ = calendar.functions.proposalOf(proposal_id).call()
            if executed or deadline < now or sorted(listed) != days:
                proposal_id = None
        if proposal_id is None:
            sent = self.client.transact(voters[0][1], calendar.functions.proposeDays(days, True))
            proposal_id = next(a["proposalId"] for n, a in sent.events if n == "DaysProposed")
            self.entry["holiday_proposal"] = proposal_id
            self._save()
        for member_id, wallet in voters:
            if calendar.functions.proposalOf(proposal_id).call()[3]:  # carried
                break
            if not calendar.functions.hasVoted(proposal_id, member_id).call():
                self._send(wallet, calendar.functions.voteDays(proposal_id))

    def _finish(self) -> None:
        if self.alliance["finish_bootstrap"]:
            self._send(
                self.deployer, self._contract("AllianceRegistry").functions.finishBootstrap()
            )

    def check(self) -> list[str]:
        """Read the deployment back; returns problems (empty when all is wired as described)."""
        problems = []
        w3 = self.client.w3
        for name, address in self.entry["contracts"].items():
            if not w3.eth.get_code(address):
                problems.append(f"{name}: no code at {address} (was the chain reset?)")
        if problems:
            return problems
        registry = self._contract("AllianceRegistry")
        for member in self.alliance["members"]:
            for operator in member["operators"]:
                kind = registry.functions.accessOf(operator).call()[0]
                if kind != member["kind"]:
                    problems.append(f"{member['key']}: operator {operator} has kind {kind}")
        for name in SYSTEM_CONTRACTS:
            if not registry.functions.isSystemContract(self.entry["contracts"][name]).call():
                problems.append(f"{name} is not a registered system contract")
        for p in self.alliance["participants"]:
            if registry.functions.participantOf(p["address"]).call()[0] != p["roles"]:
                problems.append(f"participant {p['name']} lacks its roles")
        return problems

    def stale(self) -> list[str]:
        """Contracts deployed from a build other than the current one."""
        builds = self.entry.get("builds", {})
        return [
            name for name in self.entry["contracts"]
            if builds.get(name) != artifact(name)["bytecodeSha1"]
        ]  # fmt: skip

    def run(self) -> dict:
        stale = self.stale()
        if stale:
            raise EportError(
                f"{', '.join(stale)} on chain {self.client.chain_id} were deployed from another "
                "build of the contracts: deploy with --fresh for a new deployment"
            )
        for name, _ in CONTRACTS:
            address = self.entry["contracts"].get(name)
            if address and not self.client.w3.eth.get_code(address):
                raise EportError(
                    f"{self.deployments.path} records {name} at {address} on chain "
                    f"{self.client.chain_id}, but there is no code there: the chain was reset; "
                    "deploy with --fresh"
                )
        changed = False
        # The registry and its members first: the customs contract checks that its treasury
        # may hold eCNY, which it may only once customs is a member.
        (registry, _), *others = CONTRACTS
        changed |= self._step(f"deploy {registry}", lambda: self._deploy_contract(registry, []))
        changed |= self._step("bootstrap members", self._members)
        for name, args in others:
            changed |= self._step(
                f"deploy {name}", lambda n=name, a=args: self._deploy_contract(n, a)
            )
        changed |= self._step("register system contracts", self._system_contracts)
        changed |= self._step("register participants", self._participants)
        changed |= self._step("set issuance caps", self._caps)
        changed |= self._step("set holidays", self._holidays)
        changed |= self._step("finish bootstrap", self._finish)
        problems = self.check()
        if problems:
            raise EportError("deployment check failed: " + "; ".join(problems))
        if not changed:
            self.log(
                f"nothing to deploy: every step is done on chain {self.client.chain_id} "
                f"(since block {self.entry.get('block')}); the check passed"
            )
        return self.entry
