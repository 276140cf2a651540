"""Random sequences of declarations, requests, approvals, repayments, overdue marks and
write-offs by several banks and exporters, checked against a Python model."""

from brownie import chain
from brownie.test import strategy

from tests.finance.support import (
    ACTIVE,
    BANK_IDS,
    BP,
    DAY,
    OVERDUE,
    REPAID,
    ints,
    invoice,
    latest_time,
)
from tests.helpers import reverts_with, run_state_machine

RATIO = 8_000


class FinanceMachine:
    value = strategy("uint256", min_value=1, max_value=10**9)
    fraction = strategy("uint256", min_value=1, max_value=BP)
    index = strategy("uint8", max_value=31)
    bank_index = strategy("uint8", max_value=2)
    exporter_index = strategy("uint8", max_value=2)
    amount = strategy("uint256", min_value=1, max_value=10**9)
    days = strategy("uint8", min_value=1, max_value=120)

    def __init__(cls, finance, token, clearance, export, sign, banks, exporters, importer, holders):
        cls.finance = finance
        cls.token = token
        cls.clearance = clearance
        cls.deps = {"export": export, "sign": sign}  # plain functions, not to be bound
        cls.banks = banks  # operators, in BANK_IDS order
        cls.exporters = exporters
        cls.importer = importer
        cls.holders = holders

    def setup(self):
        self.declarations = []  # (id, value, exporter)
        self.financings = []  # ids
        self.supply = self.token.totalSupply()
        self.invoices = 0

    def _next_invoice(self):
        self.invoices += 1
        return invoice(f"stateful {self.invoices} {len(self.financings)}")

    def rule_declare(self, value, exporter_index):
        exporter = self.exporters[exporter_index]
        declaration_id = self.deps["export"](value=value, trader=exporter)
        self.declarations.append((declaration_id, value, exporter))

    def rule_finance(self, index, bank_index, fraction):
        """Ask for a receivable of the declaration's whole value and approve `fraction` of what
        is left (never more than the advance ratio allows) or, one time in four, one fen more
        than the remainder, which must fail."""
        if not self.declarations:
            return
        declaration_id, value, exporter = self.declarations[index % len(self.declarations)]
        bank, bank_id = self.banks[bank_index], BANK_IDS[bank_index]
        due = latest_time() + 60 * DAY
        tx = self.finance.requestFinancing(
            declaration_id, bank_id, self._next_invoice(), value, due, {"from": exporter}
        )
        financing_id = tx.return_value
        remaining = self.finance.remainingOf(declaration_id)
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
        amount = max(1, min(remaining, limit) * fraction // BP)
        self.finance.approveFinancing(financing_id, amount, {"from": bank})
        self.financings.append(financing_id)

    def rule_finance_with_signature(self, index, bank_index, fraction):
        """As rule_finance in one transaction: the exporter signs, the bank submits."""
        if not self.declarations:
            return
        declaration_id, value, exporter = self.declarations[index % len(self.declarations)]
        bank, bank_id = self.banks[bank_index], BANK_IDS[bank_index]
        now = latest_time()
        request = (declaration_id, bank_id, self._next_invoice(), value, now + 60 * DAY, now + DAY)
        signature = self.deps["sign"](request, exporter)
        remaining = self.finance.remainingOf(declaration_id)
        limit = value * RATIO // BP
        count = self.finance.financingCount()
        if remaining == 0 or fraction % 4 == 0:
            with reverts_with(
                "TradeFinanceExceedsRemaining", declaration_id, remaining + 1, remaining
            ):
                self.finance.financeWithSignature(request, remaining + 1, signature, {"from": bank})
        elif limit == 0:
            with reverts_with("TradeFinanceAboveLimit", count + 1, 1, 0):
                self.finance.financeWithSignature(request, 1, signature, {"from": bank})
        else:
            amount = max(1, min(remaining, limit) * fraction // BP)
            tx = self.finance.financeWithSignature(request, amount, signature, {"from": bank})
            self.financings.append(tx.return_value)
            return
        assert self.finance.financingCount() == count

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

    def invariant_no_declaration_is_financed_beyond_its_value(self):
        for declaration_id, value, _ in self.declarations:
            financed, *_, consumed = ints(self.finance.declarationBookOf(declaration_id))
            assert financed == consumed  # CNY: one fen per fen
            assert financed <= value

    def invariant_tokens_are_conserved(self):
        assert self.token.totalSupply() == self.supply
        held = sum(self.token.balanceOf(a) for a in self.holders + [self.finance])
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
    export,
    sign,
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
    run_state_machine(
        FinanceMachine,
        finance,
        token,
        clearance,
        export,
        sign,
        [bocom, icbc, ccb],
        [exporter, exporter2, exporter3],
        importer,
        list(watched),
        settings={"max_examples": 15, "stateful_step_count": 15},
    )
