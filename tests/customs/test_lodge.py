"""lodge, amend, withdraw and the line-item commitment."""

import pytest
from brownie import chain

from tests.customs.conftest import IMPORT_DUTY
from tests.customs.declarations import (
    ASSESSED,
    CHANNELLED,
    DUTY_SECURED,
    EXPORT,
    EXPORT_ITEMS,
    GREEN,
    IMPORT,
    IMPORT_ITEMS,
    INSPECTED,
    LODGED,
    NO_CHANNEL,
    RED,
    REJECTED,
    RELEASED,
    WITHDRAWN,
    YELLOW,
    commitment,
    content,
    hexstr,
    items_hash,
    line_item,
    record,
)
from tests.helpers import (
    DECLARANT,
    EXPORTER,
    IMPORTER,
    ZERO_ADDRESS,
    new_bill_of_lading,
    reverts_with,
)

# ------------------------------------------------------------------------------------ lodge


def test_a_declarant_lodges_an_import_for_an_importer(clearance, declarant, importer):
    tx = clearance.lodge(IMPORT, importer, content(flow=IMPORT), {"from": declarant})

    assert tx.return_value == 1
    assert clearance.declarationCount() == 1
    r = record(clearance, 1)
    assert r["status"] == LODGED
    assert r["flow"] == IMPORT
    assert r["channel"] == NO_CHANNEL
    assert r["flags"] == 0
    assert r["trader"] == importer
    assert r["declarant"] == declarant
    assert r["currency"] == hexstr(b"EUR")
    assert r["declaredValue"] == sum(item[3] for item in IMPORT_ITEMS)
    assert r["duty"] == 0 and r["assessedAt"] == 0 and r["releasedAt"] == 0
    assert r["consumed"] == 0
    assert r["guarantor"] == ZERO_ADDRESS
    assert r["itemsHash"] == items_hash(IMPORT_ITEMS)


def test_the_summary_shows_status_flow_trader_and_declared_value(clearance, declarant, exporter):
    clearance.lodge(EXPORT, exporter, content(flow=EXPORT), {"from": declarant})

    summary = clearance.summaryOf(1)

    assert summary["status"] == LODGED
    assert summary["flow"] == EXPORT
    assert summary["flagged"] is False
    assert summary["underAudit"] is False
    assert summary["trader"] == exporter
    assert summary["currency"] == hexstr(b"USD")
    assert summary["declaredValue"] == sum(item[3] for item in EXPORT_ITEMS)
    assert summary["consumed"] == 0


def test_declaration_ids_run_from_one(clearance, declare):
    ids = [declare(IMPORT), declare(EXPORT), declare(IMPORT)]

    assert ids == [1, 2, 3]
    assert clearance.declarationCount() == 3


def test_the_lodged_event_carries_the_whole_content(clearance, declarant, exporter):
    lodged = content(flow=EXPORT)

    tx = clearance.lodge(EXPORT, exporter, lodged, {"from": declarant})

    event = tx.events["DeclarationLodged"]
    assert event["id"] == 1
    assert event["trader"] == exporter
    assert event["declarant"] == declarant
    assert event["flow"] == EXPORT
    shipment, valuation, items, documents, per_document = event["content"]
    # Brownie's ReturnValue cannot be compared with a tuple: compare lists.
    assert list(shipment) == list(lodged[0])
    assert list(valuation) == list(lodged[1])
    assert [list(item) for item in items] == [list(item) for item in lodged[2]]
    assert documents == lodged[3]
    assert list(per_document) == lodged[4]


def test_the_stored_commitment_proves_exactly_the_lodged_items(clearance, declare):
    declaration_id = declare(EXPORT)
    altered = [line_item(8471301000, 201, b"PCE", 12_000_000, b"CN"), *EXPORT_ITEMS[1:]]

    assert clearance.hashItems(EXPORT_ITEMS) == items_hash(EXPORT_ITEMS)
    assert clearance.verifyItems(declaration_id, EXPORT_ITEMS) is True
    assert clearance.verifyItems(declaration_id, altered) is False
    assert clearance.verifyItems(declaration_id, EXPORT_ITEMS[:2]) is False


def test_a_trader_who_is_also_a_declarant_declares_for_itself(
    clearance, registry, customs, newcomers
):
    trader = newcomers[1]
    registry.registerParticipant(trader, EXPORTER | DECLARANT, {"from": customs})

    tx = clearance.lodge(EXPORT, trader, content(flow=EXPORT), {"from": trader})

    assert record(clearance, tx.return_value)["declarant"] == trader


def test_fifty_line_items_are_accepted(clearance, declarant, importer):
    items = [line_item(value=1_000 + i) for i in range(50)]

    tx = clearance.lodge(IMPORT, importer, content(items, flow=IMPORT), {"from": declarant})

    assert clearance.verifyItems(tx.return_value, items) is True


@pytest.mark.parametrize(
    "caller", ["exporter", "importer", "carrier", "customs", "bocom", "outsider"]
)
def test_only_a_declarant_lodges(clearance, unchanged, importer, caller, request):
    account = request.getfixturevalue(caller)

    with unchanged(), reverts_with("CustomsMissingRole", account, DECLARANT):
        clearance.lodge(IMPORT, importer, content(flow=IMPORT), {"from": account})


def test_a_suspended_declarant_cannot_lodge(
    clearance, registry, unchanged, customs, declarant, importer
):
    registry.suspendParticipant(declarant, {"from": customs})

    with unchanged(), reverts_with("CustomsMissingRole", declarant, DECLARANT):
        clearance.lodge(IMPORT, importer, content(flow=IMPORT), {"from": declarant})


@pytest.mark.parametrize(
    "flow, trader, role",
    [
        (EXPORT, "importer", EXPORTER),
        (IMPORT, "exporter", IMPORTER),
        (IMPORT, "carrier", IMPORTER),
        (EXPORT, "outsider", EXPORTER),
        (IMPORT, "bocom", IMPORTER),
    ],
)
def test_the_trader_must_hold_the_role_of_the_flow(
    clearance, unchanged, declarant, flow, trader, role, request
):
    account = request.getfixturevalue(trader)

    with unchanged(), reverts_with("CustomsMissingRole", account, role):
        clearance.lodge(flow, account, content(flow=flow), {"from": declarant})


def test_a_suspended_trader_cannot_be_declared_for(
    clearance, registry, unchanged, customs, declarant, importer
):
    registry.suspendParticipant(importer, {"from": customs})

    with unchanged(), reverts_with("CustomsMissingRole", importer, IMPORTER):
        clearance.lodge(IMPORT, importer, content(flow=IMPORT), {"from": declarant})


@pytest.mark.parametrize("delta", [-1, 1, -8_800_000])
def test_line_items_must_add_up_to_the_declared_value(
    clearance, unchanged, declarant, importer, delta
):
    total = sum(item[3] for item in IMPORT_ITEMS)
    bad = content(flow=IMPORT, declared_value=total + delta)

    with unchanged(), reverts_with("CustomsValueMismatch", total, total + delta):
        clearance.lodge(IMPORT, importer, bad, {"from": declarant})


def test_a_declaration_needs_line_items(clearance, unchanged, declarant, importer):
    with unchanged(), reverts_with("CustomsNoLineItems"):
        clearance.lodge(IMPORT, importer, content([], flow=IMPORT), {"from": declarant})


def test_a_declaration_has_at_most_fifty_line_items(clearance, unchanged, declarant, importer):
    items = [line_item() for _ in range(51)]

    with unchanged(), reverts_with("CustomsTooManyLineItems", 51):
        clearance.lodge(IMPORT, importer, content(items, flow=IMPORT), {"from": declarant})


@pytest.mark.parametrize(
    "bad_item",
    [
        line_item(hs_code=0),
        line_item(hs_code=99_999_999),  # chapter 00
        line_item(hs_code=9_801_000_000),  # chapter 98 does not exist
        line_item(hs_code=10_000_000_000),  # 11 digits
        line_item(quantity=0),
    ],
)
def test_each_line_item_needs_a_ten_digit_hs_code_and_a_quantity(
    clearance, unchanged, declarant, importer, bad_item
):
    items = [line_item(), bad_item]

    with unchanged(), reverts_with("CustomsInvalidLineItem", 1):
        clearance.lodge(IMPORT, importer, content(items, flow=IMPORT), {"from": declarant})


def test_a_declaration_needs_a_currency(clearance, unchanged, declarant, importer):
    bad = content(flow=IMPORT, currency=b"\x00\x00\x00")

    with unchanged(), reverts_with("CustomsInvalidCurrency"):
        clearance.lodge(IMPORT, importer, bad, {"from": declarant})


def test_a_declared_value_beyond_96_bits_is_refused(clearance, unchanged, declarant, importer):
    items = [line_item(value=2**95), line_item(value=2**95)]

    with unchanged(), reverts_with("CustomsValueTooLarge", 2**96):
        clearance.lodge(IMPORT, importer, content(items, flow=IMPORT), {"from": declarant})


def test_nothing_is_lodged_while_paused(clearance, unchanged, declarant, importer, pause):
    pause()

    with unchanged(), reverts_with("CustomsPaused"):
        clearance.lodge(IMPORT, importer, content(flow=IMPORT), {"from": declarant})


# ------------------------------------------------------------------------------------ amend


def test_the_declarant_amends_a_lodged_declaration(clearance, declare, declarant):
    bill = new_bill_of_lading()
    declaration_id = declare(IMPORT, bill_of_lading=bill)
    new_items = [*IMPORT_ITEMS[:2], line_item(901210000, 1_300, b"KGM", 975_000, b"BR")]
    amended = content(new_items, flow=IMPORT, currency=b"USD", freight=250_000, bill_of_lading=bill)

    tx = clearance.amend(declaration_id, amended, {"from": declarant})

    r = record(clearance, declaration_id)
    assert r["status"] == LODGED
    assert r["currency"] == hexstr(b"USD")
    assert r["declaredValue"] == sum(item[3] for item in new_items)
    assert clearance.verifyItems(declaration_id, new_items) is True
    assert clearance.verifyItems(declaration_id, IMPORT_ITEMS) is False
    event = tx.events["DeclarationAmended"]
    assert event["id"] == declaration_id
    assert event["declarant"] == declarant
    assert list(event["content"][1]) == list(amended[1])


@pytest.mark.parametrize("caller", ["importer", "customs", "outsider"])
def test_only_the_declarant_of_the_declaration_amends(
    clearance, declare, unchanged, caller, request
):
    declaration_id = declare(IMPORT)
    account = request.getfixturevalue(caller)

    with unchanged(), reverts_with("CustomsNotDeclarant", declaration_id, account):
        clearance.amend(declaration_id, content(flow=IMPORT), {"from": account})


def test_another_declarant_cannot_amend(
    clearance, registry, declare, unchanged, customs, newcomers
):
    declaration_id = declare(IMPORT)
    other = newcomers[1]
    registry.registerParticipant(other, DECLARANT, {"from": customs})

    with unchanged(), reverts_with("CustomsNotDeclarant", declaration_id, other):
        clearance.amend(declaration_id, content(flow=IMPORT), {"from": other})


@pytest.mark.parametrize("status", [CHANNELLED, INSPECTED, ASSESSED, DUTY_SECURED, RELEASED])
def test_a_declaration_cannot_be_amended_after_the_risk_decision(
    clearance, declare, unchanged, declarant, status
):
    declaration_id = declare(IMPORT, to=status, channel=RED)

    with unchanged(), reverts_with("CustomsWrongStatus", declaration_id, status):
        clearance.amend(declaration_id, content(flow=IMPORT), {"from": declarant})


def test_an_amendment_must_still_add_up(clearance, declare, unchanged, declarant):
    declaration_id = declare(IMPORT)
    bad = content(flow=IMPORT, declared_value=1)

    with unchanged(), reverts_with("CustomsValueMismatch", 8_800_000, 1):
        clearance.amend(declaration_id, bad, {"from": declarant})


def test_an_unknown_declaration_cannot_be_amended(clearance, unchanged, declarant):
    with unchanged(), reverts_with("CustomsUnknownDeclaration", 1):
        clearance.amend(1, content(flow=IMPORT), {"from": declarant})


def test_nothing_is_amended_while_paused(clearance, declare, unchanged, declarant, pause):
    declaration_id = declare(IMPORT)
    pause()

    with unchanged(), reverts_with("CustomsPaused"):
        clearance.amend(declaration_id, content(flow=IMPORT), {"from": declarant})


# --------------------------------------------------------------------------------- withdraw


@pytest.mark.parametrize(
    "status, channel",
    [(LODGED, RED), (CHANNELLED, GREEN), (INSPECTED, YELLOW), (INSPECTED, RED), (ASSESSED, GREEN)],
)
def test_the_declarant_withdraws_before_duty_is_secured(
    clearance, declare, declarant, status, channel
):
    declaration_id = declare(IMPORT, to=status, channel=channel)

    tx = clearance.withdraw(declaration_id, {"from": declarant})

    assert clearance.summaryOf(declaration_id)["status"] == WITHDRAWN
    assert tx.events["DeclarationWithdrawn"]["id"] == declaration_id
    assert tx.events["DeclarationWithdrawn"]["declarant"] == declarant


@pytest.mark.parametrize("channel", [YELLOW, RED])
def test_no_withdrawal_while_a_check_is_pending(clearance, declare, unchanged, declarant, channel):
    declaration_id = declare(IMPORT, to=CHANNELLED, channel=channel)

    with unchanged(), reverts_with("CustomsWrongStatus", declaration_id, CHANNELLED):
        clearance.withdraw(declaration_id, {"from": declarant})


def test_no_withdrawal_after_a_failed_check(clearance, declare, unchanged, customs, declarant):
    declaration_id = declare(IMPORT, to=CHANNELLED, channel=YELLOW)
    clearance.recordDocumentCheck(declaration_id, False, commitment("report"), {"from": customs})

    with unchanged(), reverts_with("CustomsWrongStatus", declaration_id, CHANNELLED):
        clearance.withdraw(declaration_id, {"from": declarant})


@pytest.mark.parametrize("status", [DUTY_SECURED, RELEASED])
def test_no_withdrawal_once_duty_is_secured(clearance, declare, unchanged, declarant, status):
    declaration_id = declare(IMPORT, to=status, channel=GREEN)

    with unchanged(), reverts_with("CustomsWrongStatus", declaration_id, status):
        clearance.withdraw(declaration_id, {"from": declarant})


def test_no_withdrawal_of_a_rejected_or_withdrawn_declaration(
    clearance, declare, unchanged, customs, declarant
):
    rejected, withdrawn = declare(IMPORT), declare(IMPORT)
    clearance.reject(rejected, 7, commitment("reason"), {"from": customs})
    clearance.withdraw(withdrawn, {"from": declarant})

    with unchanged(), reverts_with("CustomsWrongStatus", rejected, REJECTED):
        clearance.withdraw(rejected, {"from": declarant})
    with unchanged(), reverts_with("CustomsWrongStatus", withdrawn, WITHDRAWN):
        clearance.withdraw(withdrawn, {"from": declarant})


@pytest.mark.parametrize("caller", ["importer", "customs", "outsider"])
def test_only_the_declarant_of_the_declaration_withdraws(
    clearance, declare, unchanged, caller, request
):
    declaration_id = declare(IMPORT)
    account = request.getfixturevalue(caller)

    with unchanged(), reverts_with("CustomsNotDeclarant", declaration_id, account):
        clearance.withdraw(declaration_id, {"from": account})


def test_an_unknown_declaration_cannot_be_withdrawn(clearance, unchanged, declarant):
    with unchanged(), reverts_with("CustomsUnknownDeclaration", 5):
        clearance.withdraw(5, {"from": declarant})


def test_nothing_is_withdrawn_while_paused(clearance, declare, unchanged, declarant, pause):
    declaration_id = declare(IMPORT)
    pause()

    with unchanged(), reverts_with("CustomsPaused"):
        clearance.withdraw(declaration_id, {"from": declarant})


def test_a_withdrawn_declaration_keeps_its_record(clearance, declare, declarant):
    declaration_id = declare(IMPORT, to=ASSESSED, channel=GREEN, duty=IMPORT_DUTY)
    before = record(clearance, declaration_id)
    chain.mine()

    clearance.withdraw(declaration_id, {"from": declarant})

    after = record(clearance, declaration_id)
    assert after == {**before, "status": WITHDRAWN}
