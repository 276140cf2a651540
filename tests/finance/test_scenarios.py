"""Whole trades as the parties would run them, from customs declaration to repayment.

The main scenarios use only the role fixtures and the deployed contracts and no time travel
(ids come from events, balances are compared as changes), so they could run on a real Clique
chain. Tests whose names start with `test_time_travel_` move the clock (Anvil only).
"""

from brownie import chain

from tests.finance.support import (
    BL,
    CNY,
    DAY,
    DEFAULTED,
    DOCS,
    REPAID,
    SIGHT,
    invoice,
    latest_time,
)
from tests.helpers import BOCOM_ID, ICBC_ID, digest, hexstr, released_export, reverts_with

GOODS = 50_000_000  # 500,000.00 CNY of laptops


def test_an_export_is_declared_shipped_under_a_credit_financed_and_repaid_from_the_honour(
    clearance, lc, finance, token, customs, declarant, exporter, importer, carrier, bocom, icbc
):
    supply = token.totalSupply()
    icbc_before = token.balanceOf(icbc)
    exporter_before = token.balanceOf(exporter)
    # Customs releases the export; the importer's bank (BOCOM) issues a sight credit for it.
    declaration_id = released_export(clearance, customs, declarant, exporter, GOODS)
    now = latest_time()
    terms = (
        BOCOM_ID,
        ICBC_ID,
        0,
        str(exporter),
        GOODS,
        hexstr(CNY),
        0,
        False,
        SIGHT,
        0,
        now + 20 * DAY,
        now + 60 * DAY,
        digest("documents required"),
    )
    tx = lc.applyForCredit(terms, {"from": importer})
    credit_id = tx.events["CreditApplied"]["id"]
    lc.issue(credit_id, {"from": bocom})
    lc.recordTransportDocument(credit_id, BL, latest_time(), {"from": carrier})

    # Before presenting, the exporter finances the receivable with its own bank (ICBC).
    the_invoice = invoice("INV-2019-1105")
    tx = finance.requestFinancing(
        declaration_id, ICBC_ID, the_invoice, GOODS, now + 90 * DAY, {"from": exporter}
    )
    financing_id = tx.events["FinancingRequested"]["id"]
    advance = GOODS * 8 // 10
    finance.approveFinancing(financing_id, advance, {"from": icbc})
    assert token.balanceOf(exporter) == exporter_before + advance
    assert finance.remainingOf(declaration_id) == GOODS - advance

    # The documents are presented and honoured: the credit pays the exporter at sight, and
    # the exporter repays the financing from the proceeds; the bank is repaid first.
    tx = lc.present(credit_id, GOODS, BL, declaration_id, DOCS, {"from": exporter})
    presentation_id = tx.events["DocumentsPresented"]["presentationId"]
    lc.honour(credit_id, presentation_id, {"from": bocom})
    assert token.balanceOf(exporter) == exporter_before + advance + GOODS
    tx = finance.repay(financing_id, GOODS, {"from": exporter})

    assert tx.events["FinancingRepaid"]["toBank"] == advance
    assert tx.events["FinancingRepaid"]["toExporter"] == GOODS - advance
    assert finance.financingOf(financing_id)["status"] == REPAID
    assert token.balanceOf(icbc) == icbc_before
    assert token.balanceOf(exporter) == exporter_before + GOODS
    assert token.totalSupply() == supply
    financed, repaid, outstanding, overdue, written_off, _ = finance.declarationBookOf(
        declaration_id
    )
    assert (financed, repaid, outstanding, overdue, written_off) == (advance, advance, 0, 0, 0)
    # The trade stays financed: nothing beyond what is left can be raised on it again.
    assert finance.financedOf(declaration_id) == advance


def test_a_second_bank_asked_to_finance_the_same_trade_again_is_refused(
    clearance, finance, customs, declarant, exporter, bocom, icbc
):
    declaration_id = released_export(clearance, customs, declarant, exporter, GOODS)
    icbc_financed_before = finance.bankBookOf(ICBC_ID)[0]  # earlier trades on a live chain
    the_invoice = invoice("INV-QINGDAO-1")
    due = latest_time() + 90 * DAY
    tx = finance.requestFinancing(
        declaration_id, BOCOM_ID, the_invoice, GOODS, due, {"from": exporter}
    )
    first = tx.events["FinancingRequested"]["id"]
    finance.approveFinancing(first, GOODS * 8 // 10, {"from": bocom})

    # The same invoice, to a second bank: refused outright.
    with reverts_with("TradeFinanceInvoiceAlreadyFinanced"):
        finance.requestFinancing(
            declaration_id, ICBC_ID, the_invoice, GOODS, due, {"from": exporter}
        )
    # A "new" invoice for the same goods: the second bank sees the balance on the chain.
    tx = finance.requestFinancing(
        declaration_id, ICBC_ID, invoice("INV-QINGDAO-1-bis"), GOODS, due, {"from": exporter}
    )
    second = tx.events["FinancingRequested"]["id"]
    remaining = finance.remainingOf(declaration_id)
    assert finance.financedOf(declaration_id) == GOODS * 8 // 10
    with reverts_with("TradeFinanceExceedsRemaining", declaration_id, GOODS * 8 // 10, remaining):
        finance.approveFinancing(second, GOODS * 8 // 10, {"from": icbc})
    finance.declineRequest(second, {"from": icbc})

    assert finance.financedOf(declaration_id) == GOODS * 8 // 10
    assert finance.bankBookOf(ICBC_ID)[0] == icbc_financed_before


def test_time_travel_an_importer_who_never_pays_leaves_a_default_that_stays_on_the_trade(
    clearance, finance, token, customs, declarant, exporter, importer, bocom, icbc, outsider
):
    declaration_id = released_export(clearance, customs, declarant, exporter, GOODS)
    due = latest_time() + 90 * DAY
    tx = finance.requestFinancing(
        declaration_id, BOCOM_ID, invoice("INV-DEFAULT"), GOODS, due, {"from": exporter}
    )
    financing_id = tx.events["FinancingRequested"]["id"]
    advance = GOODS * 8 // 10
    finance.approveFinancing(financing_id, advance, {"from": bocom})
    finance.repay(financing_id, 1_000_000, {"from": importer})  # one instalment, then nothing

    chain.sleep(due - chain.time() + DAY)
    chain.mine()
    finance.markOverdue(financing_id, {"from": outsider})
    assert finance.bankBookOf(BOCOM_ID)[3] == advance - 1_000_000
    tx = finance.writeOff(financing_id, {"from": bocom})

    lost = advance - 1_000_000
    assert tx.events["FinancingWrittenOff"]["amount"] == lost
    assert finance.financingOf(financing_id)["status"] == DEFAULTED
    financed, repaid, outstanding, overdue, written_off, _ = finance.declarationBookOf(
        declaration_id
    )
    assert (financed, repaid, outstanding, overdue, written_off) == (
        advance,
        1_000_000,
        0,
        0,
        lost,
    )
    # The defaulted trade cannot be refinanced elsewhere beyond what was never financed.
    tx = finance.requestFinancing(
        declaration_id, ICBC_ID, invoice("INV-DEFAULT-2"), GOODS, due + 90 * DAY, {"from": exporter}
    )
    with reverts_with("TradeFinanceExceedsRemaining"):
        finance.approveFinancing(
            tx.events["FinancingRequested"]["id"], GOODS - advance + 1, {"from": icbc}
        )
