"""Financing in one transaction: the exporter signs a request off-chain (EIP-712), the bank
submits it, and the loan is recorded, approved and paid out at once under every rule."""

import pytest
from brownie import web3
from eth_account.messages import encode_typed_data
from eth_utils import keccak

from eport import signing
from eport.errors import EportError
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
    clean_number,
    cny_value,
    consumption,
    ints,
    invoice,
    invoice_key,
    latest_time,
    today,
)
from tests.helpers import BOCOM_ID, ICBC_ID, IMPORT, ZERO32, ZERO_ADDRESS, lodge, reverts_with

HALF = VALUE // 2
# FinancingRequest fields, by position
DECLARATION, BANK, NUMBER, COMMITMENT, RECEIVABLE, AMOUNT, DUE, DEADLINE = range(8)


def _finance(finance, request, signature, by=None):
    return finance.financeWithSignature(request, signature, {"from": by})


def _with(request, field, value):
    """`request` with one field changed."""
    return request[:field] + (value,) + request[field + 1 :]


def _key(request, seller) -> str:
    return str(invoice_key(bytes.fromhex(str(request[NUMBER])[2:]).rstrip(b"\0").decode(), seller))


def _clean_digest(finance, request):
    """`request` with its commitment re-salted until its digest prints without a comma (in a
    decoded revert message `reverts_with` splits the arguments on commas)."""
    for salt in range(100):
        candidate = _with(request, COMMITMENT, invoice(f"clean {salt}", salt=str(salt)))
        digest = finance.financingRequestDigest(candidate)
        if "," not in as_printed(digest):
            return candidate, digest
    raise AssertionError("no comma-free digest found")


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
    assert f["declarationId"] == declaration_id and f["dueDate"] == request[DUE]
    assert f["approvedAt"] == tx.timestamp
    assert not f["discount"] and not f["claimHeld"]
    assert finance.requestedInvoiceOf(financing_id) == ZERO32  # never a pending request
    key = _key(request, exporter)
    assert finance.invoiceFinancing(key) == financing_id
    assert token.balanceOf(icbc) == bank_before - HALF
    assert token.balanceOf(exporter) == exporter_before + HALF
    assert ints(finance.declarationBookOf(declaration_id)) == (HALF, 0, HALF, 0, 0, HALF)
    assert ints(finance.bankBookOf(ICBC_ID)) == (HALF, 0, HALF, 0, 0)
    assert ints(finance.exporterBookOf(exporter)) == (HALF, 0, HALF, 0, 0)
    requested = tx.events["FinancingRequested"]
    assert requested["id"] == financing_id and requested["exporter"] == exporter
    assert requested["invoiceKey"] == key and requested["invoiceCommitment"] == request[COMMITMENT]
    assert requested["receivable"] == VALUE
    approved = tx.events["FinancingApproved"]
    assert approved["id"] == financing_id and approved["operator"] == icbc
    assert approved["amount"] == HALF and approved["rate"] == RATE_SCALE
    assert approved["day"] == today() and approved["declarationFinanced"] == HALF


def test_the_contract_computes_the_digest_wallets_sign(finance, export, offer):
    request = offer(export())

    digest = finance.financingRequestDigest(request)

    signable = encode_typed_data(full_message=typed_data(finance, request))
    assert bytes(digest) == keccak(b"\x19" + signable.version + signable.header + signable.body)


def test_a_replayed_signature_is_refused(finance, export, offer, sign, unchanged, icbc, exporter):
    request = offer(export(), number=clean_number("INV-REPLAY-", exporter))
    key = _key(request, exporter)
    signature = sign(request)
    financing_id = _finance(finance, request, signature, by=icbc).return_value

    with (
        unchanged([key]),
        reverts_with("TradeFinanceInvoiceAlreadyFinanced", as_printed(key), financing_id),
    ):
        _finance(finance, request, signature, by=icbc)


def test_a_signed_invoice_financed_before_in_two_steps_is_refused(
    finance, export, ask, offer, sign, unchanged, bocom, icbc, exporter
):
    number = clean_number("INV-REPLAY-TWO-", exporter)
    key = invoice_key(number, exporter)
    financing_id = ask(export(), number=number)
    finance.approveFinancing(financing_id, HALF, {"from": bocom})
    request = offer(export(), number=number)  # the same invoice, newly salted

    with (
        unchanged([key]),
        reverts_with("TradeFinanceInvoiceAlreadyFinanced", as_printed(key), financing_id),
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


@pytest.mark.parametrize(
    "field, value",
    [
        (RECEIVABLE, 2 * VALUE),  # a larger receivable than signed
        (DUE, 10**10),  # another due date
        (COMMITMENT, invoice("other contents")),
    ],
)
def test_a_signature_of_other_terms_is_refused(
    finance, export, offer, sign, unchanged, icbc, field, value
):
    declaration_id = export()
    signed = offer(declaration_id)

    with unchanged(), reverts_with("TradeFinanceBadSignature", declaration_id):
        _finance(finance, _with(signed, field, value), sign(signed), by=icbc)


def test_attack_a_bank_cannot_lend_more_than_the_exporter_signed_for(
    finance, export, offer, sign, unchanged, full_ratio, icbc, exporter
):
    # The exporter agrees to borrow 80 % of its receivable; the bank (whose ratio now allows
    # 100 %) submits the signature with the whole receivable as the amount.
    declaration_id = export()
    signed = offer(declaration_id, receivable=VALUE, amount=VALUE * 8 // 10)
    key = _key(signed, exporter)

    with unchanged([key]), reverts_with("TradeFinanceBadSignature", declaration_id):
        _finance(finance, _with(signed, AMOUNT, VALUE), sign(signed), by=icbc)

    tx = _finance(finance, signed, sign(signed), by=icbc)
    assert tx.events["FinancingApproved"]["amount"] == VALUE * 8 // 10


def test_attack_a_bank_cannot_use_up_an_invoice_with_a_one_fen_loan(
    finance, export, offer, sign, unchanged, icbc, exporter
):
    declaration_id = export()
    signed = offer(declaration_id, amount=HALF)
    key = _key(signed, exporter)

    with unchanged([key]), reverts_with("TradeFinanceBadSignature", declaration_id):
        _finance(finance, _with(signed, AMOUNT, 1), sign(signed), by=icbc)
    assert finance.invoiceFinancing(key) == 0  # the invoice is still the exporter's to finance


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
        (offer(declaration_id, receivable=0), "TradeFinanceZeroAmount", ()),
        (offer(declaration_id, receivable=2**56), "TradeFinanceAmountTooLarge", (2**56,)),
        (offer(declaration_id, due=past), "TradeFinanceBadDueDate", (past,)),
        (offer(declaration_id, inv="0x" + "00" * 32), "TradeFinanceMissingInvoice", ()),
        (offer(declaration_id, number=ZERO32), "DocumentKeysEmptyNumber", ()),
        (offer(declaration_id, amount=0), "TradeFinanceZeroAmount", ()),
    ]

    with unchanged():
        for request, error, args in cases:
            with reverts_with(error, *args):
                _finance(finance, request, sign(request), by=icbc)


def test_more_than_the_advance_ratio_is_refused(finance, export, offer, sign, unchanged, icbc):
    limit = HALF * 8 // 10
    request = offer(export(), receivable=HALF, amount=limit + 1)
    next_id = finance.financingCount() + 1

    with unchanged(), reverts_with("TradeFinanceAboveLimit", next_id, limit + 1, limit):
        _finance(finance, request, sign(request), by=icbc)


def test_the_declaration_cap_holds_across_both_paths_and_all_banks(
    finance, export, ask, offer, sign, unchanged, full_ratio, bocom, icbc, exporter
):
    declaration_id = export()
    finance.approveFinancing(ask(declaration_id), VALUE * 3 // 4, {"from": bocom})
    left = VALUE // 4
    too_much = offer(declaration_id, amount=left + 1)

    with (
        unchanged([_key(too_much, exporter)]),
        reverts_with("TradeFinanceExceedsRemaining", declaration_id, left + 1, left),
    ):
        _finance(finance, too_much, sign(too_much), by=icbc)
    request = _with(too_much, AMOUNT, left)  # the exporter signs again, for what is left
    _finance(finance, request, sign(request), by=icbc)
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
    request = offer(declaration_id, receivable=worth, amount=worth // 3)

    tx = _finance(finance, request, sign(request), by=icbc)

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
    finance, token, export, offer, sign, unchanged, icbc, exporter
):
    request = offer(export())
    token.approve(finance, 0, {"from": icbc})

    with unchanged([_key(request, exporter)]), reverts_with("ERC20InsufficientAllowance"):
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


# ----------------------------------------------------------------- cancelling a signed request


def test_the_exporter_cancels_a_signed_request_and_no_bank_can_use_it(
    finance, export, offer, sign, unchanged, icbc, exporter
):
    declaration_id = export()
    request, digest = _clean_digest(finance, offer(declaration_id))
    signature = sign(request)

    tx = finance.cancelSignedRequest(request, {"from": exporter})

    assert finance.signedRequestCancelled(digest)
    event = tx.events["SignedRequestCancelled"]
    assert (event["digest"], event["declarationId"], event["exporter"]) == (
        digest,
        declaration_id,
        exporter,
    )
    key = _key(request, exporter)
    with (
        unchanged([key], [digest]),
        reverts_with("TradeFinanceRequestCancelled", as_printed(digest)),
    ):
        _finance(finance, request, signature, by=icbc)
    # The invoice is not used up: the exporter signs a new request for it.
    again = _with(request, AMOUNT, HALF - 1)
    financing_id = _finance(finance, again, sign(again), by=icbc).return_value
    assert finance.invoiceFinancing(key) == financing_id


@pytest.mark.parametrize("who", ["exporter2", "icbc", "importer", "outsider"])
def test_only_the_declarations_exporter_cancels_its_signed_request(
    finance, export, offer, unchanged, who, request, exporter
):
    caller = request.getfixturevalue(who)
    declaration_id = export()
    signed, digest = _clean_digest(finance, offer(declaration_id))

    with (
        unchanged([], [digest]),
        reverts_with("TradeFinanceNotTrader", declaration_id, exporter),
    ):
        finance.cancelSignedRequest(signed, {"from": caller})


def test_a_used_expired_or_cancelled_request_cannot_be_cancelled(
    finance, export, offer, sign, unchanged, icbc, exporter
):
    used = offer(export(), number=clean_number("INV-USED-", exporter))
    financing_id = _finance(finance, used, sign(used), by=icbc).return_value
    deadline = latest_time() - 1
    expired = offer(export(), deadline=deadline)
    cancelled, digest = _clean_digest(finance, offer(export()))
    finance.cancelSignedRequest(cancelled, {"from": exporter})
    sender = {"from": exporter}

    with unchanged([_key(used, exporter)], [digest]):
        with reverts_with(
            "TradeFinanceInvoiceAlreadyFinanced", as_printed(_key(used, exporter)), financing_id
        ):
            finance.cancelSignedRequest(used, sender)
        with reverts_with("TradeFinanceRequestExpired", deadline):
            finance.cancelSignedRequest(expired, sender)
        with reverts_with("TradeFinanceRequestCancelled", as_printed(digest)):
            finance.cancelSignedRequest(cancelled, sender)
        with reverts_with("TradeFinanceUnknownDeclaration", 999):
            finance.cancelSignedRequest(_with(cancelled, DECLARATION, 999), sender)


def test_no_signed_request_is_cancelled_while_the_alliance_is_paused(
    finance, export, offer, unchanged, pause, exporter
):
    request, digest = _clean_digest(finance, offer(export()))
    pause()

    with unchanged([], [digest]), reverts_with("TradeFinancePaused"):
        finance.cancelSignedRequest(request, {"from": exporter})


# ------------------------------------------------------------ the operator tool's requests


def test_a_request_made_and_signed_by_the_operator_tool_is_financed(
    finance, export, icbc, exporter2
):
    declaration_id = export(trader=exporter2)
    now = latest_time()
    request = signing.make_request(
        declarationId=str(declaration_id),
        bank=str(ICBC_ID),
        invoiceNumber="inv 2026/0042",
        invoiceCommitment="invoice INV-2026-0042 salt 9f3c",
        receivable="100000.00",
        amount="50000.00",
        dueDate=str(now + 90 * 86_400),
        deadline=str(now + 86_400),
    )
    assert request["invoiceNumber"] == b"inv 2026/0042".ljust(32, b"\0")  # as printed
    assert request["receivable"] == VALUE and request["amount"] == HALF  # CNY to fen
    signature = signing.sign(exporter2.private_key, web3.eth.chain_id, finance.address, request)
    values = tuple(
        "0x" + v.hex() if isinstance(v, bytes) else v
        for v in (request[f["name"]] for f in signing.request_fields())
    )

    tx = finance.financeWithSignature(values, signature, {"from": icbc})

    assert tx.events["FinancingApproved"]["amount"] == HALF
    key = invoice_key("INV-2026-0042", exporter2)  # one invoice, however it is written
    assert finance.invoiceFinancing(key) == tx.return_value


def test_the_operator_tool_refuses_an_invoice_number_no_register_takes():
    with pytest.raises(EportError, match="invoiceNumber"):
        signing.make_request(
            declarationId="1",
            bank="5",
            invoiceNumber="INV#42",
            invoiceCommitment="contents",
            receivable="1.00",
            amount="1.00",
            dueDate="2030-01-01",
            deadline="2030-01-01",
        )
