"""Financing backed by a letter-of-credit claim, and discounting a deferred drawing."""

import pytest
from brownie import chain

from tests.finance.support import (
    ACTIVE,
    DEFERRED,
    OVERDUE,
    REPAID,
    SIGHT,
    VALUE,
    invoice,
    invoice_number,
)
from tests.helpers import BOCOM_ID, ICBC_ID, reverts_with

DRAWN = VALUE // 2  # the drawing: half the declaration's value


@pytest.fixture
def claim(export, drawing):
    """(declaration id, credit id, drawing id): a deferred drawing of DRAWN payable to the
    exporter in 30 days, under a credit presented against a released export of 2 * VALUE."""
    declaration_id = export(value=2 * VALUE)
    credit_id, drawing_id = drawing(declaration_id, amount=DRAWN, form=DEFERRED, tenor=30)
    return declaration_id, credit_id, drawing_id


def _mature(lc, credit_id, drawing_id):
    chain.sleep(lc.drawingOf(credit_id, drawing_id)["maturity"] - chain.time() + 1)
    chain.mine()


def test_a_loan_against_a_credit_claim_holds_the_claim_and_pays_the_exporter(
    finance, lc, token, claim, exporter, icbc
):
    declaration_id, credit_id, drawing_id = claim
    tx = finance.requestFinancingAgainstCredit(
        declaration_id,
        ICBC_ID,
        invoice_number("lc"),
        invoice("lc"),
        credit_id,
        drawing_id,
        {"from": exporter},
    )
    financing_id = tx.return_value
    maturity = lc.drawingOf(credit_id, drawing_id)["maturity"]
    lc.transferClaim(credit_id, drawing_id, finance, {"from": exporter})
    before = token.balanceOf(exporter)

    finance.approveFinancing(financing_id, DRAWN * 8 // 10, {"from": icbc})

    f = finance.financingOf(financing_id)
    assert f["receivable"] == DRAWN and f["dueDate"] == maturity
    assert f["claimHeld"] and f["creditId"] == credit_id and f["drawingId"] == drawing_id
    assert token.balanceOf(exporter) == before + DRAWN * 8 // 10
    assert finance.claimFinancing(credit_id, drawing_id) == financing_id


def test_a_claim_not_yet_handed_over_cannot_be_financed(finance, claim, unchanged, exporter, icbc):
    declaration_id, credit_id, drawing_id = claim
    financing_id = finance.requestFinancingAgainstCredit(
        declaration_id,
        ICBC_ID,
        invoice_number("lc"),
        invoice("lc"),
        credit_id,
        drawing_id,
        {"from": exporter},
    ).return_value

    with (
        unchanged(),
        reverts_with("TradeFinanceClaimNotTransferred", credit_id, drawing_id, exporter),
    ):
        finance.approveFinancing(financing_id, 1_000, {"from": icbc})


def test_only_the_payee_pledges_a_claim_and_only_once(
    finance, lc, claim, unchanged, exporter, exporter2
):
    declaration_id, credit_id, drawing_id = claim
    finance.requestFinancingAgainstCredit(
        declaration_id,
        ICBC_ID,
        invoice_number("lc"),
        invoice("lc"),
        credit_id,
        drawing_id,
        {"from": exporter},
    )

    with unchanged():
        with reverts_with("TradeFinanceClaimAlreadyLinked", credit_id, drawing_id, 1):
            finance.requestFinancingAgainstCredit(
                declaration_id,
                BOCOM_ID,
                invoice_number("lc2"),
                invoice("lc2"),
                credit_id,
                drawing_id,
                {"from": exporter},
            )
        with reverts_with("TradeFinanceNotPayee", credit_id, drawing_id, exporter):
            finance.requestFinancingAgainstCredit(
                declaration_id,
                BOCOM_ID,
                invoice_number("lc3"),
                invoice("lc3"),
                credit_id,
                drawing_id,
                {"from": exporter2},
            )
        with reverts_with("TradeFinanceUnknownDrawing", credit_id, 9):
            finance.requestFinancingAgainstCredit(
                declaration_id,
                BOCOM_ID,
                invoice_number("lc4"),
                invoice("lc4"),
                credit_id,
                9,
                {"from": exporter},
            )
        with reverts_with("TradeFinanceUnknownDrawing", 0, drawing_id):
            finance.requestFinancingAgainstCredit(
                declaration_id,
                BOCOM_ID,
                invoice_number("lc5"),
                invoice("lc5"),
                0,
                drawing_id,
                {"from": exporter},
            )


def test_a_sight_drawing_cannot_be_pledged(finance, export, drawing, unchanged, exporter):
    declaration_id = export(value=2 * VALUE)
    credit_id, drawing_id = drawing(declaration_id, amount=DRAWN, form=SIGHT)

    with unchanged(), reverts_with("TradeFinanceUnknownDrawing", credit_id, drawing_id):
        finance.requestFinancingAgainstCredit(
            declaration_id,
            BOCOM_ID,
            invoice_number("sight"),
            invoice("sight"),
            credit_id,
            drawing_id,
            {"from": exporter},
        )


@pytest.mark.parametrize("ending", ["cancel", "decline"])
def test_a_request_that_ends_unfinanced_gives_the_claim_back(
    finance, lc, claim, exporter, icbc, ending
):
    declaration_id, credit_id, drawing_id = claim
    financing_id = finance.requestFinancingAgainstCredit(
        declaration_id,
        ICBC_ID,
        invoice_number("lc"),
        invoice("lc"),
        credit_id,
        drawing_id,
        {"from": exporter},
    ).return_value
    lc.transferClaim(credit_id, drawing_id, finance, {"from": exporter})

    if ending == "cancel":
        tx = finance.cancelRequest(financing_id, {"from": exporter})
    else:
        tx = finance.declineRequest(financing_id, {"from": icbc})

    assert lc.drawingOf(credit_id, drawing_id)["payee"] == exporter
    assert tx.events["ClaimReturned"]["exporter"] == exporter
    assert finance.claimFinancing(credit_id, drawing_id) == 0


def test_a_claim_is_collected_only_at_maturity(finance, lc, claim, unchanged, exporter, icbc):
    declaration_id, credit_id, drawing_id = claim
    financing_id = finance.requestFinancingAgainstCredit(
        declaration_id,
        ICBC_ID,
        invoice_number("lc"),
        invoice("lc"),
        credit_id,
        drawing_id,
        {"from": exporter},
    ).return_value
    lc.transferClaim(credit_id, drawing_id, finance, {"from": exporter})
    finance.approveFinancing(financing_id, DRAWN // 2, {"from": icbc})
    maturity = lc.drawingOf(credit_id, drawing_id)["maturity"]

    with unchanged(), reverts_with("TradeFinanceNotMature", credit_id, drawing_id, maturity):
        finance.collectFromCredit(financing_id, {"from": exporter})


def test_a_financing_without_a_claim_has_nothing_to_collect(finance, export, ask, unchanged, bocom):
    financing_id = ask(export())
    finance.approveFinancing(financing_id, 1_000, {"from": bocom})

    with unchanged(), reverts_with("TradeFinanceNoClaim", financing_id):
        finance.collectFromCredit(financing_id, {"from": bocom})


def test_an_exporter_sells_its_claim_to_a_bank_at_a_discount(
    finance, lc, token, claim, exporter, icbc
):
    declaration_id, credit_id, drawing_id = claim
    price = DRAWN * 97 // 100
    financing_id = finance.requestDiscount(
        declaration_id,
        ICBC_ID,
        invoice_number("disc"),
        invoice("disc"),
        credit_id,
        drawing_id,
        price,
        {"from": exporter},
    ).return_value
    lc.transferClaim(credit_id, drawing_id, finance, {"from": exporter})
    before = token.balanceOf(exporter)

    tx = finance.discount(credit_id, drawing_id, price, {"from": icbc})

    f = finance.financingOf(financing_id)
    assert f["status"] == ACTIVE and f["discount"] and f["amount"] == price
    assert token.balanceOf(exporter) == before + price
    assert tx.events["ClaimDiscounted"]["price"] == price
    assert finance.financedOf(declaration_id) == price


def test_a_discount_below_the_asked_price_or_by_another_bank_is_refused(
    finance, lc, claim, unchanged, exporter, icbc, bocom
):
    declaration_id, credit_id, drawing_id = claim
    price = DRAWN * 97 // 100
    financing_id = finance.requestDiscount(
        declaration_id,
        ICBC_ID,
        invoice_number("disc"),
        invoice("disc"),
        credit_id,
        drawing_id,
        price,
        {"from": exporter},
    ).return_value
    lc.transferClaim(credit_id, drawing_id, finance, {"from": exporter})

    with unchanged():
        with reverts_with("TradeFinancePriceBelowAsk", financing_id, price - 1, price):
            finance.discount(credit_id, drawing_id, price - 1, {"from": icbc})
        with reverts_with("TradeFinanceAboveLimit", financing_id, DRAWN + 1, DRAWN):
            finance.discount(credit_id, drawing_id, DRAWN + 1, {"from": icbc})
        with reverts_with("TradeFinanceNotLender", financing_id, bocom):
            finance.discount(credit_id, drawing_id, price, {"from": bocom})
        with reverts_with("TradeFinanceNoDiscountOffer", credit_id, drawing_id + 1):
            finance.discount(credit_id, drawing_id + 1, price, {"from": icbc})
        with reverts_with("TradeFinanceIsDiscount", financing_id):
            finance.approveFinancing(financing_id, price, {"from": icbc})


def test_a_loan_request_cannot_be_discounted(finance, lc, claim, unchanged, exporter, icbc):
    declaration_id, credit_id, drawing_id = claim
    finance.requestFinancingAgainstCredit(
        declaration_id,
        ICBC_ID,
        invoice_number("lc"),
        invoice("lc"),
        credit_id,
        drawing_id,
        {"from": exporter},
    )

    with unchanged(), reverts_with("TradeFinanceNoDiscountOffer", credit_id, drawing_id):
        finance.discount(credit_id, drawing_id, DRAWN, {"from": icbc})


def test_a_discount_asking_more_than_the_drawing_is_refused(finance, claim, unchanged, exporter):
    declaration_id, credit_id, drawing_id = claim

    with unchanged(), reverts_with("TradeFinanceAmountTooLarge", DRAWN + 1):
        finance.requestDiscount(
            declaration_id,
            ICBC_ID,
            invoice_number("d"),
            invoice("d"),
            credit_id,
            drawing_id,
            DRAWN + 1,
            {"from": exporter},
        )


# ------------------------------------------------------------------ time travel (Anvil only)


def test_time_travel_at_maturity_the_claim_repays_the_bank_first_and_the_rest_goes_to_the_exporter(
    finance, lc, token, claim, exporter, icbc, outsider
):
    declaration_id, credit_id, drawing_id = claim
    financing_id = finance.requestFinancingAgainstCredit(
        declaration_id,
        ICBC_ID,
        invoice_number("lc"),
        invoice("lc"),
        credit_id,
        drawing_id,
        {"from": exporter},
    ).return_value
    lc.transferClaim(credit_id, drawing_id, finance, {"from": exporter})
    loan = DRAWN * 8 // 10
    finance.approveFinancing(financing_id, loan, {"from": icbc})
    bank_before, exporter_before = token.balanceOf(icbc), token.balanceOf(exporter)
    _mature(lc, credit_id, drawing_id)

    tx = finance.collectFromCredit(financing_id, {"from": outsider})

    assert finance.financingOf(financing_id)["status"] == REPAID
    assert not finance.financingOf(financing_id)["claimHeld"]
    assert token.balanceOf(icbc) == bank_before + loan
    assert token.balanceOf(exporter) == exporter_before + DRAWN - loan
    assert token.balanceOf(finance) == 0
    event = tx.events["CreditCollected"]
    assert (event["toBank"], event["toExporter"]) == (loan, DRAWN - loan)


def test_time_travel_a_drawing_settled_directly_is_still_split(
    finance, lc, token, claim, exporter, icbc, outsider
):
    declaration_id, credit_id, drawing_id = claim
    financing_id = finance.requestFinancingAgainstCredit(
        declaration_id,
        ICBC_ID,
        invoice_number("lc"),
        invoice("lc"),
        credit_id,
        drawing_id,
        {"from": exporter},
    ).return_value
    lc.transferClaim(credit_id, drawing_id, finance, {"from": exporter})
    finance.approveFinancing(financing_id, DRAWN // 2, {"from": icbc})
    _mature(lc, credit_id, drawing_id)
    lc.settleAtMaturity(credit_id, drawing_id, {"from": outsider})
    assert token.balanceOf(finance) == DRAWN

    finance.collectFromCredit(financing_id, {"from": outsider})

    assert token.balanceOf(finance) == 0
    assert finance.financingOf(financing_id)["status"] == REPAID


def test_time_travel_a_discounted_drawing_pays_the_bank_in_full(
    finance, lc, token, claim, exporter, icbc
):
    declaration_id, credit_id, drawing_id = claim
    price = DRAWN * 97 // 100
    financing_id = finance.requestDiscount(
        declaration_id,
        ICBC_ID,
        invoice_number("disc"),
        invoice("disc"),
        credit_id,
        drawing_id,
        price,
        {"from": exporter},
    ).return_value
    lc.transferClaim(credit_id, drawing_id, finance, {"from": exporter})
    finance.discount(credit_id, drawing_id, price, {"from": icbc})
    bank_before, exporter_before = token.balanceOf(icbc), token.balanceOf(exporter)
    _mature(lc, credit_id, drawing_id)

    finance.collectFromCredit(financing_id, {"from": icbc})

    assert token.balanceOf(icbc) == bank_before + DRAWN
    assert token.balanceOf(exporter) == exporter_before
    assert finance.financingOf(financing_id)["status"] == REPAID


def test_time_travel_a_loan_whose_claim_is_held_is_collected_not_written_off(
    finance, lc, claim, unchanged, exporter, icbc, outsider
):
    declaration_id, credit_id, drawing_id = claim
    financing_id = finance.requestFinancingAgainstCredit(
        declaration_id,
        ICBC_ID,
        invoice_number("lc"),
        invoice("lc"),
        credit_id,
        drawing_id,
        {"from": exporter},
    ).return_value
    lc.transferClaim(credit_id, drawing_id, finance, {"from": exporter})
    finance.approveFinancing(financing_id, DRAWN // 2, {"from": icbc})
    _mature(lc, credit_id, drawing_id)
    finance.markOverdue(financing_id, {"from": outsider})
    assert finance.financingOf(financing_id)["status"] == OVERDUE

    with unchanged(), reverts_with("TradeFinanceClaimPending", financing_id, credit_id, drawing_id):
        finance.writeOff(financing_id, {"from": icbc})


def test_time_travel_a_matured_drawing_cannot_be_pledged(finance, lc, claim, unchanged, exporter):
    declaration_id, credit_id, drawing_id = claim
    maturity = lc.drawingOf(credit_id, drawing_id)["maturity"]
    _mature(lc, credit_id, drawing_id)

    with unchanged(), reverts_with("TradeFinanceDrawingMatured", credit_id, drawing_id, maturity):
        finance.requestFinancingAgainstCredit(
            declaration_id,
            ICBC_ID,
            invoice_number("late"),
            invoice("late"),
            credit_id,
            drawing_id,
            {"from": exporter},
        )
