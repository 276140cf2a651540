"""Random sequences of declarations, presentations under credits, requests, approvals, signed
financings, re-used invoices, repayments, overdue marks and write-offs by several banks and
exporters, checked against a Python model: what customs counts as used of each declaration is
what its presentations and financings used, never more than its value, and no invoice backs
two financings."""

import itertools

from brownie import chain
from brownie.test import strategy

from tests.finance.support import (
    ACTIVE,
    BANK_IDS,
    BP,
    DAY,
    OVERDUE,
    REPAID,
    SIGHT,
    ints,
    invoice,
    invoice_key,
    invoice_number,
    latest_time,
)
from tests.helpers import reverts_with, run_state_machine

RATIO = 8_000
_NUMBERS = itertools.count(1)
CREDIT_CAP = 10**8  # fen: the largest credit BOCOM issues here (its float is 5 * 10**8)


class FinanceMachine:
    value = strategy("uint256", min_value=1, max_value=10**9)
    fraction = strategy("uint256", min_value=1, max_value=BP)
    index = strategy("uint8", max_value=31)
    bank_index = strategy("uint8", max_value=2)
    exporter_index = strategy("uint8", max_value=2)
    amount = strategy("uint256", min_value=1, max_value=10**9)
    days = strategy("uint8", min_value=1, max_value=120)

    def __init__(cls, contracts, deps, banks, exporters, importer, holders):
        cls.finance, cls.token, cls.clearance, cls.lc = contracts
        cls.deps = deps  # plain functions (export, sign, shipped_credit, present), not bound
        cls.banks = banks  # operators, in BANK_IDS order (BOCOM issues and honours credits)
        cls.exporters = exporters
        cls.importer = importer
        cls.holders = holders

    def setup(self):
        self.declarations = []  # (id, value, exporter)
        self.financings = []  # ids
        self.presented = {}  # declaration id -> fen presented under credits
        self.financed = {}  # declaration id -> fen of receivable financings
        self.invoice_of = {}  # financing id -> (invoice number, seller)
        self.supply = self.token.totalSupply()
        self.invoices = 0

    def _next_invoice(self) -> str:
        # Unique once normalised, across the examples too (the chain may keep their state).
        self.invoices += 1
        return f"ST-{next(_NUMBERS)}"

    def _declaration(self, index):
        return self.declarations[index % len(self.declarations)]

    def _left(self, declaration_id, value) -> int:
        return value - self.presented.get(declaration_id, 0) - self.financed.get(declaration_id, 0)

    def _financed(self, financing_id, declaration_id, amount, number, seller):
        self.financings.append(financing_id)
        self.financed[declaration_id] = self.financed.get(declaration_id, 0) + amount
        self.invoice_of[financing_id] = (number, seller)

    def _declare(self, value, exporter_index):
        exporter = self.exporters[exporter_index]
        declaration_id = self.deps["export"](value=value, trader=exporter)
        self.declarations.append((declaration_id, value, exporter))

    def initialize_an_export(self, value, exporter_index):
        """Every run starts with a released export (the other rules need one)."""
        self._declare(value, exporter_index)

    def rule_declare(self, value, exporter_index):
        self._declare(value, exporter_index)

    def rule_present_under_a_credit(self, index, fraction):
        """A sight credit for `fraction` of what is left of the declaration is presented and
        honoured or, one time in four, a credit for one fen more than is left is presented
        and refused by customs."""
        if not self.declarations:
            return
        declaration_id, value, exporter = self._declaration(index)
        left = self._left(declaration_id, value)
        cap = min(CREDIT_CAP, self.token.balanceOf(self.banks[0]))  # BOCOM escrows the credit
        if left == 0 or fraction % 4 == 0:
            if left + 1 > cap:
                return
            credit_id = self.deps["shipped_credit"](declaration_id, left + 1, SIGHT, 0, exporter)
            with reverts_with("CustomsValueExhausted", declaration_id, left + 1, left):
                self.deps["present"](credit_id, declaration_id, left + 1, exporter)
            return
        if cap == 0:
            return
        amount = max(1, min(left, cap) * fraction // BP)
        credit_id = self.deps["shipped_credit"](declaration_id, amount, SIGHT, 0, exporter)
        presentation_id = self.deps["present"](credit_id, declaration_id, amount, exporter)
        self.lc.honour(credit_id, presentation_id, {"from": self.banks[0]})
        self.presented[declaration_id] = self.presented.get(declaration_id, 0) + amount

    def rule_finance(self, index, bank_index, fraction):
        """Ask for a receivable of the declaration's whole value and approve `fraction` of what
        is left (never more than the advance ratio allows) or, one time in four, one fen more
        than the remainder, which must fail."""
        if not self.declarations:
            return
        declaration_id, value, exporter = self._declaration(index)
        bank, bank_id = self.banks[bank_index], BANK_IDS[bank_index]
        due = latest_time() + 60 * DAY
        number = self._next_invoice()
        tx = self.finance.requestFinancing(
            declaration_id,
            bank_id,
            invoice_number(number),
            invoice(number),
            value,
            due,
            {"from": exporter},
        )
        financing_id = tx.return_value
        remaining = self.finance.remainingOf(declaration_id)
        assert remaining == self._left(declaration_id, value)  # CNY: one fen per unit
        limit = value * RATIO // BP
        if remaining == 0 or fraction % 4 == 0:
            with reverts_with(
                "TradeFinanceExceedsRemaining", declaration_id, remaining + 1, remaining
            ):
                self.finance.approveFinancing(financing_id, remaining + 1, {"from": bank})
            self.finance.declineRequest(financing_id, {"from": bank})
            return
        if limit == 0:  # a tiny declaration: 80 % of it rounds down to nothing
            with reverts_with("TradeFinanceAboveLimit", financing_id, 1, 0):
                self.finance.approveFinancing(financing_id, 1, {"from": bank})
            self.finance.declineRequest(financing_id, {"from": bank})
            return
        # The bank lends from what it holds (a payout beyond it is the token's revert).
        amount = min(max(1, min(remaining, limit) * fraction // BP), self.token.balanceOf(bank))
        if amount == 0:
            self.finance.declineRequest(financing_id, {"from": bank})
            return
        self.finance.approveFinancing(financing_id, amount, {"from": bank})
        self._financed(financing_id, declaration_id, amount, number, exporter)

    def rule_finance_with_signature(self, index, bank_index, fraction):
        """As rule_finance in one transaction: the exporter signs the amount, the bank submits."""
        if not self.declarations:
            return
        declaration_id, value, exporter = self._declaration(index)
        bank, bank_id = self.banks[bank_index], BANK_IDS[bank_index]
        remaining = self.finance.remainingOf(declaration_id)
        limit = value * RATIO // BP
        count = self.finance.financingCount()
        number = self._next_invoice()
        if remaining == 0 or fraction % 4 == 0:
            amount, error = remaining + 1, "TradeFinanceExceedsRemaining"
            args = (declaration_id, remaining + 1, remaining)
        elif limit == 0:
            amount, error, args = 1, "TradeFinanceAboveLimit", (count + 1, 1, 0)
        else:
            amount, error, args = max(1, min(remaining, limit) * fraction // BP), None, ()
            amount = min(amount, self.token.balanceOf(bank))  # it lends from what it holds
            if amount == 0:
                return
        now = latest_time()
        request = (
            declaration_id,
            bank_id,
            invoice_number(number),
            invoice(number),
            value,
            amount,
            now + 60 * DAY,
            now + DAY,
        )
        signature = self.deps["sign"](request, exporter)
        if error is None:
            tx = self.finance.financeWithSignature(request, signature, {"from": bank})
            self._financed(tx.return_value, declaration_id, amount, number, exporter)
            return
        with reverts_with(error, *args):
            self.finance.financeWithSignature(request, signature, {"from": bank})
        assert self.finance.financingCount() == count

    def rule_offer_a_financed_invoice_again(self, index, bank_index):
        """The seller of a financed invoice offers it again, newly salted and written another
        way, against another of its declarations: refused."""
        if not self.financings:
            return
        financing_id = self.financings[index % len(self.financings)]
        number, seller = self.invoice_of[financing_id]
        mine = [d for d in self.declarations if d[2] == seller]
        declaration_id, value, _ = mine[index % len(mine)]
        with reverts_with("TradeFinanceInvoiceAlreadyFinanced"):
            self.finance.requestFinancing(
                declaration_id,
                BANK_IDS[bank_index],
                invoice_number(number.lower().replace("-", " ")),
                invoice(number, salt=f"again {self.invoices}"),
                value,
                latest_time() + 60 * DAY,
                {"from": seller},
            )

    def rule_repay(self, index, amount):
        if not self.financings:
            return
        financing_id = self.financings[index % len(self.financings)]
        status = self.finance.financingOf(financing_id)["status"]
        # The importer pays from what it holds (a payment beyond it is the token's revert).
        amount = min(amount, self.token.balanceOf(self.importer))
        if amount == 0:
            return
        if status in (ACTIVE, OVERDUE):
            self.finance.repay(financing_id, amount, {"from": self.importer})
        else:
            with reverts_with("TradeFinanceWrongStatus", financing_id, status):
                self.finance.repay(financing_id, amount, {"from": self.importer})

    def rule_time_passes_and_loans_go_bad(self, index, days):
        if not self.financings:
            return
        chain.sleep(days * DAY)
        chain.mine()
        financing_id = self.financings[index % len(self.financings)]
        f = self.finance.financingOf(financing_id)
        if f["status"] == ACTIVE and f["dueDate"] < latest_time():
            self.finance.markOverdue(financing_id, {"from": self.importer})
        elif f["status"] == OVERDUE:
            bank = self.banks[BANK_IDS.index(f["bank"])]
            self.finance.writeOff(financing_id, {"from": bank})
        elif f["status"] == REPAID:
            with reverts_with("TradeFinanceWrongStatus", financing_id, REPAID):
                self.finance.markOverdue(financing_id, {"from": self.importer})

    def invariant_a_declarations_value_is_used_by_its_presentations_and_financings_only(self):
        for declaration_id, value, _ in self.declarations:
            used = self.clearance.summaryOf(declaration_id)["consumed"]
            presented = self.presented.get(declaration_id, 0)
            financed = self.financed.get(declaration_id, 0)
            assert used == presented + financed <= value
            book = ints(self.finance.declarationBookOf(declaration_id))
            assert book[0] == financed and book[5] == used  # CNY: one fen per unit

    def invariant_no_invoice_backs_two_financings(self):
        keys = [invoice_key(n, seller) for n, seller in self.invoice_of.values()]
        assert len(set(keys)) == len(keys)
        for financing_id, (number, seller) in self.invoice_of.items():
            assert self.finance.invoiceFinancing(invoice_key(number, seller)) == financing_id

    def invariant_tokens_are_conserved(self):
        assert self.token.totalSupply() == self.supply
        held = sum(self.token.balanceOf(a) for a in self.holders + [self.finance, self.lc])
        assert held == self.supply
        assert self.token.balanceOf(self.finance) == 0

    def invariant_outstanding_is_financed_less_repaid_less_written_off(self):
        totals = [0, 0, 0, 0, 0]
        for declaration_id, _, _ in self.declarations:
            book = ints(self.finance.declarationBookOf(declaration_id))
            financed, repaid, outstanding, overdue, written_off, _ = book
            assert outstanding == financed - repaid - written_off
            assert overdue <= outstanding
            totals = [t + b for t, b in zip(totals, book[:5], strict=True)]
        bank_totals = [0, 0, 0, 0, 0]
        for bank_id in BANK_IDS:
            book = ints(self.finance.bankBookOf(bank_id))
            financed, repaid, outstanding, overdue, written_off = book
            assert outstanding == financed - repaid - written_off
            bank_totals = [t + b for t, b in zip(bank_totals, book, strict=True)]
        exporter_totals = [0, 0, 0, 0, 0]
        for exporter in self.exporters:
            book = ints(self.finance.exporterBookOf(exporter))
            exporter_totals = [t + b for t, b in zip(exporter_totals, book, strict=True)]
        assert totals == bank_totals == exporter_totals
        # ... and equal to the sum over the financings themselves.
        financed = sum(self.finance.financingOf(i)["amount"] for i in self.financings)
        assert totals[0] == financed


def test_finance_books_hold_under_random_trades(
    finance,
    token,
    clearance,
    lc,
    export,
    sign,
    shipped_credit,
    present,
    bocom,
    icbc,
    ccb,
    exporter,
    exporter2,
    exporter3,
    importer,
    watched,
):
    for bank in (bocom, icbc, ccb):
        assert finance.advanceRatioOf(BANK_IDS[(bocom, icbc, ccb).index(bank)])[0] == RATIO
    deps = {"export": export, "sign": sign, "shipped_credit": shipped_credit, "present": present}
    run_state_machine(
        FinanceMachine,
        (finance, token, clearance, lc),
        deps,
        [bocom, icbc, ccb],
        [exporter, exporter2, exporter3],
        importer,
        list(watched),
        settings={"max_examples": 15, "stateful_step_count": 15},
    )
