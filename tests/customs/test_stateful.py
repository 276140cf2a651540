"""Stateful test: random sequences of every clearance action against a Python model.

Each rule predicts, from the model, whether the call succeeds or which named error it raises,
then compares. The invariants check, independently of the model's rules, that no declaration
ever moves backwards or skips a required step, that no red declaration is released
uninspected, that duty is collected at most once (the treasury holds exactly the duty the model
collected), that the clearance holds exactly the duty of the guarantees outstanding (given, not
collected, not handed back), that clearing never changes the token supply, that one transport
document backs at most one live declaration per flow, and that no declaration's value is used
beyond what it declared.
"""

from dataclasses import dataclass

import pytest
from brownie import web3
from brownie.test import strategy

from tests.customs.conftest import IMPORT_DUTY
from tests.customs.declarations import (
    ASSESSED,
    CHANNELLED,
    CHECK_FAILED,
    DAY,
    DOCUMENTS_CHECKED,
    DUTY_PAID,
    DUTY_PAYMENT_PERIOD,
    DUTY_SECURED,
    EXPORT,
    FLAGGED,
    GOODS_INSPECTED,
    GREEN,
    GUARANTEE_CALLED,
    GUARANTEED,
    IMPORT,
    INSPECTED,
    LODGED,
    RED,
    REJECTED,
    RELEASED,
    STATUS_NAMES,
    UNDER_AUDIT,
    WITHDRAWN,
    YELLOW,
    commitment,
    content,
    record,
    reverts_exactly,
    uses,
)
from tests.helpers import ZERO32, bill_key, new_bill_of_lading, reverts_with, run_state_machine

DUTIES = [0, 1, 50_000, IMPORT_DUTY]
COLLECTED = DUTY_PAID | GUARANTEE_CALLED
REPORT = commitment("report")
ENDED = (WITHDRAWN, REJECTED)  # a declaration that no longer holds its transport document

# Every status change a declaration may make in one step, by channel (None: any channel).
# Amend keeps a Lodged declaration Lodged; nothing ever goes back or skips a check.
ALLOWED_STEPS = {
    (LODGED, CHANNELLED): None,
    (LODGED, REJECTED): None,
    (LODGED, WITHDRAWN): None,
    (CHANNELLED, INSPECTED): {YELLOW, RED},
    (CHANNELLED, ASSESSED): {GREEN},
    (CHANNELLED, DUTY_SECURED): {GREEN},
    (CHANNELLED, WITHDRAWN): {GREEN},
    (CHANNELLED, REJECTED): None,
    (INSPECTED, ASSESSED): None,
    (INSPECTED, DUTY_SECURED): None,
    (INSPECTED, REJECTED): None,
    (INSPECTED, WITHDRAWN): None,
    (ASSESSED, DUTY_SECURED): None,
    (ASSESSED, REJECTED): None,
    (ASSESSED, WITHDRAWN): None,
    (DUTY_SECURED, RELEASED): None,
    (DUTY_SECURED, REJECTED): None,
}


# act_* methods rule_act picks from, and the extra argument each takes.
ACTIONS = [
    ("amend", None),
    ("amend_bill", None),
    ("consume", "units"),
    ("restore", "units"),
    ("withdraw", None),
    ("assign_channel", "channel"),
    ("check_documents", "passed"),
    ("inspect", "passed"),
    ("assess", "duty"),
    ("pay", None),
    ("guarantee", None),
    ("call_guarantee", None),
    ("release", None),
    ("reject", None),
    ("open_audit", None),
    ("close_audit", "passed"),
]


def _now() -> int:
    return web3.eth.get_block("latest")["timestamp"]


@dataclass
class Declaration:
    flow: int
    bill: str
    value: int
    status: int = LODGED
    channel: int = 0
    flags: int = 0
    duty: int = 0
    assessed_at: int = 0
    consumed: int = 0
    audited: bool = False  # rule_advance audits a declaration once

    def guarantee_outstanding(self) -> bool:
        return (self.flags & (GUARANTEED | COLLECTED)) == GUARANTEED and self.status in (
            DUTY_SECURED,
            RELEASED,
        )


class ClearanceMachine:
    st_pick = strategy("uint16")
    st_flow = strategy("uint8", max_value=1)
    st_channel = strategy("uint8", min_value=1, max_value=3)
    st_passed = strategy("bool")
    st_duty = strategy("uint8", max_value=len(DUTIES) - 1)
    st_action = strategy("uint8", max_value=len(ACTIONS) - 1)
    st_steps = strategy("uint8", min_value=1, max_value=8)
    st_units = strategy("uint8", max_value=4)

    def __init__(
        cls, clearance, token, treasury, customs, declarant, importer, exporter, bocom, consumer
    ):
        cls.clearance = clearance
        cls.token = token
        cls.treasury = treasury
        cls.customs = customs
        cls.declarant = declarant
        cls.importer = importer
        cls.exporter = exporter
        cls.bocom = bocom  # has approved the clearance (fixture)
        cls.consumer = consumer  # a system contract

    def setup(self):
        self.model = {}
        self.history = {}
        self.register = {}  # (bill, flow) -> the latest declaration that carried it
        self.collected = 0
        self.called = 0  # duty the bank paid on called guarantees
        self.treasury_start = self.token.balanceOf(self.treasury)
        self.bank_start = self.token.balanceOf(self.bocom)
        self.supply = self.token.totalSupply()
        self._cache = None
        self.rule_lodge(IMPORT)
        self.rule_lodge(EXPORT)

    # ------------------------------------------------------------------------------ helpers

    def _records(self):
        """Every declaration's record, read once per step for all the invariants."""
        if self._cache is None:
            self._cache = {i: record(self.clearance, i) for i in self.model}
        return self._cache

    def _pick(self, pick):
        declaration_id = pick % len(self.model) + 1
        return declaration_id, self.model[declaration_id]

    def _attempt(self, i, expected, call):
        """Run `call` on declaration `i`; if `expected` names an error, assert exactly that
        error and that the declaration did not change. Each status change is recorded in the
        declaration's history for the step invariant."""
        before = record(self.clearance, i)
        if expected is None:
            tx = call()
        else:
            with reverts_with(*expected):
                call()
            tx = None
        after = record(self.clearance, i)
        if tx is None:
            assert after == before, f"a refused call changed declaration {i}"
        elif after["status"] != before["status"]:
            self.history[i].append((after["status"], after["channel"]))
        return tx

    # ------------------------------------------------------------------------------ actions
    # Each act_* predicts success or the exact error from the model, then compares.

    def rule_lodge(self, st_flow):
        self._cache = None
        self._lodge(st_flow, new_bill_of_lading())

    def rule_lodge_again(self, st_pick, st_flow, st_passed):
        """Declare the B/L of an existing declaration again, in either flow, written as issued
        or as the carrier prints it: refused while a declaration of that flow holds it."""
        self._cache = None
        _, d = self._pick(st_pick)
        holder = self.register.get((d.bill, st_flow))
        if holder is None or self.model[holder].status in ENDED:
            self._lodge(st_flow, d.bill, printed=st_passed)
            return
        count = self.clearance.declarationCount()
        with reverts_exactly("CustomsTransportDocumentInUse", bill_key(d.bill), holder):
            self._lodge(st_flow, d.bill, printed=st_passed)
        assert self.clearance.declarationCount() == count
        self._check_register([d.bill])

    def _lodge(self, flow, bill, printed=False):
        trader = self.importer if flow == IMPORT else self.exporter
        written = f"{bill[:4].lower()}-{bill[4:8]} {bill[8:]}" if printed else bill
        declared = content(flow=flow, bill_of_lading=written)
        tx = self.clearance.lodge(flow, trader, declared, {"from": self.declarant})
        declaration_id = tx.events["DeclarationLodged"]["id"]
        self.model[declaration_id] = Declaration(flow, bill, declared[1][1])
        self.history[declaration_id] = [(LODGED, 0)]
        self.register[(bill, flow)] = declaration_id
        assert declaration_id == len(self.model)
        self._check_register([bill])

    def act_amend(self, st_pick):
        """Amend to the import line items (a different declared value), same B/L."""
        i, d = self._pick(st_pick)
        expected = None if d.status == LODGED else ("CustomsWrongStatus", i, d.status)
        amended = content(flow=IMPORT, bill_of_lading=d.bill)
        if self._attempt(
            i, expected, lambda: self.clearance.amend(i, amended, {"from": self.declarant})
        ):
            d.value = amended[1][1]

    def act_amend_bill(self, st_pick):
        """The fraudster swaps in a fresh B/L: never allowed."""
        i, d = self._pick(st_pick)
        if d.status == LODGED:
            expected = ("CustomsTransportDocumentChanged", i)
        else:
            expected = ("CustomsWrongStatus", i, d.status)
        swap = content(flow=d.flow, bill_of_lading=new_bill_of_lading())
        self._attempt(i, expected, lambda: self.clearance.amend(i, swap, {"from": self.declarant}))

    def act_consume(self, st_pick, st_units):
        """A system contract uses part of a released declaration's value, naming its B/L (or
        none)."""
        i, d = self._pick(st_pick)
        remaining = d.value - d.consumed
        units = [0, 1, remaining // 2, remaining, remaining + 1][st_units]
        key = bill_key(d.bill) if st_pick & 0x8000 else ZERO32
        call = lambda: self.clearance.consume(i, key, units, {"from": self.consumer})  # noqa: E731
        if d.status != RELEASED:
            self._attempt(i, ("CustomsWrongStatus", i, d.status), call)
            return
        if key != ZERO32 and self.register[(d.bill, d.flow)] != i:
            self._attempt_exactly(i, ("CustomsTransportDocumentMismatch", i, key), key, units)
            return
        if units == 0 or units > remaining:
            expected = ("CustomsValueExhausted", i, units, remaining)
        else:
            expected = None
        if self._attempt(i, expected, call):
            d.consumed += units

    def _attempt_exactly(self, i, expected, key, units):
        before = record(self.clearance, i)
        with reverts_exactly(*expected):
            self.clearance.consume(i, key, units, {"from": self.consumer})
        assert record(self.clearance, i) == before, f"a refused call changed declaration {i}"

    def act_restore(self, st_pick, st_units):
        i, d = self._pick(st_pick)
        units = [0, 1, d.consumed // 2, d.consumed, d.consumed + 1][st_units]
        if units == 0 or units > d.consumed:
            expected = ("CustomsRestoreExceedsConsumed", i, units, d.consumed)
        else:
            expected = None
        call = lambda: self.clearance.restore(i, units, {"from": self.consumer})  # noqa: E731
        if self._attempt(i, expected, call):
            d.consumed -= units

    def act_withdraw(self, st_pick):
        i, d = self._pick(st_pick)
        allowed = {LODGED, INSPECTED, ASSESSED} | ({CHANNELLED} if d.channel == GREEN else set())
        expected = None if d.status in allowed else ("CustomsWrongStatus", i, d.status)
        if self._attempt(i, expected, lambda: self.clearance.withdraw(i, {"from": self.declarant})):
            d.status = WITHDRAWN

    def act_assign_channel(self, st_pick, st_channel):
        i, d = self._pick(st_pick)
        expected = None if d.status == LODGED else ("CustomsWrongStatus", i, d.status)
        call = lambda: self.clearance.assignChannel(i, st_channel, {"from": self.customs})  # noqa: E731
        if self._attempt(i, expected, call):
            d.status, d.channel = CHANNELLED, st_channel

    def _check(self, i, d, check, lowest_channel, passed, call):
        if d.status != CHANNELLED:
            expected = ("CustomsWrongStatus", i, d.status)
        elif d.channel < lowest_channel:
            expected = ("CustomsCheckNotRequired", i, d.channel)
        elif d.flags & CHECK_FAILED:
            expected = ("CustomsCheckFailed", i)
        elif d.flags & check:
            expected = ("CustomsCheckAlreadyRecorded", i)
        else:
            expected = None
        if self._attempt(i, expected, call):
            if not passed:
                d.flags |= CHECK_FAILED
                return
            d.flags |= check
            needed = DOCUMENTS_CHECKED | (GOODS_INSPECTED if d.channel == RED else 0)
            if d.flags & needed == needed:
                d.status = INSPECTED

    def act_check_documents(self, st_pick, st_passed):
        i, d = self._pick(st_pick)
        self._check(
            i,
            d,
            DOCUMENTS_CHECKED,
            YELLOW,
            st_passed,
            lambda: self.clearance.recordDocumentCheck(
                i, st_passed, REPORT, {"from": self.customs}
            ),
        )

    def act_inspect(self, st_pick, st_passed):
        i, d = self._pick(st_pick)
        self._check(
            i,
            d,
            GOODS_INSPECTED,
            RED,
            st_passed,
            lambda: self.clearance.recordInspection(i, st_passed, REPORT, {"from": self.customs}),
        )

    def act_assess(self, st_pick, st_duty):
        i, d = self._pick(st_pick)
        duty = DUTIES[st_duty]
        ready = CHANNELLED if d.channel == GREEN else INSPECTED
        expected = None if d.status == ready else ("CustomsWrongStatus", i, d.status)
        call = lambda: self.clearance.assessDuty(i, duty, {"from": self.customs})  # noqa: E731
        tx = self._attempt(i, expected, call)
        if tx:
            d.status = ASSESSED if duty else DUTY_SECURED
            d.duty, d.assessed_at = duty, tx.timestamp

    def act_pay(self, st_pick):
        """The importer pays (for its own declarations, or on an exporter's behalf)."""
        i, d = self._pick(st_pick)
        if d.flags & COLLECTED:
            expected = ("CustomsDutyAlreadyCollected", i)
        elif d.guarantee_outstanding() or d.status == ASSESSED:
            expected = None
        else:
            expected = ("CustomsWrongStatus", i, d.status)
        if self._attempt(i, expected, lambda: self.clearance.payDuty(i, {"from": self.importer})):
            d.flags |= DUTY_PAID
            if d.status == ASSESSED:
                d.status = DUTY_SECURED
            self.collected += d.duty

    def act_guarantee(self, st_pick):
        i, d = self._pick(st_pick)
        expected = None if d.status == ASSESSED else ("CustomsWrongStatus", i, d.status)
        call = lambda: self.clearance.guaranteeDuty(i, self.bocom, {"from": self.bocom})  # noqa: E731
        if self._attempt(i, expected, call):
            d.status = DUTY_SECURED
            d.flags |= GUARANTEED

    def act_call_guarantee(self, st_pick):
        i, d = self._pick(st_pick)
        due_at = d.assessed_at + DUTY_PAYMENT_PERIOD
        if not d.flags & GUARANTEED:
            expected = ("CustomsNoGuarantee", i)
        elif d.flags & COLLECTED:
            expected = ("CustomsDutyAlreadyCollected", i)
        elif d.status not in (DUTY_SECURED, RELEASED):
            expected = ("CustomsWrongStatus", i, d.status)
        elif abs(_now() - due_at) < 3600:
            return  # too close to the due date to predict the block time
        elif _now() <= due_at:
            expected = ("CustomsGuaranteeNotDue", i, due_at)
        else:
            expected = None
        if self._attempt(
            i, expected, lambda: self.clearance.callGuarantee(i, {"from": self.customs})
        ):
            d.flags |= GUARANTEE_CALLED
            self.collected += d.duty
            self.called += d.duty

    def act_release(self, st_pick):
        i, d = self._pick(st_pick)
        expected = None if d.status == DUTY_SECURED else ("CustomsWrongStatus", i, d.status)
        if self._attempt(i, expected, lambda: self.clearance.release(i, {"from": self.customs})):
            d.status = RELEASED

    def act_reject(self, st_pick):
        i, d = self._pick(st_pick)
        before_release = {LODGED, CHANNELLED, INSPECTED, ASSESSED, DUTY_SECURED}
        expected = None if d.status in before_release else ("CustomsWrongStatus", i, d.status)
        call = lambda: self.clearance.reject(i, 1, REPORT, {"from": self.customs})  # noqa: E731
        if self._attempt(i, expected, call):
            d.status = REJECTED

    def act_open_audit(self, st_pick):
        i, d = self._pick(st_pick)
        if d.status != RELEASED:
            expected = ("CustomsWrongStatus", i, d.status)
        elif d.flags & UNDER_AUDIT:
            expected = ("CustomsAuditAlreadyOpen", i)
        else:
            expected = None
        if self._attempt(i, expected, lambda: self.clearance.openAudit(i, {"from": self.customs})):
            d.flags |= UNDER_AUDIT

    def act_close_audit(self, st_pick, st_passed):
        i, d = self._pick(st_pick)
        expected = None if d.flags & UNDER_AUDIT else ("CustomsNoAuditOpen", i)
        call = lambda: self.clearance.closeAudit(i, st_passed, REPORT, {"from": self.customs})  # noqa: E731
        if self._attempt(i, expected, call):
            d.audited = True
            d.flags &= ~UNDER_AUDIT
            if st_passed:
                d.flags |= FLAGGED

    # -------------------------------------------------------------------------------- rules

    def rule_act(self, st_action, st_pick, st_channel, st_passed, st_duty, st_units):
        """Any action on any declaration: mostly refusals, which must name the right error."""
        self._cache = None
        action = ACTIONS[st_action]
        args = {
            "channel": (st_channel,),
            "passed": (st_passed,),
            "duty": (st_duty,),
            "units": (st_units,),
        }
        getattr(self, f"act_{action[0]}")(st_pick, *args.get(action[1], ()))

    def rule_advance(self, st_pick, st_steps, st_channel, st_passed, st_duty):
        """Take a declaration up to `st_steps` steps along its natural path (random actions
        are mostly refused; this drives declarations deep into the lifecycle). Checks fail
        one time in eight; duty is paid or guaranteed, and a guarantee discharged by a late
        payment or called, at random."""
        self._cache = None
        _, d = self._pick(st_pick)
        for _ in range(st_steps):
            state = (d.status, d.flags)
            self._advance(st_pick, st_channel, st_passed, st_duty)
            if (d.status, d.flags) == state:
                break  # refused (e.g. a guarantee not yet due) or nothing left to do

    def _advance(self, st_pick, st_channel, st_passed, st_duty):
        _, d = self._pick(st_pick)
        passes = st_passed or st_duty != 0
        if d.status == LODGED:
            self.act_assign_channel(st_pick, st_channel)
        elif d.status == CHANNELLED and d.flags & CHECK_FAILED:
            self.act_reject(st_pick)
        elif d.status == CHANNELLED and d.channel == GREEN:
            self.act_assess(st_pick, st_duty)
        elif d.status == CHANNELLED and not d.flags & DOCUMENTS_CHECKED:
            self.act_check_documents(st_pick, passes)
        elif d.status == CHANNELLED:
            self.act_inspect(st_pick, passes)
        elif d.status == INSPECTED:
            self.act_assess(st_pick, st_duty)
        elif d.status == ASSESSED and (st_pick + st_duty) % 2:
            self.act_pay(st_pick)
        elif d.status == ASSESSED:
            self.act_guarantee(st_pick)
        elif d.status == DUTY_SECURED:
            self.act_release(st_pick)
        elif d.status == RELEASED and d.guarantee_outstanding() and st_duty % 2:
            self.act_pay(st_pick)  # the importer pays late, discharging the guarantee
        elif d.status == RELEASED and d.guarantee_outstanding():
            # The importer defaults: customs calls the guarantee (refused while not yet
            # due), then again once the due date has passed.
            self.act_call_guarantee(st_pick)
            if d.guarantee_outstanding():
                self._wait(2 * DUTY_PAYMENT_PERIOD)
                self.act_call_guarantee(st_pick)
        elif d.status == RELEASED and d.flags & UNDER_AUDIT:
            self.act_close_audit(st_pick, st_passed)
        elif d.status == RELEASED and not d.audited:
            self.act_open_audit(st_pick)

    def rule_wait_eight_days(self):
        self._cache = None
        self._wait(8 * DAY)

    def _wait(self, seconds):
        # Straight to Anvil: Brownie's chain.sleep/mine inspect the whole call stack each time.
        web3.provider.make_request("evm_increaseTime", [seconds])
        web3.provider.make_request("evm_mine", [])

    # --------------------------------------------------------------------------- invariants

    def invariant_records_match_the_model(self):
        records = self._records()
        for i, d in self.model.items():
            r = records[i]
            assert (
                r["status"],
                r["channel"],
                r["flags"],
                r["duty"],
                r["declaredValue"],
                r["consumed"],
            ) == (d.status, d.channel, d.flags, d.duty, d.value, d.consumed), f"declaration {i}"

    def invariant_no_declaration_moves_backwards_or_skips_a_step(self):
        records = self._records()
        for i, history in self.history.items():
            for (before, _), (after, channel) in zip(history, history[1:], strict=False):
                channels = ALLOWED_STEPS.get((before, after), set())
                assert channels is None or channel in channels, (
                    f"declaration {i} moved {STATUS_NAMES[before]} -> {STATUS_NAMES[after]} "
                    f"on channel {channel}"
                )
            assert history[-1][0] == records[i]["status"], f"declaration {i} moved unseen"

    def invariant_released_goods_passed_every_check_of_their_channel(self):
        for i, r in self._records().items():
            if r["status"] != RELEASED:
                continue
            assert not r["flags"] & CHECK_FAILED
            if r["channel"] in (YELLOW, RED):
                assert r["flags"] & DOCUMENTS_CHECKED, f"declaration {i} released unchecked"
            if r["channel"] == RED:
                assert r["flags"] & GOODS_INSPECTED, f"declaration {i} released uninspected"

    def invariant_duty_is_collected_at_most_once(self):
        for r in self._records().values():
            assert r["flags"] & COLLECTED != COLLECTED
        collected = self.token.balanceOf(self.treasury) - self.treasury_start
        assert collected == self.collected

    def invariant_clearing_never_changes_the_token_supply(self):
        assert self.token.totalSupply() == self.supply

    def invariant_the_clearance_holds_exactly_the_outstanding_guarantees(self):
        """Money in = money out: the clearance holds the duty of every guarantee given and
        neither collected (paid by the trader or called) nor handed back (rejection); the bank
        has paid in exactly that plus what was called from it."""
        records = self._records()
        held = 0
        for r in records.values():
            outstanding = r["flags"] & (GUARANTEED | COLLECTED) == GUARANTEED and r["status"] in (
                DUTY_SECURED,
                RELEASED,
            )
            held += r["duty"] if outstanding else 0
        assert held == sum(d.duty for d in self.model.values() if d.guarantee_outstanding())
        assert self.token.balanceOf(self.clearance) == held
        assert self.token.balanceOf(self.bocom) == self.bank_start - held - self.called

    def invariant_one_transport_document_backs_one_live_declaration_per_flow(self):
        records = self._records()
        live = {}
        for i, d in self.model.items():
            if records[i]["status"] not in ENDED:
                assert (d.bill, d.flow) not in live, f"{d.bill} declared twice: {live}, {i}"
                live[(d.bill, d.flow)] = i

    def _check_register(self, bills):
        """The chain's register names the declarations the model says last carried `bills`."""
        for bill in bills:
            export_id = self.register.get((bill, EXPORT), 0)
            import_id = self.register.get((bill, IMPORT), 0)
            assert uses(self.clearance, bill_key(bill)) == (export_id, import_id), bill

    def teardown(self):
        # Only lodging writes the register (checked there); at the end of each run every
        # entry is compared once more, so a write by any other call would show.
        self._check_register({bill for bill, _ in self.register})

    def invariant_no_value_is_used_beyond_what_was_declared(self):
        for i, r in self._records().items():
            assert r["consumed"] <= r["declaredValue"], f"declaration {i} over-consumed"


@pytest.mark.timetravel
def test_clearance_state_machine(
    clearance, token, treasury, customs, declarant, importer, exporter, bocom, consumer
):
    run_state_machine(
        ClearanceMachine,
        clearance,
        token,
        treasury,
        customs,
        declarant,
        importer,
        exporter,
        bocom,
        consumer,
        settings={"max_examples": 30, "stateful_step_count": 20},
    )
