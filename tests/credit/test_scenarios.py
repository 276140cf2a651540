"""Whole documentary-credit flows, from application to the last fen.

Parties: the importer (applicant), BOCOM (issuing bank), ICBC (advising and confirming bank),
the exporter (beneficiary), the carrier, the declarant and customs (the real CustomsClearance,
which releases the export declaration). Amounts in fen; 100,000.00 CNY "about" unless stated.
"""

from tests.credit import ucp_model as ucp
from tests.credit.support import (
    AMOUNT,
    BL,
    DAY,
    DEFERRED,
    DOCS,
    EX_HONOURED,
    HOLDING_PENDING_WAIVER,
    NOTICE,
    RETURNING,
    ST_EXPIRED,
)
from tests.helpers import digest

MAX = AMOUNT * 11 // 10
CORRECTED_DOCS = [digest("corrected commercial invoice"), DOCS[1], DOCS[2]]


def test_a_sight_credit_is_honoured(
    lc, token, apply_credit, declare, importer, exporter, carrier, bocom, icbc, at, t0
):
    bank_start = token.balanceOf(bocom)
    credit_id = apply_credit()
    lc.issue(credit_id, {"from": bocom})
    lc.advise(credit_id, {"from": icbc})
    at(t0 + 2 * DAY)
    lc.recordTransportDocument(credit_id, BL, t0 + 2 * DAY, {"from": carrier})
    decl = declare()
    at(t0 + 4 * DAY)
    lc.present(credit_id, 10_400_000, BL, decl, DOCS, {"from": exporter})

    lc.honour(credit_id, 1, {"from": bocom})

    assert token.balanceOf(exporter) == 10_400_000
    assert lc.creditOf(credit_id)["escrow"] == MAX - 10_400_000
    at(t0 + 61 * DAY)
    lc.releaseExpired(credit_id, {"from": importer})
    assert token.balanceOf(bocom) == bank_start - 10_400_000
    assert token.balanceOf(lc) == 0


def test_a_discrepant_presentation_is_waived_then_honoured(
    lc, token, shipped, present, importer, exporter, bocom, t0
):
    present(shipped, when=t0 + 3 * DAY)
    tx = lc.refuse(shipped, 1, [12, 31], NOTICE, HOLDING_PENDING_WAIVER, {"from": bocom})
    assert tx.events["PresentationRefused"]["disposal"] == HOLDING_PENDING_WAIVER

    lc.waive(shipped, 1, {"from": importer})
    lc.honour(shipped, 1, {"from": bocom})

    assert token.balanceOf(exporter) == AMOUNT
    assert lc.creditOf(shipped)["exam"] == EX_HONOURED


def test_a_refused_presentation_is_re_presented_in_time_and_honoured(
    lc, token, shipped, present, declare, exporter, bocom, at, t0
):
    present(shipped, when=t0 + 3 * DAY)
    lc.refuse(shipped, 1, [12], NOTICE, RETURNING, {"from": bocom})
    at(t0 + 20 * DAY)  # still within 21 days of the shipment on t0 + 1 day

    tx = lc.present(shipped, AMOUNT, BL, declare(), CORRECTED_DOCS, {"from": exporter})
    lc.honour(shipped, 2, {"from": bocom})

    assert tx.events["DocumentsPresented"]["documents"] == CORRECTED_DOCS
    assert token.balanceOf(exporter) == AMOUNT
    assert lc.creditOf(shipped)["presentations"] == 2


def test_a_deferred_payment_is_discounted_and_paid_at_maturity(
    lc, token, open_credit, ship, present, exporter, bocom, icbc, outsider, at, t0
):
    credit_id = open_credit(form=DEFERRED, tenorDays=90)
    ship(credit_id)
    present(credit_id, when=t0 + 3 * DAY)
    lc.honour(credit_id, 1, {"from": bocom})
    payee, amount, maturity, settled = lc.drawingOf(credit_id, 1)
    assert (payee, amount, maturity, settled) == (exporter, AMOUNT, t0 + 93 * DAY, False)
    # ICBC discounts the accepted claim: it pays the exporter 98 % now and buys the claim.
    token.transfer(exporter, AMOUNT * 98 // 100, {"from": icbc})
    lc.transferClaim(credit_id, 1, icbc, {"from": exporter})
    icbc_before = token.balanceOf(icbc)
    at(t0 + 61 * DAY)
    lc.releaseExpired(credit_id, {"from": outsider})
    at(maturity)

    lc.settleAtMaturity(credit_id, 1, {"from": outsider})

    assert token.balanceOf(icbc) == icbc_before + AMOUNT
    assert token.balanceOf(exporter) == AMOUNT * 98 // 100
    assert lc.drawingOf(credit_id, 1)[3] is True
    assert token.balanceOf(lc) == 0


def test_an_accepted_amendment_raises_the_credit_and_extends_it(
    lc, token, credit, ship, present, exporter, bocom, icbc, at, t0
):
    lc.confirm(credit, {"from": icbc})
    tx = lc.proposeAmendment(
        credit, 15_000_000, 0, t0 + 45 * DAY, t0 + 90 * DAY, digest("amended"), {"from": bocom}
    )
    amendment_id = tx.return_value
    lc.agreeAmendment(credit, amendment_id, {"from": icbc})
    lc.acceptAmendment(credit, amendment_id, {"from": exporter})
    ship(credit, on=t0 + 40 * DAY)

    present(credit, 15_000_000, when=t0 + 58 * DAY)
    lc.honour(credit, 1, {"from": icbc})

    assert token.balanceOf(exporter) == 15_000_000
    assert lc.creditOf(credit)["escrow"] == 0
    assert token.balanceOf(lc) == 0


def test_a_credit_expires_unused_and_the_bank_gets_its_escrow_back(
    lc, token, apply_credit, bocom, outsider, at, t0
):
    bank_start = token.balanceOf(bocom)
    credit_id = apply_credit()
    lc.issue(credit_id, {"from": bocom})
    assert token.balanceOf(bocom) == bank_start - MAX
    at(t0 + 60 * DAY + 1)

    lc.releaseExpired(credit_id, {"from": outsider})

    assert token.balanceOf(bocom) == bank_start
    assert lc.creditOf(credit_id)["status"] == ST_EXPIRED


def test_a_silent_bank_is_precluded_and_the_beneficiary_is_paid(
    lc, token, shipped, present, exporter, at, t0
):
    present(shipped, when=t0 + 3 * DAY)
    at(ucp.Calendar().examination_deadline(t0 + 3 * DAY) + 1)

    lc.claimPrecluded(shipped, 1, {"from": exporter})

    assert token.balanceOf(exporter) == AMOUNT
