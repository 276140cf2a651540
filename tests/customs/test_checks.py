"""assignChannel, recordDocumentCheck and recordInspection."""

import pytest

from tests.customs.declarations import (
    ASSESSED,
    CHANNELLED,
    CHECK_FAILED,
    DOCUMENTS_CHECKED,
    GOODS_INSPECTED,
    GREEN,
    IMPORT,
    INSPECTED,
    LODGED,
    NO_CHANNEL,
    RED,
    REJECTED,
    YELLOW,
    commitment,
    record,
)
from tests.helpers import reverts_with

NOT_CUSTOMS = ["bocom", "pboc", "gov", "declarant", "importer", "outsider"]
REPORT = commitment("report")

# ----------------------------------------------------------------------------- assignChannel


@pytest.mark.parametrize("channel", [GREEN, YELLOW, RED])
def test_customs_assigns_the_risk_channel(clearance, declare, customs, channel):
    declaration_id = declare(IMPORT)

    tx = clearance.assignChannel(declaration_id, channel, {"from": customs})

    r = record(clearance, declaration_id)
    assert r["status"] == CHANNELLED
    assert r["channel"] == channel
    assert tx.events["ChannelAssigned"]["id"] == declaration_id
    assert tx.events["ChannelAssigned"]["channel"] == channel


@pytest.mark.parametrize("caller", NOT_CUSTOMS)
def test_only_customs_assigns_the_channel(clearance, declare, unchanged, caller, request):
    declaration_id = declare(IMPORT)
    account = request.getfixturevalue(caller)

    with unchanged(), reverts_with("CustomsNotCustoms", account):
        clearance.assignChannel(declaration_id, GREEN, {"from": account})


def test_no_channel_is_not_a_channel(clearance, declare, unchanged, customs):
    declaration_id = declare(IMPORT)

    with unchanged(), reverts_with("CustomsInvalidChannel"):
        clearance.assignChannel(declaration_id, NO_CHANNEL, {"from": customs})


def test_the_channel_is_assigned_once(clearance, declare, unchanged, customs):
    declaration_id = declare(IMPORT, to=CHANNELLED, channel=GREEN)

    with unchanged(), reverts_with("CustomsWrongStatus", declaration_id, CHANNELLED):
        clearance.assignChannel(declaration_id, RED, {"from": customs})


def test_a_channel_cannot_be_assigned_to_an_unknown_declaration(clearance, unchanged, customs):
    with unchanged(), reverts_with("CustomsUnknownDeclaration", 1):
        clearance.assignChannel(1, RED, {"from": customs})


def test_no_channel_is_assigned_while_paused(clearance, declare, unchanged, customs, pause):
    declaration_id = declare(IMPORT)
    pause()

    with unchanged(), reverts_with("CustomsPaused"):
        clearance.assignChannel(declaration_id, RED, {"from": customs})


# ----------------------------------------------------------------------- recordDocumentCheck


def test_passed_documents_complete_a_yellow_declaration(clearance, declare, customs):
    declaration_id = declare(IMPORT, to=CHANNELLED, channel=YELLOW)

    tx = clearance.recordDocumentCheck(declaration_id, True, REPORT, {"from": customs})

    r = record(clearance, declaration_id)
    assert r["status"] == INSPECTED
    assert r["flags"] == DOCUMENTS_CHECKED
    event = tx.events["DocumentsChecked"]
    assert (event["id"], event["passed"], event["reportHash"]) == (declaration_id, True, REPORT)


def test_passed_documents_leave_a_red_declaration_awaiting_inspection(clearance, declare, customs):
    declaration_id = declare(IMPORT, to=CHANNELLED, channel=RED)

    clearance.recordDocumentCheck(declaration_id, True, REPORT, {"from": customs})

    r = record(clearance, declaration_id)
    assert r["status"] == CHANNELLED
    assert r["flags"] == DOCUMENTS_CHECKED


@pytest.mark.parametrize("channel", [YELLOW, RED])
def test_failed_documents_are_recorded_and_the_status_stays(clearance, declare, customs, channel):
    declaration_id = declare(IMPORT, to=CHANNELLED, channel=channel)

    tx = clearance.recordDocumentCheck(declaration_id, False, REPORT, {"from": customs})

    r = record(clearance, declaration_id)
    assert r["status"] == CHANNELLED
    assert r["flags"] == CHECK_FAILED
    assert tx.events["DocumentsChecked"]["passed"] is False


def test_a_green_declaration_needs_no_document_check(clearance, declare, unchanged, customs):
    declaration_id = declare(IMPORT, to=CHANNELLED, channel=GREEN)

    with unchanged(), reverts_with("CustomsCheckNotRequired", declaration_id, GREEN):
        clearance.recordDocumentCheck(declaration_id, True, REPORT, {"from": customs})


def test_documents_are_checked_once(clearance, declare, unchanged, customs):
    declaration_id = declare(IMPORT, to=CHANNELLED, channel=RED)
    clearance.recordDocumentCheck(declaration_id, True, REPORT, {"from": customs})

    with unchanged(), reverts_with("CustomsCheckAlreadyRecorded", declaration_id):
        clearance.recordDocumentCheck(declaration_id, True, REPORT, {"from": customs})


def test_a_failed_document_check_is_final(clearance, declare, unchanged, customs):
    declaration_id = declare(IMPORT, to=CHANNELLED, channel=YELLOW)
    clearance.recordDocumentCheck(declaration_id, False, REPORT, {"from": customs})

    with unchanged(), reverts_with("CustomsCheckFailed", declaration_id):
        clearance.recordDocumentCheck(declaration_id, True, REPORT, {"from": customs})


@pytest.mark.parametrize("status", [LODGED, INSPECTED, ASSESSED])
def test_documents_are_checked_only_on_a_channelled_declaration(
    clearance, declare, unchanged, customs, status
):
    declaration_id = declare(IMPORT, to=status, channel=YELLOW)

    with unchanged(), reverts_with("CustomsWrongStatus", declaration_id, status):
        clearance.recordDocumentCheck(declaration_id, True, REPORT, {"from": customs})


@pytest.mark.parametrize("caller", NOT_CUSTOMS)
def test_only_customs_records_the_document_check(clearance, declare, unchanged, caller, request):
    declaration_id = declare(IMPORT, to=CHANNELLED, channel=YELLOW)
    account = request.getfixturevalue(caller)

    with unchanged(), reverts_with("CustomsNotCustoms", account):
        clearance.recordDocumentCheck(declaration_id, True, REPORT, {"from": account})


def test_no_document_check_on_an_unknown_declaration(clearance, unchanged, customs):
    with unchanged(), reverts_with("CustomsUnknownDeclaration", 3):
        clearance.recordDocumentCheck(3, True, REPORT, {"from": customs})


def test_no_document_check_is_recorded_while_paused(clearance, declare, unchanged, customs, pause):
    declaration_id = declare(IMPORT, to=CHANNELLED, channel=YELLOW)
    pause()

    with unchanged(), reverts_with("CustomsPaused"):
        clearance.recordDocumentCheck(declaration_id, True, REPORT, {"from": customs})


# -------------------------------------------------------------------------- recordInspection


def test_documents_then_a_passed_inspection_complete_a_red_declaration(clearance, declare, customs):
    declaration_id = declare(IMPORT, to=CHANNELLED, channel=RED)
    clearance.recordDocumentCheck(declaration_id, True, REPORT, {"from": customs})

    tx = clearance.recordInspection(declaration_id, True, REPORT, {"from": customs})

    r = record(clearance, declaration_id)
    assert r["status"] == INSPECTED
    assert r["flags"] == DOCUMENTS_CHECKED | GOODS_INSPECTED
    event = tx.events["GoodsInspected"]
    assert (event["id"], event["passed"], event["reportHash"]) == (declaration_id, True, REPORT)


def test_the_inspection_may_come_before_the_document_check(clearance, declare, customs):
    declaration_id = declare(IMPORT, to=CHANNELLED, channel=RED)

    clearance.recordInspection(declaration_id, True, REPORT, {"from": customs})
    assert record(clearance, declaration_id)["status"] == CHANNELLED
    clearance.recordDocumentCheck(declaration_id, True, REPORT, {"from": customs})

    r = record(clearance, declaration_id)
    assert r["status"] == INSPECTED
    assert r["flags"] == DOCUMENTS_CHECKED | GOODS_INSPECTED


def test_a_failed_inspection_leaves_only_rejection(
    clearance, declare, unchanged, customs, declarant
):
    declaration_id = declare(IMPORT, to=CHANNELLED, channel=RED)
    clearance.recordDocumentCheck(declaration_id, True, REPORT, {"from": customs})

    tx = clearance.recordInspection(declaration_id, False, REPORT, {"from": customs})

    assert tx.events["GoodsInspected"]["passed"] is False
    assert record(clearance, declaration_id)["flags"] == DOCUMENTS_CHECKED | CHECK_FAILED
    with unchanged(), reverts_with("CustomsWrongStatus", declaration_id, CHANNELLED):
        clearance.assessDuty(declaration_id, 100, {"from": customs})
    with unchanged(), reverts_with("CustomsWrongStatus", declaration_id, CHANNELLED):
        clearance.release(declaration_id, {"from": customs})
    with unchanged(), reverts_with("CustomsWrongStatus", declaration_id, CHANNELLED):
        clearance.withdraw(declaration_id, {"from": declarant})
    with unchanged(), reverts_with("CustomsCheckFailed", declaration_id):
        clearance.recordInspection(declaration_id, True, REPORT, {"from": customs})
    clearance.reject(declaration_id, 3, REPORT, {"from": customs})
    assert clearance.summaryOf(declaration_id)["status"] == REJECTED


def test_no_inspection_after_failed_documents(clearance, declare, unchanged, customs):
    declaration_id = declare(IMPORT, to=CHANNELLED, channel=RED)
    clearance.recordDocumentCheck(declaration_id, False, REPORT, {"from": customs})

    with unchanged(), reverts_with("CustomsCheckFailed", declaration_id):
        clearance.recordInspection(declaration_id, True, REPORT, {"from": customs})


@pytest.mark.parametrize("channel", [GREEN, YELLOW])
def test_only_a_red_declaration_is_inspected(clearance, declare, unchanged, customs, channel):
    declaration_id = declare(IMPORT, to=CHANNELLED, channel=channel)

    with unchanged(), reverts_with("CustomsCheckNotRequired", declaration_id, channel):
        clearance.recordInspection(declaration_id, True, REPORT, {"from": customs})


def test_goods_are_inspected_once(clearance, declare, unchanged, customs):
    declaration_id = declare(IMPORT, to=CHANNELLED, channel=RED)
    clearance.recordInspection(declaration_id, True, REPORT, {"from": customs})

    with unchanged(), reverts_with("CustomsCheckAlreadyRecorded", declaration_id):
        clearance.recordInspection(declaration_id, False, REPORT, {"from": customs})


@pytest.mark.parametrize("status", [LODGED, INSPECTED, ASSESSED])
def test_goods_are_inspected_only_on_a_channelled_declaration(
    clearance, declare, unchanged, customs, status
):
    declaration_id = declare(IMPORT, to=status, channel=RED)

    with unchanged(), reverts_with("CustomsWrongStatus", declaration_id, status):
        clearance.recordInspection(declaration_id, True, REPORT, {"from": customs})


@pytest.mark.parametrize("caller", NOT_CUSTOMS)
def test_only_customs_records_the_inspection(clearance, declare, unchanged, caller, request):
    declaration_id = declare(IMPORT, to=CHANNELLED, channel=RED)
    account = request.getfixturevalue(caller)

    with unchanged(), reverts_with("CustomsNotCustoms", account):
        clearance.recordInspection(declaration_id, True, REPORT, {"from": account})


def test_no_inspection_of_an_unknown_declaration(clearance, unchanged, customs):
    with unchanged(), reverts_with("CustomsUnknownDeclaration", 1):
        clearance.recordInspection(1, True, REPORT, {"from": customs})


def test_no_inspection_is_recorded_while_paused(clearance, declare, unchanged, customs, pause):
    declaration_id = declare(IMPORT, to=CHANNELLED, channel=RED)
    pause()

    with unchanged(), reverts_with("CustomsPaused"):
        clearance.recordInspection(declaration_id, True, REPORT, {"from": customs})
