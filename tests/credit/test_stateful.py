"""Stateful test: random sequences of presentations, examinations, amendments, waits,
settlements, releases, calendar votes and pauses of the whole system on two credits (a sight
credit and a 10-day deferred-payment credit, both partial drawings allowed, "about" 10 %),
checked step by step against a model.

Each rule predicts from the model whether the call succeeds or which named error it raises,
then checks the contract agrees. The clocks follow tests/credit/ucp_model.py: the examination
deadline is fixed at presentation (Art. 14b, 33) whatever the calendar votes change later, and
every deadline stops while the system was paused (Art. 36). The invariants:
- per credit, escrow == funded - paid - released, and (while issued) the escrow not owed to
  honoured deferred drawings == maximum drawable - drawn;
- the contract holds exactly the sum of the escrows;
- money moves only between the issuing bank, the contract and the beneficiary (their total is
  constant), the beneficiary received exactly what was honoured at sight or settled, and
  nothing is paid twice;
- the examination deadline kept with the latest presentation is the one the model fixed when
  it was made.
"""

from dataclasses import dataclass, field

from hypothesis import strategies as st

from tests.credit import ucp_model as ucp
from tests.credit.support import (
    AMOUNT,
    DAY,
    DEFERRED,
    DOCS,
    EX_HONOURED,
    EX_NONE,
    EX_PRESENTED,
    EX_REFUSED,
    EX_WAIVED,
    HOLDING_PENDING_WAIVER,
    NOTICE,
    SIGHT,
    ST_EXPIRED,
    ST_ISSUED,
    VOYAGE,
    set_next_time,
    terms,
)
from tests.helpers import (
    PAUSE,
    UNPAUSE,
    bill_key,
    digest,
    document_number,
    reverts_with,
    run_state_machine,
)

TOL = ucp.ABOUT_BP
TENOR = 10


STATEFUL_NUMBER = document_number("COSU-6301-STATEFUL")
STATEFUL_KEY = bill_key("COSU-6301-STATEFUL")


@dataclass
class Drawing:
    amount: int
    maturity: int
    settled: bool = False


@dataclass
class CreditModel:
    form: int
    amount: int
    expiry: int
    shipped: int
    status: int = ST_ISSUED
    exam: int = EX_NONE
    presentations: int = 0
    presented_at: int = 0
    deadline: int = 0  # the examination deadline fixed at presentation
    presented_amount: int = 0
    drawn: int = 0
    funded: int = 0
    paid: int = 0
    released: int = 0
    drawings: dict = field(default_factory=dict)

    @property
    def max(self):
        return ucp.max_drawable(self.amount, TOL)

    @property
    def escrow(self):
        return self.funded - self.paid - self.released

    @property
    def outstanding(self):
        return sum(d.amount for d in self.drawings.values() if not d.settled)

    @property
    def open(self):
        return self.exam in (EX_PRESENTED, EX_WAIVED)


class StateMachine:
    st_credit = st.integers(0, 1)
    st_bp = st.integers(0, 12_000)
    st_hours = st.integers(1, 24 * 12)
    st_decision = st.integers(0, 5)
    st_late = st.booleans()
    st_accept = st.booleans()
    st_day = st.integers(2, 30)

    def __init__(cls, lc, token, calendar, registry, members, declare, t0):
        cls.lc, cls.token, cls.calendar, cls.registry = lc, token, calendar, registry
        cls.bocom, cls.exporter, cls.importer = (
            members["bocom"],
            members["exporter"],
            members["importer"],
        )
        cls.voters = [members["gov"], members["customs"], members["pboc"]]
        exporter, importer, bocom, carrier = (
            cls.exporter,
            cls.importer,
            cls.bocom,
            members["carrier"],
        )
        cls.t0 = t0
        cls.decl = declare(bill="COSU-6301-STATEFUL", value=10**18)
        cls.ids, cls.specs = [], []
        set_next_time(t0)
        for form, tenor in ((SIGHT, 0), (DEFERRED, TENOR)):
            application = terms(
                exporter,
                t0,
                form=form,
                tenorDays=tenor,
                partialAllowed=True,
                latestShipment=t0 + 10 * DAY,
                expiry=t0 + 30 * DAY,
            )
            credit_id = lc.applyForCredit(application, {"from": importer}).return_value
            lc.issue(credit_id, {"from": bocom})
            cls.ids.append(credit_id)
            cls.specs.append(form)
        set_next_time(t0 + DAY)
        for credit_id in cls.ids:
            lc.recordTransportDocument(
                credit_id, STATEFUL_NUMBER, t0 + DAY, VOYAGE, {"from": carrier}
            )
        cls.start = t0 + DAY
        cls.total = token.balanceOf(bocom) + token.balanceOf(exporter) + token.balanceOf(lc)
        cls.bank_start = token.balanceOf(bocom) + sum(lc.creditOf(i)["escrow"] for i in cls.ids)

    def setup(self):
        self.now = self.start
        self.model = ucp.Calendar()
        self.pauses = []
        self.credits = []
        for form in self.specs:
            c = CreditModel(form, AMOUNT, self.t0 + 30 * DAY, self.t0 + DAY)
            c.funded = c.max
            self.credits.append(c)

    # ----------------------------------------------------------------------- helpers
    def _send(self, method, *args, sender):
        """Send a transaction one second after the last, at the model's clock."""
        self.now += 1
        set_next_time(self.now)
        return method(*args, {"from": sender})

    def _paused(self, since):
        """Seconds paused from `since` until the next transaction (no pause is running)."""
        return ucp.paused_between(self.pauses, since, self.now + 1)

    def _exam_over(self, c):
        """Whether the latest presentation's deadline has passed for the next transaction, and
        that deadline (moved on by the pauses since the presentation)."""
        t = self.now + 1
        if t <= c.deadline:
            return False, c.deadline
        deadline = c.deadline + self._paused(c.presented_at)
        return t > deadline, deadline

    def _expiry_last_moment(self, c):
        last = self.model.extended(c.expiry)
        if self.now + 1 > last:
            last += self._paused(ucp.expiry_clock_start(c.expiry))
        return last

    def _pass(self, action):
        """The alliance pauses or unpauses the system; returns when the vote decided it."""
        tx = self._send(self.registry.propose, action, b"", sender=self.voters[0])
        proposal_id = tx.events["Proposed"]["proposalId"]
        for voter in self.voters[1:]:
            tx = self._send(self.registry.vote, proposal_id, sender=voter)
        return tx.timestamp

    def _honour(self, c):
        amount = c.presented_amount
        c.drawn += amount
        c.exam = EX_HONOURED
        if c.form == SIGHT:
            c.paid += amount
        else:
            c.drawings[c.presentations] = Drawing(amount, c.presented_at + TENOR * DAY)

    def _present(self, c, credit_id, amount):
        def call():
            return self._send(
                self.lc.present,
                credit_id,
                amount,
                STATEFUL_KEY,
                self.decl,
                DOCS,
                sender=self.exporter,
            )

        now = self.now + 1
        # Art. 29a: a closed last day moves on; Art. 36: so does every clock, by the pauses.
        expiry_last = self.model.extended(c.expiry)
        late = self.model.presentation_deadline(c.shipped)
        if c.status != ST_ISSUED:
            with reverts_with("LetterOfCreditWrongStatus", credit_id, c.status):
                call()
        elif ucp.passed(expiry_last, ucp.expiry_clock_start(c.expiry), now, self.pauses):
            with reverts_with("LetterOfCreditExpired", credit_id, c.expiry):
                call()
        elif c.open:
            with reverts_with("LetterOfCreditUnderExamination", credit_id, c.presentations):
                call()
        elif ucp.passed(late, c.shipped, now, self.pauses):
            with reverts_with("LetterOfCreditPresentationTooLate", credit_id, c.shipped):
                call()
        elif amount == 0:
            with reverts_with("LetterOfCreditZeroAmount"):
                call()
        elif amount > c.max - c.drawn:
            with reverts_with("LetterOfCreditOverdrawn", credit_id, amount, c.max - c.drawn):
                call()
        else:
            tx = call()
            c.presentations += 1
            assert tx.return_value == c.presentations
            c.exam, c.presented_at, c.presented_amount = EX_PRESENTED, self.now, amount
            c.deadline = self.model.examination_deadline(self.now)

    def _examine(self, c, credit_id, decision):
        """Act on the latest presentation: 0 leave it, 1 honour, 2 refuse, 3 refuse and the
        applicant waives, 4 refuse, waive and honour, 5 let the deadline pass and claim."""
        pid = c.presentations

        def refuse():
            return self._send(
                self.lc.refuse,
                credit_id,
                pid,
                [7],
                NOTICE,
                HOLDING_PENDING_WAIVER,
                sender=self.bocom,
            )

        def honour():
            return self._send(self.lc.honour, credit_id, pid, sender=self.bocom)

        def waive():
            return self._send(self.lc.waive, credit_id, pid, sender=self.importer)

        if decision == 0:
            return
        if pid == 0:
            with reverts_with("LetterOfCreditUnknownPresentation", credit_id, 0):
                honour()
        elif c.exam == EX_REFUSED and c.status == ST_ISSUED:
            waive()
            c.exam = EX_WAIVED
        elif c.exam == EX_WAIVED or (c.exam == EX_PRESENTED and decision == 1):
            honour()
            self._honour(c)
        elif c.exam != EX_PRESENTED:
            with reverts_with("LetterOfCreditWrongExam", credit_id, pid, c.exam):
                honour()
            with reverts_with("LetterOfCreditWrongExam", credit_id, pid, c.exam):
                refuse()
        elif decision == 5 or self._exam_over(c)[0]:
            over, deadline = self._exam_over(c)
            while not over:  # the refusal comes one second late (twice if paused meanwhile)
                self.now = max(self.now, deadline)
                over, deadline = self._exam_over(c)
            with reverts_with("LetterOfCreditPrecluded", credit_id, pid, deadline):
                refuse()
            tx = self._send(self.lc.claimPrecluded, credit_id, pid, sender=self.exporter)
            assert tx.events["PresentationHonoured"]["precluded"] is True
            self._honour(c)
        else:
            refuse()
            c.exam = EX_REFUSED
            with reverts_with("LetterOfCreditWrongExam", credit_id, pid, EX_REFUSED):
                honour()
            if decision >= 3:
                waive()
                c.exam = EX_WAIVED
            if decision == 4:
                honour()
                self._honour(c)

    # ------------------------------------------------------------------------- rules
    def rule_wait(self, st_hours):
        self.now += st_hours * 3600

    def rule_draw(self, st_credit, st_bp, st_decision):
        """The beneficiary presents (or cannot), then the bank acts per `st_decision`."""
        c, credit_id = self.credits[st_credit], self.ids[st_credit]
        self._present(c, credit_id, c.max * st_bp // 10_000)
        self._examine(c, credit_id, st_decision)

    def rule_claim_precluded(self, st_credit):
        c, credit_id = self.credits[st_credit], self.ids[st_credit]
        pid = c.presentations

        def call():
            return self._send(self.lc.claimPrecluded, credit_id, pid, sender=self.exporter)

        if pid == 0:
            with reverts_with("LetterOfCreditUnknownPresentation", credit_id, 0):
                call()
        elif not c.open:
            with reverts_with("LetterOfCreditWrongExam", credit_id, pid, c.exam):
                call()
        elif not self._exam_over(c)[0]:
            # Art. 16f, and 16b: a waiver does not give the bank more time.
            with reverts_with("LetterOfCreditNotPrecluded", credit_id, pid, self._exam_over(c)[1]):
                call()
        else:
            tx = call()
            assert tx.events["PresentationHonoured"]["precluded"] is True
            self._honour(c)

    def rule_settle(self, st_credit, st_late):
        """Settle the first unsettled deferred drawing (after waiting for its maturity if
        `st_late`), or try a drawing that does not exist."""
        c, credit_id = self.credits[st_credit], self.ids[st_credit]
        unsettled = [i for i, d in c.drawings.items() if not d.settled]
        drawing_id = unsettled[0] if unsettled else c.presentations + 1
        d = c.drawings.get(drawing_id)
        if d is not None and st_late:
            self.now = max(self.now, d.maturity - 1)

        def call():
            return self._send(self.lc.settleAtMaturity, credit_id, drawing_id, sender=self.bocom)

        if d is None:
            with reverts_with("LetterOfCreditUnknownDrawing", credit_id, drawing_id):
                call()
        elif self.now + 1 < d.maturity:
            with reverts_with("LetterOfCreditNotMature", credit_id, drawing_id, d.maturity):
                call()
        else:
            call()
            d.settled = True
            c.paid += d.amount
            with reverts_with("LetterOfCreditAlreadySettled", credit_id, drawing_id):
                call()

    def rule_amend(self, st_credit, st_bp, st_accept):
        """The issuing bank proposes a new amount; the beneficiary accepts or rejects it."""
        c, credit_id = self.credits[st_credit], self.ids[st_credit]
        new_amount = max(1, AMOUNT * st_bp // 10_000)
        new_max = ucp.max_drawable(new_amount, TOL)

        def propose():
            return self._send(
                self.lc.proposeAmendment,
                credit_id,
                new_amount,
                TOL,
                self.t0 + 10 * DAY,
                c.expiry,
                digest("amended documents"),
                sender=self.bocom,
            )

        if c.status != ST_ISSUED:
            with reverts_with("LetterOfCreditWrongStatus", credit_id, c.status):
                propose()
            return
        if self.now + 1 > c.expiry:
            with reverts_with("LetterOfCreditExpired", credit_id, c.expiry):
                propose()
            return
        if new_max < c.drawn:
            with reverts_with("LetterOfCreditBelowDrawn", credit_id, new_max, c.drawn):
                propose()
            return
        amendment_id = propose().return_value
        top_up = max(0, new_max - c.max)

        def accept():
            return self._send(
                self.lc.acceptAmendment, credit_id, amendment_id, sender=self.exporter
            )

        # The amendment keeps the expiry: it may be accepted until then (Art. 10).
        if st_accept and self.now + 1 <= c.expiry and not c.open:
            accept()
            c.funded += top_up
            c.released += max(0, c.max - new_max)
            c.amount = new_amount
            return
        if st_accept and self.now + 1 > c.expiry:
            with reverts_with("LetterOfCreditBadDates", self.t0 + 10 * DAY, c.expiry):
                accept()
        elif st_accept:
            with reverts_with("LetterOfCreditUnderExamination", credit_id, c.presentations):
                accept()
        tx = self._send(self.lc.rejectAmendment, credit_id, amendment_id, sender=self.exporter)
        assert tx.events["AmendmentRejected"]["refunded"] == top_up

    def rule_release(self, st_credit, st_late):
        """Release an expired credit (after waiting for its expiry if `st_late`)."""
        c, credit_id = self.credits[st_credit], self.ids[st_credit]
        if st_late:  # wait for the last moment, Art. 29a and the pauses included
            last = self.model.extended(c.expiry)
            self.now = max(self.now, last + self._paused(ucp.expiry_clock_start(c.expiry)))
        last = self._expiry_last_moment(c)

        def call():
            return self._send(self.lc.releaseExpired, credit_id, sender=self.exporter)

        if c.status != ST_ISSUED:
            with reverts_with("LetterOfCreditWrongStatus", credit_id, c.status):
                call()
        elif self.now + 1 <= last:
            with reverts_with("LetterOfCreditNotExpired", credit_id, last):
                call()
        elif c.open:
            with reverts_with("LetterOfCreditUnderExamination", credit_id, c.presentations):
                call()
        else:
            tx = call()
            assert tx.events["EscrowReleased"]["amount"] == c.max - c.drawn
            c.released += c.max - c.drawn
            c.status = ST_EXPIRED

    def rule_calendar(self, st_day):
        """The alliance votes to close an open day `st_day` days ahead, or to open a closed
        one; a change that would close more than 16 days in a row is refused."""
        today = ucp.day_of(self.now + 1)
        day = today + st_day
        closed = self.model.is_banking_day(day)
        error = self.model.change_error([day], closed, today)

        def propose():
            return self._send(self.calendar.proposeDays, [day], closed, sender=self.voters[0])

        if error is not None:
            with reverts_with(error, day):
                propose()
            return
        proposal_id = propose().events["DaysProposed"]["proposalId"]
        for voter in self.voters[1:]:
            tx = self._send(self.calendar.voteDays, proposal_id, sender=voter)
        assert tx.events["DaysChanged"]["proposalId"] == proposal_id
        self.model.set_day(day, closed)

    def rule_pause(self, st_hours):
        """The alliance pauses the whole system for `st_hours` hours; no clock runs meanwhile."""
        start = self._pass(PAUSE)
        self.now += st_hours * 3600
        self.pauses.append((start, self._pass(UNPAUSE)))

    # -------------------------------------------------------------------- invariants
    def invariant_each_credit_matches_the_model(self):
        for c, credit_id in zip(self.credits, self.ids, strict=True):
            on_chain = self.lc.creditOf(credit_id)
            assert on_chain["escrow"] == c.escrow == c.funded - c.paid - c.released
            assert on_chain["drawn"] == c.drawn <= c.max
            assert (on_chain["status"], on_chain["exam"]) == (c.status, c.exam)
            assert on_chain["presentations"] == c.presentations
            if c.status == ST_ISSUED:
                assert c.escrow - c.outstanding == c.max - c.drawn
            else:
                assert c.escrow == c.outstanding
            if c.presentations:
                assert on_chain["presentedAt"] + on_chain["examWindow"] == c.deadline

    def invariant_the_contract_holds_exactly_the_escrows(self):
        assert self.token.balanceOf(self.lc) == sum(c.escrow for c in self.credits)

    def invariant_money_moves_only_between_bank_contract_and_beneficiary(self):
        bank, beneficiary = self.token.balanceOf(self.bocom), self.token.balanceOf(self.exporter)
        assert bank + beneficiary + self.token.balanceOf(self.lc) == self.total
        assert beneficiary == sum(c.paid for c in self.credits)
        assert bank == self.bank_start - sum(c.funded - c.released for c in self.credits)

    def invariant_nothing_is_paid_twice(self):
        for c, credit_id in zip(self.credits, self.ids, strict=True):
            for drawing_id, d in c.drawings.items():
                payee, amount, maturity, settled, _ = self.lc.drawingOf(credit_id, drawing_id)
                assert (payee, amount, maturity, settled) == (
                    self.exporter,
                    d.amount,
                    d.maturity,
                    d.settled,
                )
            settled = sum(d.amount for d in c.drawings.values() if d.settled)
            sight = c.drawn if c.form == SIGHT else 0
            assert c.paid == sight + settled


def test_escrow_and_payments_stay_consistent(
    lc, token, calendar, registry, declare, t0, gov, customs, pboc, bocom, exporter, importer,
    carrier,
):  # fmt: skip
    members = {
        "gov": gov, "customs": customs, "pboc": pboc, "bocom": bocom, "exporter": exporter,
        "importer": importer, "carrier": carrier,
    }  # fmt: skip
    run_state_machine(
        StateMachine,
        lc,
        token,
        calendar,
        registry,
        members,
        declare,
        t0,
        settings={"max_examples": 30, "stateful_step_count": 20},
    )
