"""Financing in one transaction: the exporter signs a request off-chain (EIP-712), the bank
submits it, and the loan is recorded, approved and paid out at once under every rule."""

import pytest
from eth_account.messages import encode_typed_data
from eth_utils import keccak

from tests.finance.signing import typed_data
from tests.finance.support import (
    ACTIVE,
    EUR,
    RATE_SCALE,
    REPAID,
    USD,
    USD_RATE,
    VALUE,
    as_printed,
    cny_value,
    consumption,
    ints,
    invoice,
    latest_time,
    today,
)
from tests.helpers import BOCOM_ID, ICBC_ID, IMPORT, ZERO32, ZERO_ADDRESS, lodge, reverts_with

HALF = VALUE // 2


def _finance(finance, request, signature, amount=HALF, by=None):
    return finance.financeWithSignature(request, amount, signature, {"from": by})


@pytest.fixture
def full_ratio(finance, bocom, icbc, ccb):
    for bank in (bocom, icbc, ccb):
        finance.setAdvanceRatio(10_000, {"from": bank})


def test_a_bank_finances_a_signed_request_in_one_transaction(
    finance, token, export, offer, sign, icbc, exporter
):
    declaration_id = export()
    request = offer(declaration_id)
    count = finance.financingCount()
    bank_before, exporter_before = token.balanceOf(icbc), token.balanceOf(exporter)

    tx = _finance(finance, request, sign(request), by=icbc)

    financing_id = tx.return_value
    assert financing_id == count + 1 == finance.financingCount()
    f = finance.financingOf(financing_id)
    assert f["exporter"] == exporter and f["bank"] == ICBC_ID and f["status"] == ACTIVE
    assert f["amount"] == HALF and f["receivable"] == VALUE and f["repaid"] == 0
    assert f["declarationId"] == declaration_id and f["dueDate"] == request[4]
    assert not f["discount"] and not f["claimHeld"]
    assert finance.requestedInvoiceOf(financing_id) == ZERO32  # never a pending request
    assert finance.invoiceFinancing(request[2]) == financing_id
    assert token.balanceOf(icbc) == bank_before - HALF
    assert token.balanceOf(exporter) == exporter_before + HALF
    assert ints(finance.declarationBookOf(declaration_id)) == (HALF, 0, HALF, 0, 0, HALF)
    assert ints(finance.bankBookOf(ICBC_ID)) == (HALF, 0, HALF, 0, 0)
    assert ints(finance.exporterBookOf(exporter)) == (HALF, 0, HALF, 0, 0)
    requested = tx.events["FinancingRequested"]
    assert requested["id"] == financing_id and requested["exporter"] == exporter
    assert requested["invoice"] == request[2] and requested["receivable"] == VALUE
    approved = tx.events["FinancingApproved"]
    assert approved["id"] == financing_id and approved["operator"] == icbc
    assert approved["amount"] == HALF and approved["rate"] == RATE_SCALE
    assert approved["day"] == today() and approved["declarationFinanced"] == HALF


def test_the_contract_computes_the_digest_wallets_sign(finance, export, offer):
    request = offer(export())

    digest = finance.financingRequestDigest(request)

    signable = encode_typed_data(full_message=typed_data(finance, request))
    assert bytes(digest) == keccak(b"\x19" + signable.version + signable.header + signable.body)


def test_a_replayed_signature_is_refused(finance, export, offer, sign, unchanged, icbc):
    request = offer(export(), inv=invoice("replay"))  # no comma in its printed bytes
    signature = sign(request)
    financing_id = _finance(finance, request, signature, by=icbc).return_value

    with (
        unchanged([request[2]]),
        reverts_with("TradeFinanceInvoiceAlreadyFinanced", as_printed(request[2]), financing_id),
    ):
        _finance(finance, request, signature, by=icbc)


def test_a_signed_invoice_financed_before_in_two_steps_is_refused(
    finance, export, ask, offer, sign, unchanged, bocom, icbc
):
    used = invoice("replay 2")  # no comma in its printed bytes
    financing_id = ask(export(), inv=used)
    finance.approveFinancing(financing_id, HALF, {"from": bocom})
    request = offer(export(), inv=used)

    with (
        unchanged([used]),
        reverts_with("TradeFinanceInvoiceAlreadyFinanced", as_printed(used), financing_id),
    ):
        _finance(finance, request, sign(request), by=icbc)


@pytest.mark.parametrize("who", ["exporter2", "importer", "icbc", "outsider"])
def test_a_signature_by_anyone_but_the_declarations_trader_is_refused(
    finance, export, offer, sign, unchanged, icbc, who, request
):
    signer = request.getfixturevalue(who)
    declaration_id = export()
    financing_request = offer(declaration_id)

    with unchanged(), reverts_with("TradeFinanceBadSignature", declaration_id, signer):
        _finance(finance, financing_request, sign(financing_request, signer), by=icbc)


def test_a_signature_of_other_terms_is_refused(finance, export, offer, sign, unchanged, icbc):
    declaration_id = export()
    signed = offer(declaration_id)
    altered = signed[:3] + (2 * VALUE,) + signed[4:]  # a larger receivable than signed

    with unchanged(), reverts_with("TradeFinanceBadSignature", declaration_id):
        _finance(finance, altered, sign(signed), by=icbc)


def test_a_malformed_signature_is_refused(finance, export, offer, unchanged, icbc):
    declaration_id = export()

    with unchanged(), reverts_with("TradeFinanceBadSignature", declaration_id, ZERO_ADDRESS):
        _finance(finance, offer(declaration_id), "0x" + "00" * 65, by=icbc)


def test_an_expired_request_is_refused(finance, export, offer, sign, unchanged, icbc):
    deadline = latest_time() - 1
    request = offer(export(), deadline=deadline)

    with unchanged(), reverts_with("TradeFinanceRequestExpired", deadline):
        _finance(finance, request, sign(request), by=icbc)


@pytest.mark.parametrize("who", ["bocom", "ccb", "exporter", "pboc", "customs", "outsider"])
def test_only_an_operator_of_the_named_bank_submits(
    finance, export, offer, sign, unchanged, who, request
):
    caller = request.getfixturevalue(who)
    financing_request = offer(export(), bank=ICBC_ID)

    with unchanged(), reverts_with("TradeFinanceNotRequestedBank", ICBC_ID, caller):
        _finance(finance, financing_request, sign(financing_request), by=caller)


def test_a_suspended_exporter_is_not_financed(
    finance, registry, export, offer, sign, unchanged, customs, icbc, exporter
):
    request = offer(export())
    registry.suspendParticipant(exporter, {"from": customs})

    with unchanged(), reverts_with("TradeFinanceNotExporter", exporter):
        _finance(finance, request, sign(request), by=icbc)


def test_unknown_unreleased_and_import_declarations_are_refused(
    finance, clearance, offer, sign, unchanged, declarant, exporter, importer, icbc
):
    lodged = lodge(clearance, declarant, exporter)
    imported = lodge(clearance, declarant, importer, IMPORT)
    cases = [
        (999, "TradeFinanceUnknownDeclaration", (999,)),
        (lodged, "TradeFinanceDeclarationNotReleased", (lodged, 1)),
        (imported, "TradeFinanceDeclarationNotExport", (imported,)),
    ]

    with unchanged():
        for declaration_id, error, args in cases:
            request = offer(declaration_id)
            with reverts_with(error, *args):
                _finance(finance, request, sign(request), by=icbc)


def test_flagged_and_audited_declarations_are_refused(
    finance, clearance, export, offer, sign, unchanged, customs, icbc
):
    flagged, audited = export(), export()
    clearance.openAudit(flagged, {"from": customs})
    clearance.closeAudit(flagged, True, invoice("findings"), {"from": customs})
    clearance.openAudit(audited, {"from": customs})

    with unchanged():
        for declaration_id, error in [
            (flagged, "TradeFinanceDeclarationFlagged"),
            (audited, "TradeFinanceDeclarationUnderAudit"),
        ]:
            request = offer(declaration_id)
            with reverts_with(error, declaration_id):
                _finance(finance, request, sign(request), by=icbc)


def test_bad_amounts_dates_and_invoices_are_refused(finance, export, offer, sign, unchanged, icbc):
    declaration_id = export()
    past = latest_time() - 1
    cases = [
        (offer(declaration_id, receivable=0), HALF, "TradeFinanceZeroAmount", ()),
        (offer(declaration_id, receivable=2**64), HALF, "TradeFinanceAmountTooLarge", (2**64,)),
        (offer(declaration_id, due=past), HALF, "TradeFinanceBadDueDate", (past,)),
        (offer(declaration_id, inv="0x" + "00" * 32), HALF, "TradeFinanceMissingInvoice", ()),
        (offer(declaration_id), 0, "TradeFinanceZeroAmount", ()),
    ]

    with unchanged():
        for request, amount, error, args in cases:
            with reverts_with(error, *args):
                _finance(finance, request, sign(request), amount=amount, by=icbc)


def test_more_than_the_advance_ratio_is_refused(finance, export, offer, sign, unchanged, icbc):
    request = offer(export(), receivable=HALF)
    limit = HALF * 8 // 10
    next_id = finance.financingCount() + 1

    with unchanged(), reverts_with("TradeFinanceAboveLimit", next_id, limit + 1, limit):
        _finance(finance, request, sign(request), amount=limit + 1, by=icbc)


def test_the_declaration_cap_holds_across_both_paths_and_all_banks(
    finance, export, ask, offer, sign, unchanged, full_ratio, bocom, icbc
):
    declaration_id = export()
    finance.approveFinancing(ask(declaration_id), VALUE * 3 // 4, {"from": bocom})
    left = VALUE // 4
    request = offer(declaration_id)

    with (
        unchanged([request[2]]),
        reverts_with("TradeFinanceExceedsRemaining", declaration_id, left + 1, left),
    ):
        _finance(finance, request, sign(request), amount=left + 1, by=icbc)
    _finance(finance, request, sign(request), amount=left, by=icbc)
    assert finance.financedOf(declaration_id) == VALUE
    assert finance.remainingOf(declaration_id) == 0
    assert (
        finance.bankBookOf(ICBC_ID)[0] == left and finance.bankBookOf(BOCOM_ID)[0] == VALUE - left
    )


def test_a_foreign_currency_declaration_is_converted_at_the_days_rate(
    finance, export, offer, sign, full_ratio, pboc, icbc
):
    declaration_id = export(currency=USD)
    finance.setReferenceRate(USD, today(), USD_RATE, {"from": pboc})
    worth = cny_value(VALUE, USD_RATE)
    request = offer(declaration_id, receivable=worth)

    tx = _finance(finance, request, sign(request), amount=worth // 3, by=icbc)

    assert tx.events["FinancingApproved"]["rate"] == USD_RATE
    consumed = consumption(worth // 3, USD_RATE)
    assert finance.declarationBookOf(declaration_id)[5] == consumed
    assert finance.remainingOf(declaration_id) == cny_value(VALUE - consumed, USD_RATE)


def test_a_foreign_currency_declaration_without_the_days_rate_is_refused(
    finance, export, offer, sign, unchanged, icbc
):
    request = offer(export(currency=EUR))

    with unchanged(), reverts_with("TradeFinanceNoReferenceRate", as_printed(EUR), today()):
        _finance(finance, request, sign(request), by=icbc)


def test_a_bank_without_the_tokens_cannot_pay_out_and_nothing_changes(
    finance, token, export, offer, sign, unchanged, icbc
):
    request = offer(export())
    token.approve(finance, 0, {"from": icbc})

    with unchanged([request[2]]), reverts_with("ERC20InsufficientAllowance"):
        _finance(finance, request, sign(request), by=icbc)


def test_nothing_is_financed_while_the_alliance_is_paused(
    finance, export, offer, sign, unchanged, pause, icbc
):
    request = offer(export())
    pause()

    with unchanged(), reverts_with("TradeFinancePaused"):
        _finance(finance, request, sign(request), by=icbc)


def test_a_signed_financing_is_repaid_like_any_other(
    finance, token, export, offer, sign, icbc, importer, exporter
):
    request = offer(export())
    financing_id = _finance(finance, request, sign(request), by=icbc).return_value
    bank_before = token.balanceOf(icbc)

    finance.repay(financing_id, HALF, {"from": importer})

    assert finance.financingOf(financing_id)["status"] == REPAID
    assert token.balanceOf(icbc) == bank_before + HALF
    assert ints(finance.exporterBookOf(exporter)) == (HALF, HALF, 0, 0, 0)


def test_an_exporter_with_a_local_key_signs_too(finance, export, offer, sign, icbc, exporter2):
    declaration_id = export(trader=exporter2)
    request = offer(declaration_id)

    tx = _finance(finance, request, sign(request, exporter2), by=icbc)

    assert finance.financingOf(tx.return_value)["exporter"] == exporter2
    assert finance.financedOf(declaration_id) == HALF
