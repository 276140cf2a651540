"""Application, withdrawal, issuance, advising and confirmation of a credit."""

import pytest

from tests.credit.support import (
    ABOUT,
    AMOUNT,
    CNY,
    DAY,
    DEFERRED,
    DOCS_REQUIRED,
    ISSUING,
    NOMINATED,
    SIGHT,
    ST_APPLIED,
    ST_ISSUED,
    ST_WITHDRAWN,
    USD,
)
from tests.helpers import reverts_with

MAX = AMOUNT * 11 // 10


# ------------------------------------------------------------------------------ apply
def test_importer_applies_and_the_terms_are_stored(lc, importer, exporter, make_terms, at, t0):
    terms = make_terms(partialAllowed=True)
    at(t0)

    tx = lc.applyForCredit(terms, {"from": importer})

    assert tx.return_value == 1
    assert lc.creditCount() == 1
    c = lc.creditOf(1)
    assert c["applicant"] == importer
    assert c["beneficiary"] == exporter
    assert (c["issuingBank"], c["advisingBank"], c["confirmingBank"]) == (
        ISSUING,
        NOMINATED,
        NOMINATED,
    )
    assert c["status"] == ST_APPLIED
    assert (c["amount"], c["toleranceBp"], c["partialAllowed"]) == (AMOUNT, ABOUT, True)
    assert (c["form"], c["tenorDays"]) == (SIGHT, 0)
    assert (c["latestShipment"], c["expiry"]) == (t0 + 20 * DAY, t0 + 60 * DAY)
    assert c["escrow"] == 0 and c["issuer"] == "0x" + "00" * 20
    event = tx.events["CreditApplied"]
    assert (event["id"], event["applicant"], event["beneficiary"]) == (1, importer, exporter)
    assert tuple(event["terms"]) == tuple(terms)
    assert event["terms"]["documents"] == DOCS_REQUIRED


def test_a_deferred_payment_credit_needs_a_tenor(lc, importer, make_terms, at, t0):
    at(t0)

    tx = lc.applyForCredit(make_terms(form=DEFERRED, tenorDays=90), {"from": importer})

    c = lc.creditOf(tx.return_value)
    assert (c["form"], c["tenorDays"]) == (DEFERRED, 90)


@pytest.mark.parametrize("who", ["exporter", "carrier", "declarant", "bocom", "outsider"])
def test_only_an_importer_may_apply(lc, make_terms, state, who, request):
    account = request.getfixturevalue(who)
    before = state()

    with reverts_with("LetterOfCreditNotImporter", account):
        lc.applyForCredit(make_terms(), {"from": account})

    assert state() == before


def test_a_suspended_importer_may_not_apply(lc, registry, customs, importer, make_terms, state):
    registry.suspendParticipant(importer, {"from": customs})
    before = state()

    with reverts_with("LetterOfCreditNotImporter", importer):
        lc.applyForCredit(make_terms(), {"from": importer})

    assert state() == before


def test_the_beneficiary_must_be_a_registered_exporter(lc, importer, carrier, make_terms, state):
    before = state()

    with reverts_with("LetterOfCreditNotExporter", carrier):
        lc.applyForCredit(make_terms(beneficiary=carrier), {"from": importer})

    assert state() == before


def test_the_applicant_cannot_be_its_own_beneficiary(lc, importer, make_terms, state):
    before = state()

    with reverts_with("LetterOfCreditBadBeneficiary", importer):
        lc.applyForCredit(make_terms(beneficiary=importer), {"from": importer})

    assert state() == before


BAD_TERMS = [
    ({"amount": 0}, "LetterOfCreditZeroAmount", ()),
    ({"toleranceBp": 1001}, "LetterOfCreditBadTolerance", (1001,)),
    ({"currency": USD}, "LetterOfCreditUnsupportedCurrency", ()),
    ({"tenorDays": 30}, "LetterOfCreditBadTenor", (SIGHT, 30)),
    ({"form": DEFERRED}, "LetterOfCreditBadTenor", (DEFERRED, 0)),
    ({"issuingBank": 0}, "LetterOfCreditBadBank", (0,)),
    ({"advisingBank": ISSUING}, "LetterOfCreditBadBank", (ISSUING,)),
    ({"confirmingBank": ISSUING}, "LetterOfCreditBadBank", (ISSUING,)),
    ({"documents": "0x" + "00" * 32}, "LetterOfCreditMissingCommitment", ()),
    ({"latestShipment": 0}, "LetterOfCreditBadDates", ()),
]


@pytest.mark.parametrize("overrides,error,args", BAD_TERMS, ids=[e for _, e, _ in BAD_TERMS])
def test_bad_terms_are_refused(lc, importer, make_terms, state, overrides, error, args):
    before = state()

    with reverts_with(error, *args):
        lc.applyForCredit(make_terms(**overrides), {"from": importer})

    assert state() == before


def test_an_expiry_in_the_past_is_refused(lc, importer, make_terms, state, at, t0):
    terms = make_terms(latestShipment=t0 - DAY, expiry=t0 - 1)
    at(t0)

    with reverts_with("LetterOfCreditBadDates", t0 - DAY, t0 - 1):
        lc.applyForCredit(terms, {"from": importer})

    assert lc.creditCount() == 0


def test_a_latest_shipment_after_expiry_is_refused(lc, importer, make_terms, state, t0):
    before = state()

    with reverts_with("LetterOfCreditBadDates", t0 + 61 * DAY, t0 + 60 * DAY):
        lc.applyForCredit(make_terms(latestShipment=t0 + 61 * DAY), {"from": importer})

    assert state() == before


def test_an_amount_whose_maximum_does_not_fit_96_bits_is_refused(lc, importer, make_terms, state):
    amount = 2**96 - 1  # + 10 % no longer fits
    before = state()

    with reverts_with("LetterOfCreditAmountTooLarge", amount * 11000 // 10000):
        lc.applyForCredit(make_terms(amount=amount), {"from": importer})

    assert state() == before


def test_currency_must_be_cny(lc, importer, make_terms):
    assert lc.SETTLEMENT_CURRENCY() == CNY

    with reverts_with("LetterOfCreditUnsupportedCurrency"):
        lc.applyForCredit(make_terms(currency=USD), {"from": importer})


# --------------------------------------------------------------------------- withdraw
def test_the_applicant_withdraws_an_application_not_yet_issued(lc, apply_credit, importer):
    credit_id = apply_credit()

    tx = lc.withdrawApplication(credit_id, {"from": importer})

    assert lc.creditOf(credit_id)["status"] == ST_WITHDRAWN
    assert tx.events["ApplicationWithdrawn"] == {"id": credit_id}


@pytest.mark.parametrize("who", ["exporter", "bocom", "outsider"])
def test_only_the_applicant_may_withdraw(lc, apply_credit, state, who, request):
    credit_id = apply_credit()
    account = request.getfixturevalue(who)
    before = state(credit_id)

    with reverts_with("LetterOfCreditNotApplicant", credit_id, account):
        lc.withdrawApplication(credit_id, {"from": account})

    assert state(credit_id) == before


def test_an_issued_credit_cannot_be_withdrawn(lc, credit, importer, state):
    before = state(credit)

    with reverts_with("LetterOfCreditWrongStatus", credit, ST_ISSUED):
        lc.withdrawApplication(credit, {"from": importer})

    assert state(credit) == before


def test_an_unknown_credit_cannot_be_withdrawn(lc, importer):
    with reverts_with("LetterOfCreditUnknownCredit", 7):
        lc.withdrawApplication(7, {"from": importer})


# ------------------------------------------------------------------------------ issue
def test_the_issuing_bank_issues_and_the_maximum_goes_into_escrow(lc, token, apply_credit, bocom):
    credit_id = apply_credit()
    bank_before = token.balanceOf(bocom)

    tx = lc.issue(credit_id, {"from": bocom})

    c = lc.creditOf(credit_id)
    assert c["status"] == ST_ISSUED
    assert (c["escrow"], c["drawn"], c["issuer"]) == (MAX, 0, bocom)
    assert token.balanceOf(lc) == MAX
    assert token.balanceOf(bocom) == bank_before - MAX
    assert tx.events["CreditIssued"] == {
        "id": credit_id,
        "issuingBank": ISSUING,
        "issuer": bocom,
        "escrow": MAX,
    }


def test_a_credit_without_tolerance_escrows_the_exact_amount(lc, token, open_credit):
    credit_id = open_credit(toleranceBp=0)

    assert lc.creditOf(credit_id)["escrow"] == AMOUNT
    assert token.balanceOf(lc) == AMOUNT


@pytest.mark.parametrize("who", ["icbc", "importer", "exporter", "pboc", "outsider"])
def test_only_the_named_issuing_bank_may_issue(lc, apply_credit, state, who, request):
    credit_id = apply_credit()
    account = request.getfixturevalue(who)
    before = state(credit_id)

    with reverts_with("LetterOfCreditNotIssuingBank", credit_id, account):
        lc.issue(credit_id, {"from": account})

    assert state(credit_id) == before


def test_a_credit_is_issued_once(lc, credit, bocom, state):
    before = state(credit)

    with reverts_with("LetterOfCreditWrongStatus", credit, ST_ISSUED):
        lc.issue(credit, {"from": bocom})

    assert state(credit) == before


def test_a_withdrawn_application_cannot_be_issued(lc, apply_credit, importer, bocom, state):
    credit_id = apply_credit()
    lc.withdrawApplication(credit_id, {"from": importer})
    before = state(credit_id)

    with reverts_with("LetterOfCreditWrongStatus", credit_id, ST_WITHDRAWN):
        lc.issue(credit_id, {"from": bocom})

    assert state(credit_id) == before


def test_an_application_past_its_expiry_cannot_be_issued(lc, apply_credit, bocom, state, at, t0):
    credit_id = apply_credit()
    before = state(credit_id)
    at(t0 + 60 * DAY + 1)

    with reverts_with("LetterOfCreditExpired", credit_id, t0 + 60 * DAY):
        lc.issue(credit_id, {"from": bocom})

    assert state(credit_id) == before


def test_issuing_without_allowance_fails_and_changes_nothing(lc, token, apply_credit, bocom, state):
    credit_id = apply_credit()
    token.approve(lc, 0, {"from": bocom})
    before = state(credit_id)

    with reverts_with("ERC20InsufficientAllowance"):
        lc.issue(credit_id, {"from": bocom})

    assert state(credit_id) == before


def test_an_unknown_credit_cannot_be_issued(lc, bocom):
    with reverts_with("LetterOfCreditUnknownCredit", 3):
        lc.issue(3, {"from": bocom})


# ----------------------------------------------------------------------------- advise
def test_the_advising_bank_advises(lc, credit, icbc):
    tx = lc.advise(credit, {"from": icbc})

    assert lc.creditOf(credit)["advised"]
    assert tx.events["CreditAdvised"] == {
        "id": credit,
        "advisingBank": NOMINATED,
        "operator": icbc,
    }


@pytest.mark.parametrize("who", ["bocom", "exporter", "outsider"])
def test_only_the_advising_bank_may_advise(lc, credit, state, who, request):
    account = request.getfixturevalue(who)
    before = state(credit)

    with reverts_with("LetterOfCreditNotAdvisingBank", credit, account):
        lc.advise(credit, {"from": account})

    assert state(credit) == before


def test_no_bank_may_advise_a_credit_without_an_advising_bank(lc, open_credit, icbc, state):
    credit_id = open_credit(advisingBank=0)
    before = state(credit_id)

    with reverts_with("LetterOfCreditNotAdvisingBank", credit_id, icbc):
        lc.advise(credit_id, {"from": icbc})

    assert state(credit_id) == before


def test_a_credit_is_advised_once(lc, credit, icbc, state):
    lc.advise(credit, {"from": icbc})
    before = state(credit)

    with reverts_with("LetterOfCreditAlreadyAdvised", credit):
        lc.advise(credit, {"from": icbc})

    assert state(credit) == before


def test_an_application_cannot_be_advised(lc, apply_credit, icbc, state):
    credit_id = apply_credit()
    before = state(credit_id)

    with reverts_with("LetterOfCreditWrongStatus", credit_id, ST_APPLIED):
        lc.advise(credit_id, {"from": icbc})

    assert state(credit_id) == before


def test_an_expired_credit_cannot_be_advised(lc, credit, icbc, state, at, t0):
    before = state(credit)
    at(t0 + 60 * DAY + 1)

    with reverts_with("LetterOfCreditExpired", credit, t0 + 60 * DAY):
        lc.advise(credit, {"from": icbc})

    assert state(credit) == before


# ---------------------------------------------------------------------------- confirm
def test_the_confirming_bank_confirms(lc, credit, icbc):
    tx = lc.confirm(credit, {"from": icbc})

    assert lc.creditOf(credit)["confirmed"]
    assert tx.events["CreditConfirmed"] == {
        "id": credit,
        "confirmingBank": NOMINATED,
        "operator": icbc,
    }


@pytest.mark.parametrize("who", ["bocom", "exporter", "importer", "outsider"])
def test_only_the_confirming_bank_may_confirm(lc, credit, state, who, request):
    account = request.getfixturevalue(who)
    before = state(credit)

    with reverts_with("LetterOfCreditNotConfirmingBank", credit, account):
        lc.confirm(credit, {"from": account})

    assert state(credit) == before


def test_no_bank_may_confirm_a_credit_without_a_confirming_bank(lc, open_credit, icbc, state):
    credit_id = open_credit(confirmingBank=0)
    before = state(credit_id)

    with reverts_with("LetterOfCreditNotConfirmingBank", credit_id, icbc):
        lc.confirm(credit_id, {"from": icbc})

    assert state(credit_id) == before


def test_a_credit_is_confirmed_once(lc, credit, icbc, state):
    lc.confirm(credit, {"from": icbc})
    before = state(credit)

    with reverts_with("LetterOfCreditAlreadyConfirmed", credit):
        lc.confirm(credit, {"from": icbc})

    assert state(credit) == before


def test_an_application_cannot_be_confirmed(lc, apply_credit, icbc, state):
    credit_id = apply_credit()
    before = state(credit_id)

    with reverts_with("LetterOfCreditWrongStatus", credit_id, ST_APPLIED):
        lc.confirm(credit_id, {"from": icbc})

    assert state(credit_id) == before


def test_an_expired_credit_cannot_be_confirmed(lc, credit, icbc, state, at, t0):
    before = state(credit)
    at(t0 + 60 * DAY + 1)

    with reverts_with("LetterOfCreditExpired", credit, t0 + 60 * DAY):
        lc.confirm(credit, {"from": icbc})

    assert state(credit) == before


# ------------------------------------------------------------------------------ views
def test_the_contract_names_its_dependencies_and_rules(lc, registry, token, clearance, calendar):
    assert lc.dependencies() == (registry, token, clearance, calendar)
    assert lc.MAX_TOLERANCE_BP() == 1000
    assert lc.PRESENTATION_DAYS() == 21
    assert lc.EXAMINATION_BANKING_DAYS() == 5


def test_an_unknown_credit_has_no_views(lc):
    with reverts_with("LetterOfCreditUnknownCredit", 9):
        lc.creditOf(9)
    with reverts_with("LetterOfCreditUnknownCredit", 9):
        lc.amendmentOf(9)
    with reverts_with("LetterOfCreditUnknownCredit", 9):
        lc.drawingOf(9, 1)
