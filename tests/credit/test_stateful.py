"""Stateful test: random sequences of presentations, examinations, amendments, waits,
settlements and releases on two credits (a sight credit and a 10-day deferred-payment credit,
both partial drawings allowed, "about" 10 %), checked step by step against a model.

Each rule predicts from the model whether the call succeeds or which named error it raises,
then checks the contract agrees. The invariants:
- per credit, escrow == funded - paid - released, and (while issued) the escrow not owed to
  honoured deferred drawings == maximum drawable - drawn;
- the contract holds exactly the sum of the escrows;
- money moves only between the issuing bank, the contract and the beneficiary (their total is
  constant), the beneficiary received exactly what was honoured at sight or settled, and
  nothing is paid twice.
"""

from dataclasses import dataclass, field

from hypothesis import strategies as st

from tests.credit import ucp_model as ucp
from tests.credit.support import (
    AMOUNT,
    BL,
    BL_NUMBER,
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
from tests.helpers import digest, reverts_with, run_state_machine

TOL = ucp.ABOUT_BP
TENOR = 10
CALENDAR = ucp.Calendar()


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

    def __init__(cls, lc, token, bocom, exporter, importer, carrier, declare, t0):
        cls.lc, cls.token = lc, token
        cls.bocom, cls.exporter, cls.importer = bocom, exporter, importer
        cls.t0 = t0
        cls.decl = declare()
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
            lc.recordTransportDocument(credit_id, BL_NUMBER, t0 + DAY, VOYAGE, {"from": carrier})
        cls.start = t0 + DAY
        cls.total = token.balanceOf(bocom) + token.balanceOf(exporter) + token.balanceOf(lc)
        cls.bank_start = token.balanceOf(bocom) + sum(lc.creditOf(i)["escrow"] for i in cls.ids)

    def setup(self):
        self.now = self.start
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
                self.lc.present, credit_id, amount, BL, self.decl, DOCS, sender=self.exporter
            )

        now = self.now + 1
        if c.status != ST_ISSUED:
            with reverts_with("LetterOfCreditWrongStatus", credit_id, c.status):
                call()
        elif now > CALENDAR.extended(c.expiry):  # Art. 29a: a closed expiry day moves on
            with reverts_with("LetterOfCreditExpired", credit_id, c.expiry):
                call()
        elif c.open:
            with reverts_with("LetterOfCreditUnderExamination", credit_id, c.presentations):
                call()
        elif now > CALENDAR.presentation_deadline(c.shipped):
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
        elif decision == 5 or self.now + 1 > CALENDAR.examination_deadline(c.presented_at):
            deadline = CALENDAR.examination_deadline(c.presented_at)
            self.now = max(self.now, deadline)  # the refusal comes one second late
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
        elif c.exam != EX_PRESENTED:
            with reverts_with("LetterOfCreditWrongExam", credit_id, pid, c.exam):
                call()
        elif self.now + 1 <= CALENDAR.examination_deadline(c.presented_at):
            with reverts_with("LetterOfCreditNotPrecluded", credit_id, pid):
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

        if st_accept and self.now + 1 <= c.expiry and not c.open:
            accept()
            c.funded += top_up
            c.released += max(0, c.max - new_max)
            c.amount = new_amount
            return
        if st_accept and self.now + 1 > c.expiry:
            with reverts_with("LetterOfCreditExpired", credit_id, c.expiry):
                accept()
        elif st_accept:
            with reverts_with("LetterOfCreditUnderExamination", credit_id, c.presentations):
                accept()
        tx = self._send(self.lc.rejectAmendment, credit_id, amendment_id, sender=self.exporter)
        assert tx.events["AmendmentRejected"]["refunded"] == top_up

    def rule_release(self, st_credit, st_late):
        """Release an expired credit (after waiting for its expiry if `st_late`)."""
        c, credit_id = self.credits[st_credit], self.ids[st_credit]
        last = CALENDAR.extended(c.expiry)  # Art. 29a
        if st_late:
            self.now = max(self.now, last)

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
                payee, amount, maturity, settled = self.lc.drawingOf(credit_id, drawing_id)
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
    lc, token, bocom, exporter, importer, carrier, declare, t0
):
    run_state_machine(
        StateMachine,
        lc,
        token,
        bocom,
        exporter,
        importer,
        carrier,
        declare,
        t0,
        settings={"max_examples": 30, "stateful_step_count": 20},
    )
