"""Whole trades as the parties would run them, from customs declaration to repayment.

Every scenario here runs unchanged on Anvil and on a real Clique chain: only the role fixtures
and the deployed contracts, ids from events, balances and books compared as changes (on a live
chain the tests stand on each other's state). A due date that must pass is set half a minute
ahead and waited for with `wait_until` (Anvil moves its clock; on Clique the test waits).

Each scenario checks the money (the token supply is unchanged by the trade, the credit contract
holds exactly its credits' escrow, the finance contract holds nothing) and what the regulator
reads: the books per declaration, per exporter and per bank (financed, repaid, outstanding,
overdue, written off).
"""

from tests.credit.support import VOYAGE
from tests.finance.support import (
    ACTIVE,
    CNY,
    DAY,
    DEFAULTED,
    DOCS,
    REPAID,
    SIGHT,
    ints,
    invoice,
    invoice_number,
    latest_time,
)
from tests.helpers import (
    BOCOM_ID,
    ICBC_ID,
    bill_key,
    digest,
    document_number,
    hexstr,
    new_bill_of_lading,
    released_export,
    reverts_with,
    wait_until,
)

GOODS = 50_000_000  # 500,000.00 CNY of laptops
ADVANCE = GOODS * 8 // 10  # every bank advances 80 % (tests/finance/conftest.py)
UNDER_CREDIT = GOODS * 4 // 10  # the part paid under a letter of credit
OPEN_ACCOUNT = GOODS - UNDER_CREDIT  # the part sold on open account, financed
OPEN_ADVANCE = OPEN_ACCOUNT * 8 // 10
NOTHING = (0, 0, 0, 0, 0)
DUE_IN = 30  # seconds: a loan due this soon falls due while a test on Clique waits


def _books(finance, declaration_id, exporter) -> dict:
    """What the regulator reads: (financed, repaid, outstanding, overdue, written off) of the
    declaration, the exporter and each bank."""
    return {
        "declaration": ints(finance.declarationBookOf(declaration_id))[:5],
        "exporter": ints(finance.exporterBookOf(exporter)),
        "bocom": ints(finance.bankBookOf(BOCOM_ID)),
        "icbc": ints(finance.bankBookOf(ICBC_ID)),
    }


def _balances(token, parties: dict) -> dict:
    return {name: int(token.balanceOf(account)) for name, account in parties.items()}


def _change(before: dict, after: dict) -> dict:
    """`after - before`, entry by entry (a book field by field)."""
    return {
        key: tuple(a - b for a, b in zip(value, before[key], strict=True))
        if isinstance(value, tuple)
        else value - before[key]
        for key, value in after.items()
    }


def _assert_money(token, lc, finance, supply):
    """No token is created or destroyed by a trade; the credit contract holds exactly the escrow
    of its credits (no amendment is pending in these scenarios) and the finance contract holds
    nothing between transactions."""
    assert token.totalSupply() == supply
    escrow = sum(lc.creditOf(i)["escrow"] for i in range(1, lc.creditCount() + 1))
    assert token.balanceOf(lc) == escrow
    assert token.balanceOf(finance) == 0


def test_an_export_paid_partly_under_a_credit_and_financed_for_the_rest_uses_its_value_once(
    clearance, lc, finance, token, customs, declarant, exporter, importer, carrier, bocom, icbc
):
    supply = token.totalSupply()
    parties = dict(bocom=bocom, icbc=icbc, exporter=exporter, importer=importer)
    money = _balances(token, parties)
    # Customs releases the export; the importer's bank (BOCOM) issues a sight credit for 40 %
    # of it, the rest is sold on open account.
    bill = new_bill_of_lading()
    declaration_id = released_export(
        clearance, customs, declarant, exporter, GOODS, bill_of_lading=bill
    )
    books = _books(finance, declaration_id, exporter)
    now = latest_time()
    terms = (
        BOCOM_ID,
        ICBC_ID,
        0,
        str(exporter),
        UNDER_CREDIT,
        hexstr(CNY),
        0,
        False,
        SIGHT,
        0,
        now + 20 * DAY,
        now + 60 * DAY,
        digest("documents required"),
        False,
        [str(carrier)],
    )
    tx = lc.applyForCredit(terms, {"from": importer})
    credit_id = tx.events["CreditApplied"]["id"]
    lc.issue(credit_id, {"from": bocom})
    assert lc.creditOf(credit_id)["escrow"] == UNDER_CREDIT
    _assert_money(token, lc, finance, supply)
    lc.recordTransportDocument(
        credit_id, document_number(bill), latest_time(), VOYAGE, {"from": carrier}
    )

    # The exporter finances the open-account receivable with its own bank (ICBC).
    tx = finance.requestFinancing(
        declaration_id,
        ICBC_ID,
        invoice_number("INV-2019-1105"),
        invoice("INV-2019-1105"),
        OPEN_ACCOUNT,
        now + 90 * DAY,
        {"from": exporter},
    )
    financing_id = tx.events["FinancingRequested"]["id"]
    finance.approveFinancing(financing_id, OPEN_ADVANCE, {"from": icbc})
    assert token.balanceOf(exporter) == money["exporter"] + OPEN_ADVANCE
    assert finance.remainingOf(declaration_id) == GOODS - OPEN_ADVANCE
    lent = (OPEN_ADVANCE, 0, OPEN_ADVANCE, 0, 0)
    assert _change(books, _books(finance, declaration_id, exporter)) == {
        "declaration": lent,
        "exporter": lent,
        "bocom": NOTHING,
        "icbc": lent,
    }

    # The documents are presented under the credit and honoured at sight: the presentation
    # uses its part of the declaration's value, next to the financing.
    tx = lc.present(
        credit_id, UNDER_CREDIT, bill_key(bill), declaration_id, DOCS, {"from": exporter}
    )
    presentation_id = tx.events["DocumentsPresented"]["presentationId"]
    lc.honour(credit_id, presentation_id, {"from": bocom})
    assert clearance.summaryOf(declaration_id)["consumed"] == OPEN_ADVANCE + UNDER_CREDIT
    left = GOODS - OPEN_ADVANCE - UNDER_CREDIT
    assert finance.remainingOf(declaration_id) == left
    assert token.balanceOf(exporter) == money["exporter"] + OPEN_ADVANCE + UNDER_CREDIT

    # The importer pays the open-account part through the financing: the bank first.
    tx = finance.repay(financing_id, OPEN_ACCOUNT, {"from": importer})

    assert tx.events["FinancingRepaid"]["toBank"] == OPEN_ADVANCE
    assert tx.events["FinancingRepaid"]["toExporter"] == OPEN_ACCOUNT - OPEN_ADVANCE
    assert finance.financingOf(financing_id)["status"] == REPAID
    assert _change(money, _balances(token, parties)) == {
        "bocom": -UNDER_CREDIT,
        "icbc": 0,
        "exporter": GOODS,
        "importer": -OPEN_ACCOUNT,
    }
    _assert_money(token, lc, finance, supply)
    repaid = (OPEN_ADVANCE, OPEN_ADVANCE, 0, 0, 0)
    assert _change(books, _books(finance, declaration_id, exporter)) == {
        "declaration": repaid,
        "exporter": repaid,
        "bocom": NOTHING,
        "icbc": repaid,
    }
    # The trade stays used: a second bank may finance only what neither the credit nor the
    # first financing used.
    tx = finance.requestFinancing(
        declaration_id,
        BOCOM_ID,
        invoice_number("INV-2019-1105-B"),
        invoice("INV-2019-1105-B"),
        GOODS,
        now + 90 * DAY,
        {"from": exporter},
    )
    again = tx.events["FinancingRequested"]["id"]
    with reverts_with("TradeFinanceExceedsRemaining", declaration_id, left + 1, left):
        finance.approveFinancing(again, left + 1, {"from": bocom})
    finance.declineRequest(again, {"from": bocom})
    assert finance.financedOf(declaration_id) == OPEN_ADVANCE


def test_a_second_bank_asked_to_finance_the_same_trade_again_is_refused(
    clearance, lc, finance, token, customs, declarant, exporter, bocom, icbc
):
    supply = token.totalSupply()
    parties = dict(bocom=bocom, icbc=icbc, exporter=exporter)
    money = _balances(token, parties)
    declaration_id = released_export(clearance, customs, declarant, exporter, GOODS)
    books = _books(finance, declaration_id, exporter)
    due = latest_time() + 90 * DAY
    tx = finance.requestFinancing(
        declaration_id,
        BOCOM_ID,
        invoice_number("INV-QINGDAO-1"),
        invoice("INV-QINGDAO-1"),
        GOODS,
        due,
        {"from": exporter},
    )
    first = tx.events["FinancingRequested"]["id"]
    finance.approveFinancing(first, ADVANCE, {"from": bocom})

    # The same invoice, newly salted and its number written another way, to a second bank:
    # refused outright.
    for written in ("INV-QINGDAO-1", "inv qingdao 1"):
        with reverts_with("TradeFinanceInvoiceAlreadyFinanced"):
            finance.requestFinancing(
                declaration_id,
                ICBC_ID,
                invoice_number(written),
                invoice("INV-QINGDAO-1", salt="a new salt"),
                GOODS,
                due,
                {"from": exporter},
            )
    # A "new" invoice for the same goods: the second bank sees the balance on the chain.
    tx = finance.requestFinancing(
        declaration_id,
        ICBC_ID,
        invoice_number("INV-QINGDAO-1-BIS"),
        invoice("INV-QINGDAO-1-BIS"),
        GOODS,
        due,
        {"from": exporter},
    )
    second = tx.events["FinancingRequested"]["id"]
    remaining = finance.remainingOf(declaration_id)
    assert remaining == GOODS - ADVANCE
    assert finance.financedOf(declaration_id) == ADVANCE
    with reverts_with("TradeFinanceExceedsRemaining", declaration_id, ADVANCE, remaining):
        finance.approveFinancing(second, ADVANCE, {"from": icbc})
    finance.declineRequest(second, {"from": icbc})

    assert finance.financedOf(declaration_id) == ADVANCE
    lent = (ADVANCE, 0, ADVANCE, 0, 0)
    assert _change(books, _books(finance, declaration_id, exporter)) == {
        "declaration": lent,
        "exporter": lent,
        "bocom": lent,
        "icbc": NOTHING,
    }
    assert _change(money, _balances(token, parties)) == {
        "bocom": -ADVANCE,
        "icbc": 0,
        "exporter": ADVANCE,
    }
    _assert_money(token, lc, finance, supply)


def test_an_importer_who_never_pays_leaves_a_default_that_stays_on_the_trade(
    clearance, lc, finance, token, customs, declarant, exporter, importer, bocom, icbc, outsider
):
    supply = token.totalSupply()
    parties = dict(bocom=bocom, icbc=icbc, exporter=exporter, importer=importer)
    money = _balances(token, parties)
    declaration_id = released_export(clearance, customs, declarant, exporter, GOODS)
    books = _books(finance, declaration_id, exporter)
    # A short loan, so that it falls due while the test waits, on Anvil and on Clique alike.
    due = latest_time() + DUE_IN
    tx = finance.requestFinancing(
        declaration_id,
        BOCOM_ID,
        invoice_number("INV-DEFAULT"),
        invoice("INV-DEFAULT"),
        GOODS,
        due,
        {"from": exporter},
    )
    financing_id = tx.events["FinancingRequested"]["id"]
    finance.approveFinancing(financing_id, ADVANCE, {"from": bocom})
    instalment = 1_000_000
    finance.repay(financing_id, instalment, {"from": importer})  # one instalment, then nothing
    lost = ADVANCE - instalment
    with reverts_with("TradeFinanceNotDue", financing_id, due):
        finance.markOverdue(financing_id, {"from": outsider})

    wait_until(due)
    finance.markOverdue(financing_id, {"from": outsider})
    overdue = (ADVANCE, instalment, lost, lost, 0)
    assert _change(books, _books(finance, declaration_id, exporter)) == {
        "declaration": overdue,
        "exporter": overdue,
        "bocom": overdue,
        "icbc": NOTHING,
    }
    tx = finance.writeOff(financing_id, {"from": bocom})

    assert tx.events["FinancingWrittenOff"]["amount"] == lost
    assert finance.financingOf(financing_id)["status"] == DEFAULTED
    defaulted = (ADVANCE, instalment, 0, 0, lost)
    assert _change(books, _books(finance, declaration_id, exporter)) == {
        "declaration": defaulted,
        "exporter": defaulted,
        "bocom": defaulted,
        "icbc": NOTHING,
    }
    assert _change(money, _balances(token, parties)) == {
        "bocom": -lost,
        "icbc": 0,
        "exporter": ADVANCE,
        "importer": -instalment,
    }
    _assert_money(token, lc, finance, supply)

    # The defaulted advance stays consumed: another bank may finance only what never was.
    assert finance.financedOf(declaration_id) == ADVANCE
    assert finance.remainingOf(declaration_id) == GOODS - ADVANCE
    tx = finance.requestFinancing(
        declaration_id,
        ICBC_ID,
        invoice_number("INV-DEFAULT-2"),
        invoice("INV-DEFAULT-2"),
        GOODS,
        latest_time() + 90 * DAY,
        {"from": exporter},
    )
    second = tx.events["FinancingRequested"]["id"]
    with reverts_with(
        "TradeFinanceExceedsRemaining", declaration_id, GOODS - ADVANCE + 1, GOODS - ADVANCE
    ):
        finance.approveFinancing(second, GOODS - ADVANCE + 1, {"from": icbc})
    finance.declineRequest(second, {"from": icbc})
    assert _change(books, _books(finance, declaration_id, exporter))["icbc"] == NOTHING


def test_an_export_flagged_by_customs_after_financing_keeps_its_loan_and_blocks_new_ones(
    clearance, lc, finance, token, customs, declarant, exporter, importer, bocom, icbc
):
    supply = token.totalSupply()
    parties = dict(bocom=bocom, icbc=icbc, exporter=exporter, importer=importer)
    money = _balances(token, parties)
    declaration_id = released_export(clearance, customs, declarant, exporter, GOODS)
    books = _books(finance, declaration_id, exporter)
    due = latest_time() + 90 * DAY
    tx = finance.requestFinancing(
        declaration_id,
        BOCOM_ID,
        invoice_number("INV-AUDIT-1"),
        invoice("INV-AUDIT-1"),
        GOODS,
        due,
        {"from": exporter},
    )
    financed = tx.events["FinancingRequested"]["id"]
    finance.approveFinancing(financed, ADVANCE, {"from": bocom})
    tx = finance.requestFinancing(
        declaration_id,
        ICBC_ID,
        invoice_number("INV-AUDIT-2"),
        invoice("INV-AUDIT-2"),
        GOODS,
        due,
        {"from": exporter},
    )
    pending = tx.events["FinancingRequested"]["id"]

    # Customs opens a post-clearance audit: while it is open nobody finances the trade, not
    # even what is left of it...
    clearance.openAudit(declaration_id, {"from": customs})
    with reverts_with("TradeFinanceDeclarationUnderAudit", declaration_id):
        finance.approveFinancing(pending, GOODS - ADVANCE, {"from": icbc})
    # ... and once the audit flags it, never again: no approval, no new request.
    clearance.closeAudit(declaration_id, True, digest("audit findings"), {"from": customs})
    assert clearance.summaryOf(declaration_id)["flagged"]
    with reverts_with("TradeFinanceDeclarationFlagged", declaration_id):
        finance.approveFinancing(pending, GOODS - ADVANCE, {"from": icbc})
    with reverts_with("TradeFinanceDeclarationFlagged", declaration_id):
        finance.requestFinancing(
            declaration_id,
            ICBC_ID,
            invoice_number("INV-AUDIT-3"),
            invoice("INV-AUDIT-3"),
            GOODS,
            due,
            {"from": exporter},
        )
    finance.declineRequest(pending, {"from": icbc})

    # The loan made before the flag stands, and is repaid as agreed.
    assert finance.financingOf(financed)["status"] == ACTIVE
    lent = (ADVANCE, 0, ADVANCE, 0, 0)
    assert _change(books, _books(finance, declaration_id, exporter)) == {
        "declaration": lent,
        "exporter": lent,
        "bocom": lent,
        "icbc": NOTHING,
    }
    finance.repay(financed, ADVANCE, {"from": importer})
    assert finance.financingOf(financed)["status"] == REPAID
    repaid = (ADVANCE, ADVANCE, 0, 0, 0)
    assert _change(books, _books(finance, declaration_id, exporter)) == {
        "declaration": repaid,
        "exporter": repaid,
        "bocom": repaid,
        "icbc": NOTHING,
    }
    assert _change(money, _balances(token, parties)) == {
        "bocom": 0,
        "icbc": 0,
        "exporter": ADVANCE,
        "importer": -ADVANCE,
    }
    _assert_money(token, lc, finance, supply)
    assert finance.financedOf(declaration_id) == ADVANCE
