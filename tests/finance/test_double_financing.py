"""One shipment, one use: the attacks that financed the same goods twice, each refused now.

- An invoice is keyed on its seller and its normalised number, not on a salted hash: re-salting
  it, or writing its number another way, does not make it a new invoice (the salted commitment
  to its contents is only in the request's event).
- A declaration's value is used once, across credits and financings: customs keeps the one
  register ({CustomsClearance.consume}); a receivable financing and a presentation under a
  credit use the same value.
- A credit claim (a deferred drawing) is financed as the drawing, whose presentation used the
  value already: it uses nothing more, and it is booked on the declaration it was presented
  against.
"""

import pytest

from tests.finance.support import (
    ACTIVE,
    DEFERRED,
    SIGHT,
    VALUE,
    as_printed,
    clean_number,
    ints,
    invoice,
    invoice_key,
    invoice_number,
)
from tests.helpers import BOCOM_ID, ICBC_ID, reverts_with

ADVANCE = VALUE * 8 // 10


@pytest.fixture
def full_ratio(finance, bocom, icbc, ccb):
    """Every bank lends up to 100 % of a receivable (so the declaration's value binds)."""
    for bank in (bocom, icbc, ccb):
        finance.setAdvanceRatio(10_000, {"from": bank})


# ------------------------------------------------------------------------ one invoice, once


def test_attack_a_financed_invoice_salted_anew_is_refused_by_a_second_bank(
    finance, export, ask, unchanged, bocom, exporter
):
    number = clean_number("INV-QD-", exporter)
    key = invoice_key(number, exporter)
    first = ask(export(), number=number, inv=invoice("laptops", salt="first salt"))
    finance.approveFinancing(first, ADVANCE, {"from": bocom})
    # The fraudster declares the goods again (another bill of lading) and shows a second bank
    # the same invoice under a new salt: a new commitment, the same invoice.
    other = export()

    with (
        unchanged([key]),
        reverts_with("TradeFinanceInvoiceAlreadyFinanced", as_printed(key), first),
    ):
        ask(other, bank=ICBC_ID, number=number, inv=invoice("laptops", salt="second salt"))
    assert finance.invoiceFinancing(key) == first


@pytest.mark.parametrize("written", ["INV 001", "inv/001", "I.N.V-0-0-1", " inv001"])
def test_attack_an_invoice_number_written_another_way_is_the_same_invoice(
    finance, export, ask, unchanged, bocom, exporter, written
):
    key = invoice_key("inv-001", exporter)
    assert finance.invoiceKey(exporter, invoice_number(written)) == key
    first = ask(export(), number="inv-001")
    finance.approveFinancing(first, ADVANCE, {"from": bocom})
    other = export()

    with unchanged([key]), reverts_with("TradeFinanceInvoiceAlreadyFinanced"):
        ask(other, bank=ICBC_ID, number=written)
    assert finance.invoiceFinancing(key) == first


def test_another_sellers_invoice_of_the_same_number_is_another_invoice(
    finance, export, ask, bocom, icbc, exporter, exporter2
):
    first = ask(export(), number="INV-001")
    finance.approveFinancing(first, ADVANCE, {"from": bocom})

    second = ask(export(trader=exporter2), bank=ICBC_ID, number="INV-001", by=exporter2)
    finance.approveFinancing(second, ADVANCE, {"from": icbc})

    assert finance.invoiceFinancing(invoice_key("INV-001", exporter)) == first
    assert finance.invoiceFinancing(invoice_key("INV-001", exporter2)) == second
    assert invoice_key("INV-001", exporter) != invoice_key("INV-001", exporter2)


def test_attack_a_signed_request_for_a_financed_invoice_is_refused(
    finance, export, ask, offer, sign, unchanged, bocom, icbc, exporter
):
    number = clean_number("INV-SIGNED-", exporter)
    key = invoice_key(number, exporter)
    first = ask(export(), number=number)
    finance.approveFinancing(first, ADVANCE, {"from": bocom})
    request = offer(export(), number=number.lower(), inv=invoice("resalted", salt="new"))

    with (
        unchanged([key]),
        reverts_with("TradeFinanceInvoiceAlreadyFinanced", as_printed(key), first),
    ):
        finance.financeWithSignature(request, sign(request), {"from": icbc})


# -------------------------------------------------- a declaration's value, across credits


def test_attack_an_export_paid_in_full_under_a_credit_cannot_then_be_financed(
    finance, clearance, lc, export, ask, offer, sign, shipped_credit, present, unchanged,
    full_ratio, bocom, icbc,
):  # fmt: skip
    declaration_id = export()  # 100,000.00 CNY
    credit_id = shipped_credit(declaration_id, VALUE, SIGHT)
    presentation_id = present(credit_id, declaration_id, VALUE)
    lc.honour(credit_id, presentation_id, {"from": bocom})
    assert clearance.summaryOf(declaration_id)["consumed"] == VALUE
    assert finance.remainingOf(declaration_id) == 0
    # The exporter now asks a bank to finance the receivable the credit has paid.
    financing_id = ask(declaration_id, receivable=VALUE)
    request = offer(declaration_id, amount=1)

    with unchanged():
        with reverts_with("TradeFinanceExceedsRemaining", declaration_id, 1, 0):
            finance.approveFinancing(financing_id, 1, {"from": bocom})
        with reverts_with("TradeFinanceExceedsRemaining", declaration_id, 1, 0):
            finance.financeWithSignature(request, sign(request), {"from": icbc})
    assert ints(finance.declarationBookOf(declaration_id)) == (0, 0, 0, 0, 0, VALUE)


def test_attack_an_export_financed_at_80_percent_cannot_be_presented_beyond_the_rest(
    finance, clearance, export, ask, shipped_credit, present, unchanged, bocom
):
    declaration_id = export()
    finance.approveFinancing(ask(declaration_id), ADVANCE, {"from": bocom})
    over = shipped_credit(declaration_id, VALUE * 3 // 10, SIGHT)  # 30 %: 10 % too much

    with (
        unchanged(),
        reverts_with("CustomsValueExhausted", declaration_id, VALUE * 3 // 10, VALUE // 5),
    ):
        present(over, declaration_id, VALUE * 3 // 10)

    rest = shipped_credit(declaration_id, VALUE // 5, SIGHT)  # the 20 % never financed
    present(rest, declaration_id, VALUE // 5)
    assert clearance.summaryOf(declaration_id)["consumed"] == VALUE
    assert finance.remainingOf(declaration_id) == 0
    assert finance.declarationBookOf(declaration_id)[5] == VALUE


def test_a_credit_for_part_of_an_export_and_a_financing_of_the_rest_share_its_value(
    finance, clearance, lc, export, ask, shipped_credit, present, unchanged, full_ratio,
    bocom, icbc,
):  # fmt: skip
    declaration_id = export()
    credit_id = shipped_credit(declaration_id, VALUE * 4 // 10, SIGHT)
    lc.honour(credit_id, present(credit_id, declaration_id, VALUE * 4 // 10), {"from": bocom})
    financing_id = ask(declaration_id, bank=ICBC_ID, receivable=VALUE * 6 // 10)
    assert finance.remainingOf(declaration_id) == VALUE * 6 // 10

    tx = finance.approveFinancing(financing_id, VALUE * 6 // 10, {"from": icbc})

    assert tx.events["FinancingApproved"]["declarationConsumed"] == VALUE
    assert clearance.summaryOf(declaration_id)["consumed"] == VALUE
    again = ask(declaration_id, bank=BOCOM_ID)
    with unchanged(), reverts_with("TradeFinanceExceedsRemaining", declaration_id, 1, 0):
        finance.approveFinancing(again, 1, {"from": bocom})


# ------------------------------------------------------- a credit claim, financed as drawn


@pytest.fixture
def claim(export, drawing):
    """(declaration id, credit id, drawing id): a deferred drawing of half the value of a
    released export, payable to the exporter in 30 days."""
    declaration_id = export()
    credit_id, drawing_id = drawing(declaration_id, amount=VALUE // 2, form=DEFERRED, tenor=30)
    return declaration_id, credit_id, drawing_id


def test_a_loan_against_a_claim_uses_no_more_of_the_declaration_and_is_booked_on_it(
    finance, clearance, lc, claim, exporter, icbc
):
    declaration_id, credit_id, drawing_id = claim
    financing_id = finance.requestFinancingAgainstCredit(
        declaration_id, ICBC_ID, invoice_number("LC-1"), invoice("lc 1"), credit_id, drawing_id,
        {"from": exporter},
    ).return_value  # fmt: skip
    lc.transferClaim(credit_id, drawing_id, finance, {"from": exporter})
    loan = VALUE // 2 * 8 // 10

    tx = finance.approveFinancing(financing_id, loan, {"from": icbc})

    assert "DeclarationValueConsumed" not in tx.events  # the presentation used it already
    assert clearance.summaryOf(declaration_id)["consumed"] == VALUE // 2
    assert tx.events["FinancingApproved"]["declarationConsumed"] == VALUE // 2
    assert ints(finance.declarationBookOf(declaration_id)) == (loan, 0, loan, 0, 0, VALUE // 2)
    assert finance.remainingOf(declaration_id) == VALUE // 2  # never presented, never financed


def test_a_discounted_claim_uses_no_more_of_the_declaration_and_is_booked_on_it(
    finance, clearance, lc, claim, exporter, icbc
):
    declaration_id, credit_id, drawing_id = claim
    price = VALUE // 2 * 97 // 100
    finance.requestDiscount(
        declaration_id, ICBC_ID, invoice_number("LC-2"), invoice("lc 2"), credit_id, drawing_id,
        price, {"from": exporter},
    )  # fmt: skip
    lc.transferClaim(credit_id, drawing_id, finance, {"from": exporter})

    tx = finance.discount(credit_id, drawing_id, price, {"from": icbc})

    assert "DeclarationValueConsumed" not in tx.events
    assert clearance.summaryOf(declaration_id)["consumed"] == VALUE // 2
    assert ints(finance.declarationBookOf(declaration_id)) == (price, 0, price, 0, 0, VALUE // 2)
    assert ints(finance.bankBookOf(ICBC_ID))[:3] == (price, 0, price)


def test_attack_a_claim_cannot_be_financed_as_another_declarations(
    finance, export, claim, unchanged, exporter
):
    declaration_id, credit_id, drawing_id = claim
    other = export()  # the exporter's other export, with value left to book a loan on

    with unchanged():
        with reverts_with(
            "TradeFinanceClaimOfOtherDeclaration", credit_id, drawing_id, declaration_id
        ):
            finance.requestFinancingAgainstCredit(
                other, ICBC_ID, invoice_number("LC-3"), invoice("lc 3"), credit_id, drawing_id,
                {"from": exporter},
            )  # fmt: skip
        with reverts_with(
            "TradeFinanceClaimOfOtherDeclaration", credit_id, drawing_id, declaration_id
        ):
            finance.requestDiscount(
                other, ICBC_ID, invoice_number("LC-3"), invoice("lc 3"), credit_id, drawing_id,
                1, {"from": exporter},
            )  # fmt: skip


def test_attack_a_financed_claim_backs_no_second_financing(
    finance, lc, claim, unchanged, exporter, icbc
):
    declaration_id, credit_id, drawing_id = claim
    financing_id = finance.requestFinancingAgainstCredit(
        declaration_id, ICBC_ID, invoice_number("LC-4"), invoice("lc 4"), credit_id, drawing_id,
        {"from": exporter},
    ).return_value  # fmt: skip
    lc.transferClaim(credit_id, drawing_id, finance, {"from": exporter})
    finance.approveFinancing(financing_id, VALUE // 4, {"from": icbc})
    assert finance.financingOf(financing_id)["status"] == ACTIVE

    with unchanged(), reverts_with("TradeFinanceNotPayee", credit_id, drawing_id, finance):
        finance.requestDiscount(
            declaration_id, BOCOM_ID, invoice_number("LC-5"), invoice("lc 5"), credit_id,
            drawing_id, 1, {"from": exporter},
        )  # fmt: skip
