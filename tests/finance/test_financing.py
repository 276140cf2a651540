"""Approval and payout: the one financing balance per declaration across all banks."""

import pytest

from tests.finance.support import (
    ACTIVE,
    CANCELLED,
    RATE_SCALE,
    USD,
    USD_RATE,
    VALUE,
    as_printed,
    clean_number,
    cny_value,
    consumption,
    ints,
    invoice,
    invoice_key,
    today,
)
from tests.helpers import BOCOM_ID, ICBC_ID, ZERO32, reverts_with

from .support import CCB_ID


@pytest.fixture
def full_ratio(finance, bocom, icbc, ccb):
    """Every bank lends up to 100 % of a receivable (so the declaration's value binds)."""
    for bank in (bocom, icbc, ccb):
        finance.setAdvanceRatio(10_000, {"from": bank})


def test_a_bank_pays_out_at_its_advance_ratio(
    finance, token, clearance, export, ask, bocom, exporter
):
    declaration_id = export()
    financing_id = ask(declaration_id, receivable=VALUE)
    invoice = finance.requestedInvoiceOf(financing_id)
    bank_before, exporter_before = token.balanceOf(bocom), token.balanceOf(exporter)
    supply = token.totalSupply()

    tx = finance.approveFinancing(financing_id, VALUE * 8 // 10, {"from": bocom})

    amount = VALUE * 8 // 10
    f = finance.financingOf(financing_id)
    assert f["status"] == ACTIVE and f["amount"] == amount
    assert token.balanceOf(bocom) == bank_before - amount
    assert token.balanceOf(exporter) == exporter_before + amount
    assert token.totalSupply() == supply
    assert finance.financedOf(declaration_id) == amount
    assert finance.remainingOf(declaration_id) == VALUE - amount
    assert ints(finance.bankBookOf(BOCOM_ID)) == (amount, 0, amount, 0, 0)
    assert ints(finance.exporterBookOf(exporter)) == (amount, 0, amount, 0, 0)
    assert finance.invoiceFinancing(invoice) == financing_id
    assert finance.requestedInvoiceOf(financing_id) == ZERO32  # kept once, in the register
    assert f["approvedAt"] == tx.timestamp
    assert finance.declarationBookOf(declaration_id)[5] == amount  # used, counted by customs
    assert clearance.summaryOf(declaration_id)["consumed"] == amount
    event = tx.events["FinancingApproved"]
    assert event["amount"] == amount and event["declarationFinanced"] == amount
    assert event["declarationConsumed"] == amount
    consumed = tx.events["DeclarationValueConsumed"]
    assert (consumed["id"], consumed["consumer"], consumed["units"]) == (
        declaration_id,
        finance,
        amount,
    )
    assert event["rate"] == RATE_SCALE
    assert event["day"] == today() and event["operator"] == bocom


def test_more_than_the_advance_ratio_of_the_receivable_is_refused(
    finance, export, ask, unchanged, bocom
):
    financing_id = ask(export(), receivable=VALUE // 2)
    limit = VALUE // 2 * 8 // 10

    with unchanged(), reverts_with("TradeFinanceAboveLimit", financing_id, limit + 1, limit):
        finance.approveFinancing(financing_id, limit + 1, {"from": bocom})


def test_financing_exactly_the_declared_value_passes(finance, export, ask, full_ratio, bocom):
    declaration_id = export()
    financing_id = ask(declaration_id, receivable=VALUE)

    finance.approveFinancing(financing_id, VALUE, {"from": bocom})

    assert finance.financedOf(declaration_id) == VALUE
    assert finance.remainingOf(declaration_id) == 0


def test_financing_one_fen_more_than_the_declared_value_is_refused(
    finance, export, ask, unchanged, full_ratio, bocom
):
    declaration_id = export()
    financing_id = ask(declaration_id, receivable=VALUE + 1)

    with (
        unchanged(),
        reverts_with("TradeFinanceExceedsRemaining", declaration_id, VALUE + 1, VALUE),
    ):
        finance.approveFinancing(financing_id, VALUE + 1, {"from": bocom})


def test_two_banks_finance_halves_of_a_declaration_and_a_third_is_refused(
    finance, export, ask, unchanged, full_ratio, bocom, icbc, ccb
):
    declaration_id = export()
    first = ask(declaration_id, bank=BOCOM_ID, receivable=VALUE // 2)
    second = ask(declaration_id, bank=ICBC_ID, receivable=VALUE // 2)
    third = ask(declaration_id, bank=CCB_ID, receivable=VALUE // 2)

    finance.approveFinancing(first, VALUE // 2, {"from": bocom})
    finance.approveFinancing(second, VALUE // 2, {"from": icbc})

    assert finance.financedOf(declaration_id) == VALUE
    assert finance.bankBookOf(BOCOM_ID)[0] == VALUE // 2
    assert finance.bankBookOf(ICBC_ID)[0] == VALUE // 2
    with unchanged(), reverts_with("TradeFinanceExceedsRemaining", declaration_id, 1, 0):
        finance.approveFinancing(third, 1, {"from": ccb})


def test_a_second_bank_sees_what_is_financed_and_is_refused_beyond_the_remainder(
    finance, export, ask, unchanged, full_ratio, bocom, icbc
):
    declaration_id = export()
    finance.approveFinancing(ask(declaration_id), VALUE * 8 // 10, {"from": bocom})
    second = ask(declaration_id, bank=ICBC_ID)
    remaining = finance.remainingOf(declaration_id)
    assert remaining == VALUE // 5

    with (
        unchanged(),
        reverts_with("TradeFinanceExceedsRemaining", declaration_id, remaining + 1, remaining),
    ):
        finance.approveFinancing(second, remaining + 1, {"from": icbc})
    finance.approveFinancing(second, remaining, {"from": icbc})
    assert finance.remainingOf(declaration_id) == 0


def test_the_same_invoice_under_a_new_declaration_is_refused(
    finance, export, ask, unchanged, bocom, exporter
):
    number = clean_number("INV-ONCE-", exporter)
    key = invoice_key(number, exporter)
    financing_id = ask(export(), number=number, inv=invoice("once"))
    finance.approveFinancing(financing_id, VALUE // 2, {"from": bocom})
    other = export()

    with (
        unchanged([key]),
        reverts_with("TradeFinanceInvoiceAlreadyFinanced", as_printed(key), financing_id),
    ):
        ask(other, bank=ICBC_ID, number=number, inv=invoice("once"))


def test_of_two_pending_requests_with_one_invoice_only_the_first_approved_is_financed(
    finance, export, ask, unchanged, bocom, icbc, exporter
):
    number = clean_number("INV-TWICE-", exporter)
    key = invoice_key(number, exporter)
    first = ask(export(), number=number, inv=invoice("twice"))
    second = ask(export(), bank=ICBC_ID, number=number, inv=invoice("twice", salt="other"))
    finance.approveFinancing(first, VALUE // 2, {"from": bocom})

    with (
        unchanged([key]),
        reverts_with("TradeFinanceInvoiceAlreadyFinanced", as_printed(key), first),
    ):
        finance.approveFinancing(second, VALUE // 2, {"from": icbc})


def test_a_declaration_flagged_afterwards_keeps_its_loan_and_blocks_new_ones(
    finance, clearance, export, ask, unchanged, customs, bocom, icbc, exporter
):
    declaration_id = export()
    financing_id = ask(declaration_id)
    finance.approveFinancing(financing_id, VALUE // 2, {"from": bocom})
    pending = ask(declaration_id, bank=ICBC_ID)
    clearance.openAudit(declaration_id, {"from": customs})
    clearance.closeAudit(declaration_id, True, invoice("findings"), {"from": customs})

    with unchanged():
        with reverts_with("TradeFinanceDeclarationFlagged", declaration_id):
            finance.approveFinancing(pending, 1, {"from": icbc})
        with reverts_with("TradeFinanceDeclarationFlagged", declaration_id):
            ask(declaration_id, bank=ICBC_ID)
    assert finance.financingOf(financing_id)["status"] == ACTIVE
    assert finance.declarationBookOf(declaration_id)[2] == VALUE // 2
    finance.repay(financing_id, VALUE // 2, {"from": exporter})


def test_a_declaration_under_audit_cannot_be_financed(
    finance, clearance, export, ask, unchanged, customs, bocom
):
    declaration_id = export()
    pending = ask(declaration_id)
    clearance.openAudit(declaration_id, {"from": customs})

    with unchanged(), reverts_with("TradeFinanceDeclarationUnderAudit", declaration_id):
        finance.approveFinancing(pending, 1, {"from": bocom})


def test_a_foreign_currency_declaration_is_converted_at_the_days_rate(
    finance, export, ask, unchanged, full_ratio, pboc, bocom, icbc
):
    declaration_id = export(currency=USD)
    finance.setReferenceRate(USD, today(), USD_RATE, {"from": pboc})
    worth = cny_value(VALUE, USD_RATE)
    assert finance.remainingOf(declaration_id) == worth
    first = ask(declaration_id, receivable=worth)
    third = 1234567

    tx = finance.approveFinancing(first, third, {"from": bocom})

    assert tx.events["FinancingApproved"]["rate"] == USD_RATE
    consumed = consumption(third, USD_RATE)
    assert finance.declarationBookOf(declaration_id)[5] == consumed
    left = cny_value(VALUE - consumed, USD_RATE)
    assert finance.remainingOf(declaration_id) == left
    second = ask(declaration_id, bank=ICBC_ID, receivable=worth)
    with unchanged(), reverts_with("TradeFinanceExceedsRemaining", declaration_id, left + 1, left):
        finance.approveFinancing(second, left + 1, {"from": icbc})
    finance.approveFinancing(second, left, {"from": icbc})
    assert finance.declarationBookOf(declaration_id)[5] <= VALUE


def test_a_foreign_currency_declaration_without_the_days_rate_is_refused(
    finance, export, ask, unchanged, pboc, bocom
):
    declaration_id = export(currency=USD)
    finance.setReferenceRate(USD, today() - 1, USD_RATE, {"from": pboc})  # yesterday's only
    financing_id = ask(declaration_id)

    with unchanged(), reverts_with("TradeFinanceNoReferenceRate", as_printed(USD), today()):
        finance.approveFinancing(financing_id, 1, {"from": bocom})
    with reverts_with("TradeFinanceNoReferenceRate", as_printed(USD), today()):
        finance.remainingOf(declaration_id)


@pytest.mark.parametrize("who", ["icbc", "ccb", "exporter", "pboc", "customs", "outsider"])
def test_only_the_requested_bank_approves(finance, export, ask, unchanged, who, request):
    caller = request.getfixturevalue(who)
    financing_id = ask(export())

    with unchanged(), reverts_with("TradeFinanceNotLender", financing_id, caller):
        finance.approveFinancing(financing_id, 1, {"from": caller})


def test_a_financing_is_approved_once_and_never_after_cancellation(
    finance, export, ask, unchanged, bocom, exporter
):
    approved = ask(export())
    finance.approveFinancing(approved, 1_000, {"from": bocom})
    cancelled = ask(export())
    finance.cancelRequest(cancelled, {"from": exporter})
    fresh = ask(export())

    with unchanged():
        with reverts_with("TradeFinanceWrongStatus", approved, ACTIVE):
            finance.approveFinancing(approved, 1_000, {"from": bocom})
        with reverts_with("TradeFinanceWrongStatus", cancelled, CANCELLED):
            finance.approveFinancing(cancelled, 1_000, {"from": bocom})
        with reverts_with("TradeFinanceZeroAmount"):
            finance.approveFinancing(fresh, 0, {"from": bocom})


def test_a_bank_without_the_tokens_cannot_pay_out_and_nothing_changes(
    finance, token, export, ask, unchanged, bocom, exporter
):
    financing_id = ask(export())
    token.approve(finance, 0, {"from": bocom})

    with unchanged(), reverts_with("ERC20InsufficientAllowance"):
        finance.approveFinancing(financing_id, 1_000, {"from": bocom})


def test_nothing_is_financed_while_the_alliance_is_paused(
    finance, export, ask, unchanged, pause, bocom
):
    financing_id = ask(export())
    pause()

    with unchanged(), reverts_with("TradeFinancePaused"):
        finance.approveFinancing(financing_id, 1_000, {"from": bocom})
