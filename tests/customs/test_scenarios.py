"""Whole clearances, step by step, as the parties would run them.

These use only fixtures (accounts by role, the deployed contracts) and no time travel, so they
can run on a real Clique chain too: ids come from events, balances are compared as changes.
The flow that needs the duty due date to pass is in test_scenarios_timetravel.py.
"""

from brownie import chain

from tests.customs.conftest import IMPORT_DUTY
from tests.customs.declarations import (
    CHANNELLED,
    DUTY_SECURED,
    EXPORT,
    EXPORT_ITEMS,
    GREEN,
    IMPORT,
    IMPORT_ITEMS,
    INSPECTED,
    RED,
    REJECTED,
    RELEASED,
    YELLOW,
    commitment,
    content,
    permit_signature,
    reverts_exactly,
    uses,
)
from tests.helpers import DECLARANT, bill_key, new_bill_of_lading, reverts_with

REJECTED_ON_INSPECTION = 31  # reason code: goods do not match the declaration


def test_an_export_on_the_green_channel_is_released_without_duty(
    clearance, token, treasury, customs, declarant, exporter, bocom
):
    treasury_before = token.balanceOf(treasury)

    tx = clearance.lodge(EXPORT, exporter, content(flow=EXPORT), {"from": declarant})
    declaration_id = tx.events["DeclarationLodged"]["id"]
    clearance.assignChannel(declaration_id, GREEN, {"from": customs})
    clearance.assessDuty(declaration_id, 0, {"from": customs})
    assert clearance.summaryOf(declaration_id)["status"] == DUTY_SECURED
    tx = clearance.release(declaration_id, {"from": customs})

    assert tx.events["DeclarationReleased"]["id"] == declaration_id
    summary = clearance.summaryOf(declaration_id)
    assert summary["status"] == RELEASED
    assert summary["flow"] == EXPORT
    assert summary["trader"] == exporter
    assert summary["declaredValue"] == sum(item[3] for item in EXPORT_ITEMS)
    assert not summary["flagged"] and not summary["underAudit"]
    # The exporter's bank checks the goods it is asked to finance against the declaration.
    assert clearance.verifyItems(declaration_id, EXPORT_ITEMS, {"from": bocom}) is True
    assert token.balanceOf(treasury) == treasury_before


def test_a_red_import_is_inspected_released_on_a_bank_guarantee_paid_later_and_flagged(
    clearance, token, treasury, customs, declarant, importer, bocom
):
    importer_before = token.balanceOf(importer)
    bocom_before = token.balanceOf(bocom)
    treasury_before = token.balanceOf(treasury)

    tx = clearance.lodge(IMPORT, importer, content(flow=IMPORT), {"from": declarant})
    declaration_id = tx.events["DeclarationLodged"]["id"]
    clearance.assignChannel(declaration_id, RED, {"from": customs})
    clearance.recordDocumentCheck(
        declaration_id, True, commitment("documents ok"), {"from": customs}
    )
    clearance.recordInspection(
        declaration_id, True, commitment("container opened"), {"from": customs}
    )
    assert clearance.summaryOf(declaration_id)["status"] == INSPECTED
    clearance.assessDuty(declaration_id, IMPORT_DUTY, {"from": customs})
    clearance.guaranteeDuty(declaration_id, bocom, {"from": bocom})
    assert token.balanceOf(bocom) == bocom_before - IMPORT_DUTY  # the guarantee is backed
    clearance.release(declaration_id, {"from": customs})
    assert clearance.guaranteeOutstanding(declaration_id) is True
    tx = clearance.payDuty(declaration_id, {"from": importer})
    assert tx.events["GuaranteeDischarged"]["bank"] == bocom
    assert tx.events["GuaranteeEscrowReleased"]["amount"] == IMPORT_DUTY
    clearance.openAudit(declaration_id, {"from": customs})
    clearance.closeAudit(declaration_id, True, commitment("undervalued wine"), {"from": customs})

    summary = clearance.summaryOf(declaration_id)
    assert summary["status"] == RELEASED
    assert summary["flagged"] is True
    assert summary["underAudit"] is False
    assert clearance.guaranteeOutstanding(declaration_id) is False
    assert token.balanceOf(importer) == importer_before - IMPORT_DUTY
    assert token.balanceOf(treasury) == treasury_before + IMPORT_DUTY
    assert token.balanceOf(bocom) == bocom_before


def test_an_import_failing_inspection_is_rejected_and_nothing_is_collected(
    clearance, token, treasury, customs, declarant, importer
):
    treasury_before = token.balanceOf(treasury)

    tx = clearance.lodge(IMPORT, importer, content(flow=IMPORT), {"from": declarant})
    declaration_id = tx.events["DeclarationLodged"]["id"]
    clearance.assignChannel(declaration_id, RED, {"from": customs})
    clearance.recordDocumentCheck(
        declaration_id, True, commitment("documents ok"), {"from": customs}
    )
    tx = clearance.recordInspection(
        declaration_id, False, commitment("cheese is not cheese"), {"from": customs}
    )
    assert tx.events["GoodsInspected"]["passed"] is False
    with reverts_with("CustomsWrongStatus", declaration_id, CHANNELLED):
        clearance.withdraw(declaration_id, {"from": declarant})
    tx = clearance.reject(
        declaration_id, REJECTED_ON_INSPECTION, commitment("decision 2019-118"), {"from": customs}
    )

    assert tx.events["DeclarationRejected"]["reasonCode"] == REJECTED_ON_INSPECTION
    assert clearance.summaryOf(declaration_id)["status"] == REJECTED
    assert clearance.verifyItems(declaration_id, IMPORT_ITEMS) is True
    assert token.balanceOf(treasury) == treasury_before
    with reverts_with("CustomsWrongStatus", declaration_id, REJECTED):
        clearance.release(declaration_id, {"from": customs})


def test_an_importer_pays_the_duty_with_a_permit_and_the_goods_are_released(
    clearance, token, treasury, customs, declarant, signing_importer
):
    importer_before = token.balanceOf(signing_importer)
    treasury_before = token.balanceOf(treasury)

    tx = clearance.lodge(IMPORT, signing_importer, content(flow=IMPORT), {"from": declarant})
    declaration_id = tx.events["DeclarationLodged"]["id"]
    clearance.assignChannel(declaration_id, YELLOW, {"from": customs})
    clearance.recordDocumentCheck(
        declaration_id, True, commitment("documents ok"), {"from": customs}
    )
    clearance.assessDuty(declaration_id, IMPORT_DUTY, {"from": customs})
    deadline = chain.time() + 3600
    v, r, s = permit_signature(token, signing_importer, clearance, IMPORT_DUTY, deadline)
    clearance.payDutyWithPermit(declaration_id, deadline, v, r, s, {"from": signing_importer})
    clearance.release(declaration_id, {"from": customs})

    assert clearance.summaryOf(declaration_id)["status"] == RELEASED
    assert token.balanceOf(signing_importer) == importer_before - IMPORT_DUTY
    assert token.balanceOf(treasury) == treasury_before + IMPORT_DUTY
    assert token.allowance(signing_importer, clearance) == 0


def test_one_shipment_is_declared_once_and_its_value_used_once(
    clearance, registry, customs, declarant, exporter, newcomers, consumer, second_consumer
):
    """The double-financing fraud of issue 10, step by step: one B/L, a second declaration of
    it, then a second use of the declaration's value by another bank's contract."""
    bill = new_bill_of_lading()
    key = bill_key(bill)
    tx = clearance.lodge(
        EXPORT, exporter, content(flow=EXPORT, bill_of_lading=bill), {"from": declarant}
    )
    declaration_id = tx.events["DeclarationLodged"]["id"]
    clearance.assignChannel(declaration_id, GREEN, {"from": customs})
    clearance.assessDuty(declaration_id, 0, {"from": customs})
    clearance.release(declaration_id, {"from": customs})
    value = clearance.summaryOf(declaration_id)["declaredValue"]

    # A second declarant lodges the same B/L again, written the way the carrier prints it.
    accomplice = newcomers[1]
    registry.registerParticipant(accomplice, DECLARANT, {"from": customs})
    again = content(flow=EXPORT, bill_of_lading=f"{bill[:4].lower()}-{bill[4:8]} {bill[8:]}")
    with reverts_exactly("CustomsTransportDocumentInUse", key, declaration_id):
        clearance.lodge(EXPORT, exporter, again, {"from": accomplice})

    # A credit uses the whole value; a financing by another bank finds nothing left.
    clearance.consume(declaration_id, key, value, {"from": consumer})
    with reverts_with("CustomsValueExhausted", declaration_id, 1, 0):
        clearance.consume(declaration_id, key, 1, {"from": second_consumer})

    # The credit's documents go back: the value is free for the financing.
    clearance.restore(declaration_id, value, {"from": consumer})
    clearance.consume(declaration_id, key, value // 2, {"from": second_consumer})

    assert clearance.summaryOf(declaration_id)["consumed"] == value // 2
    assert uses(clearance, key) == (declaration_id, 0)
