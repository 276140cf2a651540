"""An exporter's request for financing: who may ask, against what, and how it ends unfinanced."""

import pytest

from tests.finance.support import (
    CANCELLED,
    DAY,
    DECLINED,
    REQUESTED,
    VALUE,
    as_printed,
    invoice,
    invoice_key,
    invoice_number,
    latest_time,
)
from tests.helpers import (
    BOCOM_ID,
    CUSTOMS_ID,
    ICBC_ID,
    IMPORT,
    ZERO32,
    hexstr,
    lodge,
    reverts_with,
)

NUMBER = invoice_number("INV-REQ-0001")
INVOICE = invoice("request")


def test_an_exporter_requests_financing_of_a_released_export(finance, export, exporter):
    declaration_id = export()
    due = latest_time() + 90 * DAY

    tx = finance.requestFinancing(
        declaration_id, BOCOM_ID, NUMBER, INVOICE, VALUE, due, {"from": exporter}
    )

    financing_id = tx.return_value
    f = finance.financingOf(financing_id)
    assert f["exporter"] == exporter
    assert f["bank"] == BOCOM_ID
    assert f["status"] == REQUESTED
    assert f["receivable"] == VALUE
    assert f["amount"] == 0
    assert f["declarationId"] == declaration_id
    assert f["dueDate"] == due
    assert f["approvedAt"] == 0
    key = invoice_key("INV-REQ-0001", exporter)
    assert finance.requestedInvoiceOf(financing_id) == key
    assert finance.invoiceKey(exporter, NUMBER) == key
    assert finance.invoiceFinancing(key) == 0  # registered when a bank finances it
    event = tx.events["FinancingRequested"]
    assert event["id"] == financing_id and event["declarationId"] == declaration_id
    assert event["invoiceKey"] == key and event["invoiceCommitment"] == INVOICE
    assert not event["discount"]
    assert finance.financedOf(declaration_id) == 0


@pytest.mark.parametrize("who", ["importer", "bocom", "customs", "outsider"])
def test_only_a_registered_exporter_requests(finance, export, unchanged, who, request):
    caller = request.getfixturevalue(who)
    declaration_id = export()
    due = latest_time() + 90 * DAY

    with unchanged(), reverts_with("TradeFinanceNotExporter", caller):
        finance.requestFinancing(
            declaration_id, BOCOM_ID, NUMBER, INVOICE, VALUE, due, {"from": caller}
        )


def test_an_exporter_cannot_request_against_another_exporters_declaration(
    finance, export, unchanged, exporter, exporter2
):
    declaration_id = export()
    due = latest_time() + 90 * DAY

    with unchanged(), reverts_with("TradeFinanceNotTrader", declaration_id, exporter):
        finance.requestFinancing(
            declaration_id, BOCOM_ID, NUMBER, INVOICE, VALUE, due, {"from": exporter2}
        )


@pytest.mark.parametrize("bank", [0, CUSTOMS_ID, 99])
def test_a_request_to_anything_but_an_active_commercial_bank_is_refused(
    finance, export, unchanged, exporter, bank
):
    declaration_id = export()
    due = latest_time() + 90 * DAY

    with unchanged(), reverts_with("TradeFinanceUnknownBank", bank):
        finance.requestFinancing(
            declaration_id, bank, NUMBER, INVOICE, VALUE, due, {"from": exporter}
        )


def test_bad_amounts_dates_and_invoices_are_refused(finance, export, unchanged, exporter):
    declaration_id = export()
    due = latest_time() + 90 * DAY
    sender = {"from": exporter}

    with unchanged():
        with reverts_with("TradeFinanceZeroAmount"):
            finance.requestFinancing(declaration_id, BOCOM_ID, NUMBER, INVOICE, 0, due, sender)
        with reverts_with("TradeFinanceAmountTooLarge", 2**56):
            finance.requestFinancing(declaration_id, BOCOM_ID, NUMBER, INVOICE, 2**56, due, sender)
        with reverts_with("TradeFinanceBadDueDate", latest_time() - 1):
            finance.requestFinancing(
                declaration_id, BOCOM_ID, NUMBER, INVOICE, VALUE, latest_time() - 1, sender
            )
        with reverts_with("TradeFinanceMissingInvoice"):
            finance.requestFinancing(
                declaration_id, BOCOM_ID, NUMBER, "0x" + "00" * 32, VALUE, due, sender
            )
        with reverts_with("DocumentKeysEmptyNumber"):
            finance.requestFinancing(declaration_id, BOCOM_ID, ZERO32, INVOICE, VALUE, due, sender)
        with reverts_with("DocumentKeysEmptyNumber"):
            blank = hexstr(b" -./".ljust(32, b"\0"))  # separators only
            finance.requestFinancing(declaration_id, BOCOM_ID, blank, INVOICE, VALUE, due, sender)
        bad = hexstr(b"INV#1".ljust(32, b"\0"))
        with reverts_with("DocumentKeysBadCharacter", as_printed(bad), 3):
            finance.requestFinancing(declaration_id, BOCOM_ID, bad, INVOICE, VALUE, due, sender)


def test_unknown_unreleased_and_import_declarations_are_refused(
    finance, clearance, export, unchanged, declarant, exporter, importer
):
    due = latest_time() + 90 * DAY
    lodged = lodge(clearance, declarant, exporter)
    imported = lodge(clearance, declarant, importer, IMPORT)
    sender = {"from": exporter}

    with unchanged():
        with reverts_with("TradeFinanceUnknownDeclaration", 999):
            finance.requestFinancing(999, BOCOM_ID, NUMBER, INVOICE, VALUE, due, sender)
        with reverts_with("TradeFinanceUnknownDeclaration", 2**48):
            finance.requestFinancing(2**48, BOCOM_ID, NUMBER, INVOICE, VALUE, due, sender)
        with reverts_with("TradeFinanceDeclarationNotReleased", lodged, 1):
            finance.requestFinancing(lodged, BOCOM_ID, NUMBER, INVOICE, VALUE, due, sender)
        with reverts_with("TradeFinanceDeclarationNotExport", imported):
            finance.requestFinancing(imported, BOCOM_ID, NUMBER, INVOICE, VALUE, due, sender)


def test_the_exporter_cancels_its_request(finance, export, ask, exporter):
    financing_id = ask(export())

    tx = finance.cancelRequest(financing_id, {"from": exporter})

    assert finance.financingOf(financing_id)["status"] == CANCELLED
    assert finance.requestedInvoiceOf(financing_id) == ZERO32
    assert tx.events["FinancingCancelled"]["id"] == financing_id


@pytest.mark.parametrize("who", ["exporter2", "bocom", "importer"])
def test_only_the_requesting_exporter_cancels(finance, export, ask, unchanged, who, request):
    caller = request.getfixturevalue(who)
    financing_id = ask(export())

    with unchanged(), reverts_with("TradeFinanceNotRequester", financing_id, caller):
        finance.cancelRequest(financing_id, {"from": caller})


def test_the_requested_bank_declines(finance, export, ask, bocom):
    financing_id = ask(export())

    tx = finance.declineRequest(financing_id, {"from": bocom})

    assert finance.financingOf(financing_id)["status"] == DECLINED
    assert finance.requestedInvoiceOf(financing_id) == ZERO32
    assert tx.events["FinancingDeclined"]["bank"] == BOCOM_ID


@pytest.mark.parametrize("who", ["icbc", "exporter", "pboc", "outsider"])
def test_only_the_requested_bank_declines(finance, export, ask, unchanged, who, request):
    caller = request.getfixturevalue(who)
    financing_id = ask(export())

    with unchanged(), reverts_with("TradeFinanceNotLender", financing_id, caller):
        finance.declineRequest(financing_id, {"from": caller})


def test_a_closed_request_cannot_be_cancelled_or_declined_again(
    finance, export, ask, unchanged, exporter, bocom
):
    cancelled = ask(export())
    finance.cancelRequest(cancelled, {"from": exporter})
    declined = ask(export())
    finance.declineRequest(declined, {"from": bocom})

    with unchanged():
        with reverts_with("TradeFinanceWrongStatus", cancelled, CANCELLED):
            finance.cancelRequest(cancelled, {"from": exporter})
        with reverts_with("TradeFinanceWrongStatus", declined, DECLINED):
            finance.declineRequest(declined, {"from": bocom})
        with reverts_with("TradeFinanceUnknownFinancing", 99):
            finance.cancelRequest(99, {"from": exporter})


def test_a_declined_invoice_may_be_offered_to_another_bank(
    finance, export, ask, bocom, icbc, exporter
):
    declaration_id = export()
    first = ask(declaration_id, number=NUMBER, inv=INVOICE)
    finance.declineRequest(first, {"from": bocom})

    second = ask(declaration_id, bank=ICBC_ID, number=NUMBER, inv=INVOICE)
    finance.approveFinancing(second, VALUE // 2, {"from": icbc})

    assert finance.invoiceFinancing(invoice_key("INV-REQ-0001", exporter)) == second


def test_no_request_moves_while_the_alliance_is_paused(
    finance, export, ask, unchanged, pause, exporter, bocom
):
    declaration_id = export()
    financing_id = ask(declaration_id)
    due = latest_time() + 90 * DAY
    pause()

    with unchanged():
        with reverts_with("TradeFinancePaused"):
            finance.requestFinancing(
                declaration_id, BOCOM_ID, NUMBER, INVOICE, VALUE, due, {"from": exporter}
            )
        with reverts_with("TradeFinancePaused"):
            finance.cancelRequest(financing_id, {"from": exporter})
        with reverts_with("TradeFinancePaused"):
            finance.declineRequest(financing_id, {"from": bocom})
