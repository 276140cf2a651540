"""The bank-guarantee flow in which the importer defaults: the duty due date must pass, so this
needs time travel and runs on Anvil only (marked `timetravel`)."""

import pytest
from brownie import web3

from tests.customs.conftest import IMPORT_DUTY
from tests.customs.declarations import IMPORT, RED, RELEASED, commitment, content

pytestmark = pytest.mark.timetravel


def test_a_red_import_guaranteed_by_a_bank_is_paid_by_the_bank_when_the_importer_defaults(
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
    clearance.assessDuty(declaration_id, IMPORT_DUTY, {"from": customs})
    clearance.guaranteeDuty(declaration_id, bocom, {"from": bocom})
    assert token.balanceOf(bocom) == bocom_before - IMPORT_DUTY  # backed when given
    clearance.release(declaration_id, {"from": customs})
    # The importer lets the 15 days pass without paying.
    due_at = clearance.dutyDueAt(declaration_id)
    web3.provider.make_request("evm_setNextBlockTimestamp", [due_at + 1])
    tx = clearance.callGuarantee(declaration_id, {"from": customs})
    assert tx.events["GuaranteeCalled"]["amount"] == IMPORT_DUTY
    clearance.openAudit(declaration_id, {"from": customs})
    clearance.closeAudit(declaration_id, True, commitment("origin misdeclared"), {"from": customs})

    summary = clearance.summaryOf(declaration_id)
    assert summary["status"] == RELEASED
    assert summary["flagged"] is True
    assert token.balanceOf(bocom) == bocom_before - IMPORT_DUTY
    assert token.balanceOf(clearance) == 0
    assert token.balanceOf(treasury) == treasury_before + IMPORT_DUTY
    assert token.balanceOf(importer) == importer_before
