"""release, reject, openAudit and closeAudit."""

import pytest

from tests.customs.conftest import BANK_FUNDS, IMPORT_DUTY
from tests.customs.declarations import (
    ASSESSED,
    CHANNELLED,
    DUTY_SECURED,
    EXPORT,
    FLAGGED,
    GREEN,
    GUARANTEED,
    IMPORT,
    INSPECTED,
    LODGED,
    RED,
    REJECTED,
    RELEASED,
    UNDER_AUDIT,
    WITHDRAWN,
    YELLOW,
    commitment,
    record,
)
from tests.helpers import reverts_with

NOT_CUSTOMS = ["bocom", "pboc", "gov", "declarant", "importer", "outsider"]
REASON = commitment("reasoned decision")
FINDINGS = commitment("audit findings")

# ------------------------------------------------------------------------------------ release


@pytest.mark.parametrize(
    "flow, channel, secured_by",
    [
        (EXPORT, GREEN, "payment"),  # zero duty
        (IMPORT, YELLOW, "payment"),
        (IMPORT, RED, "guarantee"),
    ],
)
def test_customs_releases_once_the_duty_is_secured(
    clearance, declare, customs, flow, channel, secured_by
):
    declaration_id = declare(flow, to=DUTY_SECURED, channel=channel, secured_by=secured_by)

    tx = clearance.release(declaration_id, {"from": customs})

    r = record(clearance, declaration_id)
    assert r["status"] == RELEASED
    assert r["releasedAt"] == tx.timestamp
    assert tx.events["DeclarationReleased"]["id"] == declaration_id


@pytest.mark.parametrize("status", [LODGED, CHANNELLED, INSPECTED, ASSESSED, RELEASED])
def test_goods_are_released_only_once_and_only_with_duty_secured(
    clearance, declare, unchanged, customs, status
):
    declaration_id = declare(IMPORT, to=status, channel=RED)

    with unchanged(), reverts_with("CustomsWrongStatus", declaration_id, status):
        clearance.release(declaration_id, {"from": customs})


def test_a_red_declaration_with_documents_but_no_inspection_is_not_released(
    clearance, declare, unchanged, customs
):
    declaration_id = declare(IMPORT, to=CHANNELLED, channel=RED)
    clearance.recordDocumentCheck(declaration_id, True, REASON, {"from": customs})

    with unchanged(), reverts_with("CustomsWrongStatus", declaration_id, CHANNELLED):
        clearance.release(declaration_id, {"from": customs})


@pytest.mark.parametrize("caller", NOT_CUSTOMS)
def test_only_customs_releases(clearance, declare, unchanged, caller, request):
    declaration_id = declare(IMPORT, to=DUTY_SECURED, channel=GREEN)
    account = request.getfixturevalue(caller)

    with unchanged(), reverts_with("CustomsNotCustoms", account):
        clearance.release(declaration_id, {"from": account})


def test_no_release_of_an_unknown_declaration(clearance, unchanged, customs):
    with unchanged(), reverts_with("CustomsUnknownDeclaration", 1):
        clearance.release(1, {"from": customs})


def test_no_release_while_paused(clearance, declare, unchanged, customs, pause):
    declaration_id = declare(IMPORT, to=DUTY_SECURED, channel=GREEN)
    pause()

    with unchanged(), reverts_with("CustomsPaused"):
        clearance.release(declaration_id, {"from": customs})


# ------------------------------------------------------------------------------------- reject


@pytest.mark.parametrize("status", [LODGED, CHANNELLED, INSPECTED, ASSESSED, DUTY_SECURED])
def test_customs_rejects_before_release(clearance, declare, customs, status):
    declaration_id = declare(IMPORT, to=status, channel=RED)

    tx = clearance.reject(declaration_id, 12, REASON, {"from": customs})

    assert clearance.summaryOf(declaration_id)["status"] == REJECTED
    event = tx.events["DeclarationRejected"]
    assert (event["id"], event["reasonCode"], event["reasonHash"]) == (declaration_id, 12, REASON)
    assert "GuaranteeDischarged" not in tx.events
    assert "GuaranteeEscrowReleased" not in tx.events


def test_rejection_discharges_an_outstanding_guarantee_and_gives_the_bank_its_money_back(
    clearance, declare, token, customs, bocom, treasury
):
    declaration_id = declare(IMPORT, to=DUTY_SECURED, channel=GREEN, secured_by="guarantee")
    assert token.balanceOf(clearance) == IMPORT_DUTY

    tx = clearance.reject(declaration_id, 12, REASON, {"from": customs})

    assert clearance.guaranteeOutstanding(declaration_id) is False
    assert record(clearance, declaration_id)["flags"] == GUARANTEED
    discharged = tx.events["GuaranteeDischarged"]
    assert (discharged["id"], discharged["bank"]) == (declaration_id, bocom)
    released = tx.events["GuaranteeEscrowReleased"]
    assert (released["id"], released["bank"], released["amount"]) == (
        declaration_id,
        bocom,
        IMPORT_DUTY,
    )
    assert token.balanceOf(bocom) == BANK_FUNDS
    assert token.balanceOf(clearance) == 0
    assert token.balanceOf(treasury) == 0


def test_rejection_after_the_trader_paid_gives_the_bank_nothing_more(
    clearance, declare, token, customs, importer, bocom, treasury
):
    declaration_id = declare(IMPORT, to=DUTY_SECURED, channel=GREEN, secured_by="guarantee")
    clearance.payDuty(declaration_id, {"from": importer})  # the bank has its money back

    tx = clearance.reject(declaration_id, 12, REASON, {"from": customs})

    assert "GuaranteeDischarged" not in tx.events
    assert "GuaranteeEscrowReleased" not in tx.events
    assert token.balanceOf(bocom) == BANK_FUNDS
    assert token.balanceOf(clearance) == 0
    assert token.balanceOf(treasury) == IMPORT_DUTY  # refunded off the chain, if at all


def test_released_rejected_and_withdrawn_declarations_are_not_rejected(
    clearance, declare, unchanged, customs, declarant
):
    released = declare(IMPORT, to=RELEASED, channel=GREEN)
    rejected = declare(IMPORT)
    withdrawn = declare(IMPORT)
    clearance.reject(rejected, 1, REASON, {"from": customs})
    clearance.withdraw(withdrawn, {"from": declarant})

    for declaration_id, status in [
        (released, RELEASED),
        (rejected, REJECTED),
        (withdrawn, WITHDRAWN),
    ]:
        with unchanged(), reverts_with("CustomsWrongStatus", declaration_id, status):
            clearance.reject(declaration_id, 1, REASON, {"from": customs})


@pytest.mark.parametrize("caller", NOT_CUSTOMS)
def test_only_customs_rejects(clearance, declare, unchanged, caller, request):
    declaration_id = declare(IMPORT)
    account = request.getfixturevalue(caller)

    with unchanged(), reverts_with("CustomsNotCustoms", account):
        clearance.reject(declaration_id, 1, REASON, {"from": account})


def test_no_rejection_of_an_unknown_declaration(clearance, unchanged, customs):
    with unchanged(), reverts_with("CustomsUnknownDeclaration", 1):
        clearance.reject(1, 1, REASON, {"from": customs})


def test_no_rejection_while_paused(clearance, declare, unchanged, customs, pause):
    declaration_id = declare(IMPORT)
    pause()

    with unchanged(), reverts_with("CustomsPaused"):
        clearance.reject(declaration_id, 1, REASON, {"from": customs})


# -------------------------------------------------------------------------------------- audit


def test_customs_opens_an_audit_of_a_released_declaration(clearance, declare, customs):
    declaration_id = declare(IMPORT, to=RELEASED, channel=GREEN)

    tx = clearance.openAudit(declaration_id, {"from": customs})

    summary = clearance.summaryOf(declaration_id)
    assert summary["underAudit"] is True
    assert summary["flagged"] is False
    assert summary["status"] == RELEASED
    assert tx.events["AuditOpened"]["id"] == declaration_id


@pytest.mark.parametrize("flagged", [True, False])
def test_customs_closes_an_audit_with_its_findings(clearance, declare, customs, flagged):
    declaration_id = declare(IMPORT, to=RELEASED, channel=GREEN)
    clearance.openAudit(declaration_id, {"from": customs})

    tx = clearance.closeAudit(declaration_id, flagged, FINDINGS, {"from": customs})

    summary = clearance.summaryOf(declaration_id)
    assert summary["underAudit"] is False
    assert summary["flagged"] is flagged
    event = tx.events["AuditClosed"]
    assert (event["id"], event["flagged"], event["findingsHash"]) == (
        declaration_id,
        flagged,
        FINDINGS,
    )


def test_a_flagged_declaration_stays_flagged_after_a_clean_audit(clearance, declare, customs):
    declaration_id = declare(IMPORT, to=RELEASED, channel=GREEN)
    clearance.openAudit(declaration_id, {"from": customs})
    clearance.closeAudit(declaration_id, True, FINDINGS, {"from": customs})

    clearance.openAudit(declaration_id, {"from": customs})
    clearance.closeAudit(declaration_id, False, FINDINGS, {"from": customs})

    assert record(clearance, declaration_id)["flags"] & FLAGGED
    assert clearance.summaryOf(declaration_id)["flagged"] is True


def test_one_audit_at_a_time(clearance, declare, unchanged, customs):
    declaration_id = declare(IMPORT, to=RELEASED, channel=GREEN)
    clearance.openAudit(declaration_id, {"from": customs})

    with unchanged(), reverts_with("CustomsAuditAlreadyOpen", declaration_id):
        clearance.openAudit(declaration_id, {"from": customs})


@pytest.mark.parametrize("status", [LODGED, CHANNELLED, ASSESSED, DUTY_SECURED])
def test_only_released_declarations_are_audited(clearance, declare, unchanged, customs, status):
    declaration_id = declare(IMPORT, to=status, channel=GREEN)

    with unchanged(), reverts_with("CustomsWrongStatus", declaration_id, status):
        clearance.openAudit(declaration_id, {"from": customs})


def test_a_rejected_declaration_is_not_audited(clearance, declare, unchanged, customs):
    declaration_id = declare(IMPORT)
    clearance.reject(declaration_id, 1, REASON, {"from": customs})

    with unchanged(), reverts_with("CustomsWrongStatus", declaration_id, REJECTED):
        clearance.openAudit(declaration_id, {"from": customs})


def test_no_audit_to_close_when_none_is_open(clearance, declare, unchanged, customs):
    declaration_id = declare(IMPORT, to=RELEASED, channel=GREEN)

    with unchanged(), reverts_with("CustomsNoAuditOpen", declaration_id):
        clearance.closeAudit(declaration_id, True, FINDINGS, {"from": customs})


def test_the_under_audit_flag_is_set_only_while_open(clearance, declare, customs):
    declaration_id = declare(IMPORT, to=RELEASED, channel=GREEN)

    clearance.openAudit(declaration_id, {"from": customs})
    assert record(clearance, declaration_id)["flags"] & UNDER_AUDIT
    clearance.closeAudit(declaration_id, False, FINDINGS, {"from": customs})

    assert not record(clearance, declaration_id)["flags"] & UNDER_AUDIT


@pytest.mark.parametrize("caller", NOT_CUSTOMS)
def test_only_customs_audits(clearance, declare, unchanged, customs, caller, request):
    opened, released = (
        declare(IMPORT, to=RELEASED, channel=GREEN),
        declare(IMPORT, to=RELEASED, channel=GREEN),
    )
    clearance.openAudit(opened, {"from": customs})
    account = request.getfixturevalue(caller)

    with unchanged(), reverts_with("CustomsNotCustoms", account):
        clearance.openAudit(released, {"from": account})
    with unchanged(), reverts_with("CustomsNotCustoms", account):
        clearance.closeAudit(opened, True, FINDINGS, {"from": account})


def test_no_audit_of_an_unknown_declaration(clearance, unchanged, customs):
    with unchanged(), reverts_with("CustomsUnknownDeclaration", 1):
        clearance.openAudit(1, {"from": customs})
    with unchanged(), reverts_with("CustomsUnknownDeclaration", 1):
        clearance.closeAudit(1, True, FINDINGS, {"from": customs})


def test_no_audit_is_opened_or_closed_while_paused(clearance, declare, unchanged, customs, pause):
    opened, released = (
        declare(IMPORT, to=RELEASED, channel=GREEN),
        declare(IMPORT, to=RELEASED, channel=GREEN),
    )
    clearance.openAudit(opened, {"from": customs})
    pause()

    with unchanged(), reverts_with("CustomsPaused"):
        clearance.openAudit(released, {"from": customs})
    with unchanged(), reverts_with("CustomsPaused"):
        clearance.closeAudit(opened, True, FINDINGS, {"from": customs})
