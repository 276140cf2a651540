"""Repayment (bank first, the rest to the exporter), overdue loans and write-offs."""

import pytest
from brownie import chain

from tests.finance.support import (
    ACTIVE,
    DAY,
    DEFAULTED,
    OVERDUE,
    REPAID,
    REQUESTED,
    VALUE,
    ints,
)
from tests.helpers import BOCOM_ID, ICBC_ID, reverts_with

LOAN = VALUE * 8 // 10


@pytest.fixture
def loan(finance, export, ask, bocom):
    """A declaration (VALUE) and an 80 % loan by BOCOM against it, due in 90 days."""
    declaration_id = export()
    financing_id = ask(declaration_id)
    finance.approveFinancing(financing_id, LOAN, {"from": bocom})
    return financing_id


def test_a_partial_repayment_by_the_importer_reduces_the_balance(
    finance, token, loan, importer, bocom, exporter
):
    bank_before, exporter_before = token.balanceOf(bocom), token.balanceOf(exporter)

    tx = finance.repay(loan, LOAN // 4, {"from": importer})

    f = finance.financingOf(loan)
    assert f["status"] == ACTIVE and f["repaid"] == LOAN // 4
    assert token.balanceOf(bocom) == bank_before + LOAN // 4
    assert token.balanceOf(exporter) == exporter_before
    outstanding = LOAN - LOAN // 4
    assert ints(finance.declarationBookOf(f["declarationId"]))[:3] == (
        LOAN,
        LOAN // 4,
        outstanding,
    )
    assert ints(finance.bankBookOf(BOCOM_ID))[:3] == (LOAN, LOAN // 4, outstanding)
    event = tx.events["FinancingRepaid"]
    assert (event["toBank"], event["toExporter"], event["outstanding"]) == (
        LOAN // 4,
        0,
        outstanding,
    )


def test_the_importers_full_payment_repays_the_bank_first_and_the_rest_goes_to_the_exporter(
    finance, token, loan, importer, bocom, exporter
):
    bank_before, exporter_before = token.balanceOf(bocom), token.balanceOf(exporter)

    finance.repay(loan, VALUE, {"from": importer})

    assert finance.financingOf(loan)["status"] == REPAID
    assert token.balanceOf(bocom) == bank_before + LOAN
    assert token.balanceOf(exporter) == exporter_before + VALUE - LOAN
    assert ints(finance.bankBookOf(BOCOM_ID)) == (LOAN, LOAN, 0, 0, 0)


def test_a_repaid_declaration_stays_consumed(finance, loan, ask, unchanged, importer, icbc):
    declaration_id = finance.financingOf(loan)["declarationId"]
    finance.repay(loan, LOAN, {"from": importer})
    again = ask(declaration_id, bank=ICBC_ID)

    with (
        unchanged(),
        reverts_with("TradeFinanceExceedsRemaining", declaration_id, VALUE // 5 + 1, VALUE // 5),
    ):
        finance.approveFinancing(again, VALUE // 5 + 1, {"from": icbc})
    assert finance.financedOf(declaration_id) == LOAN


def test_only_active_or_overdue_financings_are_repaid(
    finance, loan, export, ask, unchanged, importer
):
    finance.repay(loan, LOAN, {"from": importer})
    requested = ask(export())

    with unchanged():
        with reverts_with("TradeFinanceWrongStatus", loan, REPAID):
            finance.repay(loan, 1, {"from": importer})
        with reverts_with("TradeFinanceWrongStatus", requested, REQUESTED):
            finance.repay(requested, 1, {"from": importer})
        with reverts_with("TradeFinanceUnknownFinancing", 77):
            finance.repay(77, 1, {"from": importer})


def test_a_zero_repayment_is_refused(finance, loan, unchanged, importer):
    with unchanged(), reverts_with("TradeFinanceZeroAmount"):
        finance.repay(loan, 0, {"from": importer})


def test_an_account_that_may_not_hold_tokens_cannot_repay(finance, loan, unchanged, outsider):
    with unchanged(), reverts_with("ERC20InsufficientAllowance"):
        finance.repay(loan, 1, {"from": outsider})


def test_a_financing_not_yet_due_cannot_be_marked_overdue(finance, loan, unchanged, bocom):
    due = finance.financingOf(loan)["dueDate"]
    assert finance.dueDateOf(loan) == due

    with unchanged(), reverts_with("TradeFinanceNotDue", loan, due):
        finance.markOverdue(loan, {"from": bocom})
    with reverts_with("TradeFinanceUnknownFinancing", 77):
        finance.dueDateOf(77)


def test_an_active_loan_cannot_be_written_off(finance, loan, unchanged, bocom):
    with unchanged(), reverts_with("TradeFinanceWrongStatus", loan, ACTIVE):
        finance.writeOff(loan, {"from": bocom})


def test_nothing_is_repaid_or_marked_while_the_alliance_is_paused(
    finance, loan, unchanged, pause, importer, bocom
):
    pause()

    with unchanged():
        with reverts_with("TradeFinancePaused"):
            finance.repay(loan, 1, {"from": importer})
        with reverts_with("TradeFinancePaused"):
            finance.markOverdue(loan, {"from": bocom})
        with reverts_with("TradeFinancePaused"):
            finance.writeOff(loan, {"from": bocom})


# ------------------------------------------------------------------ time travel (Anvil only)


def _past_due(finance, financing_id):
    chain.sleep(finance.financingOf(financing_id)["dueDate"] - chain.time() + 1)
    chain.mine()


def test_time_travel_anyone_marks_a_loan_past_its_due_date_overdue(
    finance, loan, outsider, exporter
):
    _past_due(finance, loan)

    tx = finance.markOverdue(loan, {"from": outsider})

    assert finance.financingOf(loan)["status"] == OVERDUE
    assert tx.events["FinancingOverdue"]["outstanding"] == LOAN
    assert ints(finance.bankBookOf(BOCOM_ID))[3] == LOAN
    assert ints(finance.exporterBookOf(exporter))[3] == LOAN


def test_time_travel_a_late_repayment_reduces_the_overdue_amount(finance, loan, importer, outsider):
    _past_due(finance, loan)
    finance.markOverdue(loan, {"from": outsider})

    finance.repay(loan, LOAN // 2, {"from": importer})

    declaration_id = finance.financingOf(loan)["declarationId"]
    assert ints(finance.declarationBookOf(declaration_id))[3] == LOAN - LOAN // 2
    finance.repay(loan, LOAN, {"from": importer})
    assert finance.financingOf(loan)["status"] == REPAID
    assert ints(finance.declarationBookOf(declaration_id))[:5] == (LOAN, LOAN, 0, 0, 0)


def test_time_travel_the_bank_writes_an_overdue_loan_off_and_the_trade_stays_financed(
    finance, loan, unchanged, ask, importer, outsider, bocom, icbc
):
    _past_due(finance, loan)
    finance.markOverdue(loan, {"from": outsider})
    finance.repay(loan, 1_000, {"from": importer})
    declaration_id = finance.financingOf(loan)["declarationId"]

    tx = finance.writeOff(loan, {"from": bocom})

    lost = LOAN - 1_000
    assert finance.financingOf(loan)["status"] == DEFAULTED
    assert tx.events["FinancingWrittenOff"]["amount"] == lost
    assert ints(finance.declarationBookOf(declaration_id))[:5] == (LOAN, 1_000, 0, 0, lost)
    assert ints(finance.bankBookOf(BOCOM_ID)) == (LOAN, 1_000, 0, 0, lost)
    assert finance.financedOf(declaration_id) == LOAN
    elsewhere = ask(declaration_id, bank=ICBC_ID)
    with (
        unchanged(),
        reverts_with("TradeFinanceExceedsRemaining", declaration_id, VALUE // 5 + 1, VALUE // 5),
    ):
        finance.approveFinancing(elsewhere, VALUE // 5 + 1, {"from": icbc})
    with unchanged(), reverts_with("TradeFinanceWrongStatus", loan, DEFAULTED):
        finance.repay(loan, 1, {"from": importer})


@pytest.mark.parametrize("who", ["icbc", "exporter", "pboc", "outsider"])
def test_time_travel_only_the_financing_bank_writes_off(
    finance, loan, unchanged, who, request, outsider
):
    caller = request.getfixturevalue(who)
    _past_due(finance, loan)
    finance.markOverdue(loan, {"from": outsider})

    with unchanged(), reverts_with("TradeFinanceNotLender", loan, caller):
        finance.writeOff(loan, {"from": caller})


def test_time_travel_an_overdue_loan_is_not_marked_twice(finance, loan, unchanged, outsider):
    _past_due(finance, loan)
    finance.markOverdue(loan, {"from": outsider})

    with unchanged(), reverts_with("TradeFinanceWrongStatus", loan, OVERDUE):
        finance.markOverdue(loan, {"from": outsider})


# ------------------------------------------- an alliance pause stops the due date's clock


def test_time_travel_a_pause_during_a_loan_moves_its_due_date_on(
    finance, loan, unchanged, pause, unpause, outsider
):
    due = finance.financingOf(loan)["dueDate"]
    chain.sleep(10 * DAY)
    started = pause().timestamp  # nobody can repay (or mark) while the alliance is paused
    chain.sleep(5 * DAY)
    ended = unpause().timestamp
    paused = ended - started
    assert paused >= 5 * DAY
    assert finance.dueDateOf(loan) == due  # asked only once the plain due date has passed
    chain.sleep(due - chain.time() + 1)
    chain.mine()
    assert finance.dueDateOf(loan) == due + paused

    # The importer was locked out for `paused` seconds: the bank cannot mark the loan overdue
    # at its plain due date.
    with unchanged(), reverts_with("TradeFinanceNotDue", loan, due + paused):
        finance.markOverdue(loan, {"from": outsider})

    chain.sleep(due + paused - chain.time() + 1)
    chain.mine()
    finance.markOverdue(loan, {"from": outsider})
    assert finance.financingOf(loan)["status"] == OVERDUE


def test_time_travel_a_pause_before_a_loan_was_made_does_not_move_its_due_date(
    finance, export, ask, pause, unpause, bocom, outsider
):
    declaration_id = export()
    financing_id = ask(declaration_id)  # requested before the pause, approved after it
    pause()
    chain.sleep(5 * DAY)
    unpause()
    finance.approveFinancing(financing_id, LOAN, {"from": bocom})
    due = finance.financingOf(financing_id)["dueDate"]
    _past_due(finance, financing_id)

    assert finance.dueDateOf(financing_id) == due
    finance.markOverdue(financing_id, {"from": outsider})
    assert finance.financingOf(financing_id)["status"] == OVERDUE
