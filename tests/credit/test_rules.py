"""The UCP 600 rule table, each boundary from both sides.

| rule                          | article  | passes                 | refused                |
| ----------------------------- | -------- | ---------------------- | ---------------------- |
| presentation after shipment   | 14c      | last second of day 21  | first second of day 22 |
| presentation and expiry       | 6d, 14c  | at the expiry second   | one second after       |
| refusal over a weekend        | 14b, 16d | last second, 5th day   | a second later: claim  |
| refusal over holidays         | 14b, 16d | last second, 5th day   | a second later: claim  |
| presented after 17:00         | 33       | 16:59:59 counts today  | 17:00:00 counts next   |
| presented on a closed day     | 33       | counts next bank. day  |                        |
| drawing 5 % short, no tol.    | 30c      | -5 %                   | -5.01 %, or excluded   |
| drawing, tolerance "about"    | 30a      | +10 %                  | +10.01 %               |
| amendment not yet accepted    | 10a      | old terms              | new terms              |
| 21st day on a closed day      | 29a      | end of next bank. day  | a second later         |
| expiry on a closed day        | 29a      | end of next bank. day  | a second later         |
"""

import pytest

from tests.credit import ucp_model as ucp
from tests.credit.support import (
    AMOUNT,
    DAY,
    EX_HONOURED,
    EX_PRESENTED,
    EX_REFUSED,
    HOLDING_UNTIL_INSTRUCTIONS,
    HOUR,
    NOTICE,
    RETURNING,
    ST_EXPIRED,
    VOYAGE,
)
from tests.helpers import bill_key, digest, document_number, reverts_with

MAX = AMOUNT * 11 // 10


def _refuse(lc, credit_id, bank):
    return lc.refuse(credit_id, 1, [1], NOTICE, RETURNING, {"from": bank})


# --------------------------------------------------------------- 21 days after shipment
def test_presentation_on_day_21_after_shipment_passes(lc, shipped, present, t0):
    last = ucp.end_of(ucp.day_of(t0 + DAY) + 21)  # shipped Tuesday t0 + 1 day

    present(shipped, when=last)

    assert lc.presentationDeadline(t0 + DAY) == last
    assert lc.creditOf(shipped)["exam"] == EX_PRESENTED


def test_presentation_on_day_22_after_shipment_is_refused(lc, shipped, present, state, t0):
    last = ucp.end_of(ucp.day_of(t0 + DAY) + 21)
    before = state(shipped)

    with reverts_with("LetterOfCreditPresentationTooLate", shipped, t0 + DAY, last):
        present(shipped, when=last + 1)

    assert state(shipped) == before


def test_the_21_days_count_shanghai_calendar_days_not_hours(lc, open_credit, ship, present, t0):
    credit_id = open_credit()
    shipped_late_evening = t0 + 13 * 3600 + 59 * 60  # Monday 23:59 in Shanghai
    ship(credit_id, on=shipped_late_evening)

    present(credit_id, when=ucp.end_of(ucp.day_of(t0) + 21))  # 21 days and 1 minute later

    assert lc.creditOf(credit_id)["exam"] == EX_PRESENTED


# -------------------------------------------------------------------------------- expiry
def test_presentation_at_the_expiry_second_passes(lc, open_credit, ship, present, t0):
    credit_id = open_credit(latestShipment=t0 + 10 * DAY, expiry=t0 + 15 * DAY)
    ship(credit_id)

    present(credit_id, when=t0 + 15 * DAY)

    assert lc.creditOf(credit_id)["exam"] == EX_PRESENTED


def test_presentation_after_expiry_is_refused(lc, open_credit, ship, present, state, t0):
    credit_id = open_credit(latestShipment=t0 + 10 * DAY, expiry=t0 + 15 * DAY)
    ship(credit_id)
    before = state(credit_id)

    with reverts_with("LetterOfCreditExpired", credit_id, t0 + 15 * DAY):
        present(credit_id, when=t0 + 15 * DAY + 1)

    assert state(credit_id) == before


# ------------------------------------------------------------- 5 banking days, weekend
def test_refusal_on_the_5th_banking_day_over_a_weekend_passes(lc, presented, bocom, at, t0):
    # Presented Thursday: Fri, Mon, Tue, Wed, Thu -> end of the next Thursday.
    deadline = ucp.end_of(ucp.day_of(t0) + 10)
    assert lc.examinationDeadline(t0 + 3 * DAY) == deadline
    at(deadline)

    _refuse(lc, presented, bocom)

    assert lc.creditOf(presented)["exam"] == EX_REFUSED


def test_one_second_after_the_5th_banking_day_over_a_weekend_the_bank_is_precluded(
    lc, token, presented, bocom, exporter, at, t0, state
):
    deadline = ucp.end_of(ucp.day_of(t0) + 10)
    at(deadline + 1)
    before = state(presented)

    with reverts_with("LetterOfCreditPrecluded", presented, 1, deadline):
        _refuse(lc, presented, bocom)

    assert state(presented) == before
    lc.claimPrecluded(presented, 1, {"from": exporter})
    assert token.balanceOf(exporter) == AMOUNT


# ------------------------------------------------------------- 5 banking days, holidays
@pytest.fixture
def presented_before_holidays(lc, set_days, shipped, present, t0):
    """Presented on Wednesday t0 + 2 days; Friday and the next Monday are holidays:
    Thu (1), [Fri], [Sat], [Sun], [Mon], Tue (2), Wed (3), Thu (4), Fri (5)."""
    monday = ucp.day_of(t0)
    set_days([monday + 4, monday + 7])
    present(shipped, when=t0 + 2 * DAY)
    return shipped


def test_refusal_on_the_5th_banking_day_over_holidays_passes(
    lc, presented_before_holidays, bocom, at, t0
):
    deadline = ucp.end_of(ucp.day_of(t0) + 11)  # the next Friday
    assert lc.examinationDeadline(t0 + 2 * DAY) == deadline
    at(deadline)

    _refuse(lc, presented_before_holidays, bocom)

    assert lc.creditOf(presented_before_holidays)["exam"] == EX_REFUSED


def test_one_second_after_the_5th_banking_day_over_holidays_the_bank_is_precluded(
    lc, presented_before_holidays, bocom, exporter, at, t0, state
):
    credit_id = presented_before_holidays
    deadline = ucp.end_of(ucp.day_of(t0) + 11)
    at(deadline + 1)
    before = state(credit_id)

    with reverts_with("LetterOfCreditPrecluded", credit_id, 1, deadline):
        _refuse(lc, credit_id, bocom)

    assert state(credit_id) == before
    tx = lc.claimPrecluded(credit_id, 1, {"from": exporter})
    assert tx.events["PresentationHonoured"]["precluded"] is True


def test_a_working_saturday_counts_as_a_banking_day(lc, set_days, shipped, present, t0):
    saturday = ucp.day_of(t0) + 5
    set_days([saturday], False)

    present(shipped, when=t0 + 3 * DAY)  # Thursday: Fri, Sat, Mon, Tue, Wed

    assert lc.examinationDeadline(t0 + 3 * DAY) == ucp.end_of(ucp.day_of(t0) + 9)


# ------------------------------------------------------- Art. 33: banking hours end at 17:00
def _thursday_at(t0, hour, minute=0, second=0):
    return t0 + 3 * DAY + (hour - 10) * HOUR + minute * 60 + second  # t0 is Monday 10:00


def test_a_presentation_before_close_of_business_counts_that_day(lc, shipped, present, t0):
    tx = present(shipped, when=_thursday_at(t0, 16, 59, 59))

    c = lc.creditOf(shipped)
    thursday = ucp.day_of(t0) + 10  # Fri, Mon, Tue, Wed, Thu
    assert c["presentedAt"] + c["examWindow"] == ucp.end_of(thursday)
    assert lc.examinationDeadline(tx.timestamp) == ucp.end_of(thursday)


def test_a_presentation_at_close_of_business_counts_the_next_banking_day(
    lc, shipped, present, bocom, at, t0
):
    present(shipped, when=_thursday_at(t0, 17))
    friday_end = ucp.end_of(ucp.day_of(t0) + 11)  # made Friday: Mon, Tue, Wed, Thu, Fri
    c = lc.creditOf(shipped)
    assert c["presentedAt"] + c["examWindow"] == friday_end
    at(friday_end)
    lc.refuse(shipped, 1, [1], NOTICE, HOLDING_UNTIL_INSTRUCTIONS, {"from": bocom})
    assert lc.creditOf(shipped)["exam"] == EX_REFUSED


def test_after_the_extra_day_of_an_evening_presentation_the_bank_is_precluded(
    lc, shipped, present, bocom, exporter, at, t0, state
):
    present(shipped, when=_thursday_at(t0, 23, 59, 59))
    friday_end = ucp.end_of(ucp.day_of(t0) + 11)
    at(friday_end + 1)
    before = state(shipped)

    with reverts_with("LetterOfCreditPrecluded", shipped, 1, friday_end):
        _refuse(lc, shipped, bocom)

    assert state(shipped) == before
    lc.claimPrecluded(shipped, 1, {"from": exporter})


def test_a_presentation_on_a_saturday_counts_on_monday(lc, credit, ship, present, t0):
    saturday = t0 + 5 * DAY  # 10:00
    ship(credit)

    present(credit, when=saturday)

    c = lc.creditOf(credit)
    next_monday = ucp.day_of(t0) + 14  # made Monday: Tue, Wed, Thu, Fri, Mon
    assert c["presentedAt"] + c["examWindow"] == ucp.end_of(next_monday)


def test_a_presentation_on_a_holiday_counts_on_the_next_banking_day(
    lc, set_days, credit, ship, present, t0
):
    wednesday = ucp.day_of(t0) + 2
    set_days([wednesday])
    ship(credit)

    present(credit, when=t0 + 2 * DAY)

    c = lc.creditOf(credit)
    assert c["presentedAt"] + c["examWindow"] == ucp.end_of(wednesday + 8)  # made Thursday


# ------------------------------------------------------------------------- tolerance
@pytest.mark.parametrize("partial", [False, True])
def test_a_drawing_of_plus_10_percent_is_allowed(lc, open_credit, ship, present, bocom, partial):
    credit_id = open_credit(partialAllowed=partial)
    ship(credit_id)

    present(credit_id, AMOUNT * 110 // 100)
    lc.honour(credit_id, 1, {"from": bocom})

    assert lc.creditOf(credit_id)["drawn"] == MAX


@pytest.mark.parametrize(
    "partial,error,args",
    [
        (False, "LetterOfCreditOutsideTolerance", (AMOUNT * 11001 // 10000, AMOUNT * 9 // 10, MAX)),
        (True, "LetterOfCreditOverdrawn", (AMOUNT * 11001 // 10000, MAX)),
    ],
)
def test_a_drawing_of_plus_10_01_percent_is_refused(
    lc, open_credit, ship, present, state, partial, error, args
):
    credit_id = open_credit(partialAllowed=partial)
    ship(credit_id)
    before = state(credit_id)

    with reverts_with(error, credit_id, *args):
        present(credit_id, AMOUNT * 11001 // 10000)

    assert state(credit_id) == before


def test_a_single_drawing_5_percent_short_of_a_credit_without_tolerance_passes(
    lc, open_credit, ship, present
):
    credit_id = open_credit(toleranceBp=0)  # Art. 30c
    ship(credit_id)

    present(credit_id, AMOUNT * 95 // 100)

    assert lc.creditOf(credit_id)["exam"] == EX_PRESENTED


@pytest.mark.parametrize("exact", [False, True])
def test_a_single_drawing_5_01_percent_short_or_any_short_if_excluded_is_refused(
    lc, open_credit, ship, present, state, exact
):
    credit_id = open_credit(toleranceBp=0, exactAmount=exact)
    ship(credit_id)
    draw = AMOUNT * 9499 // 10000 if not exact else AMOUNT * 95 // 100
    low = AMOUNT if exact else AMOUNT * 95 // 100
    before = state(credit_id)

    with reverts_with("LetterOfCreditOutsideTolerance", credit_id, draw, low, AMOUNT):
        present(credit_id, draw)

    assert state(credit_id) == before


# ------------------------------------------------------------ amendment not yet accepted
@pytest.fixture
def amended(lc, credit, bocom, t0):
    """A pending amendment: 12,000,000 fen "about", latest shipment +40 days, expiry +90."""
    new_docs = digest("documents required: invoice, bill of lading")
    lc.proposeAmendment(
        credit, 12_000_000, 1000, t0 + 40 * DAY, t0 + 90 * DAY, new_docs, {"from": bocom}
    )
    return credit


def test_until_accepted_an_amendment_does_not_raise_the_drawable_amount(
    lc, amended, ship, present, exporter, state
):
    ship(amended)
    before = state(amended)

    with reverts_with("LetterOfCreditOutsideTolerance", amended, 12_000_000, 9_000_000, MAX):
        present(amended, 12_000_000)

    assert state(amended) == before
    lc.acceptAmendment(amended, 1, {"from": exporter})
    present(amended, 12_000_000)
    assert lc.creditOf(amended)["presentedAmount"] == 12_000_000


def test_until_accepted_an_amendment_does_not_move_the_latest_shipment_date(
    lc, amended, carrier, exporter, at, t0
):
    late = t0 + 30 * DAY
    at(late)

    with reverts_with("LetterOfCreditLateShipment", amended, late, t0 + 20 * DAY):
        lc.recordTransportDocument(
            amended, document_number("COSU-LATE"), late, VOYAGE, {"from": carrier}
        )

    lc.acceptAmendment(amended, 1, {"from": exporter})
    lc.recordTransportDocument(
        amended, document_number("COSU-LATE"), late, VOYAGE, {"from": carrier}
    )
    assert lc.shippedOnBoardOf(amended, bill_key("COSU-LATE")) == late


def test_until_accepted_an_amendment_does_not_extend_the_expiry(
    lc, amended, ship, present, state, t0
):
    ship(amended, on=t0 + 20 * DAY)
    before = state(amended)

    with reverts_with("LetterOfCreditExpired", amended, t0 + 60 * DAY):
        present(amended, when=t0 + 60 * DAY + 1)

    assert state(amended) == before


def test_an_accepted_amendment_extends_the_expiry(lc, amended, ship, present, exporter, t0):
    lc.acceptAmendment(amended, 1, {"from": exporter})
    ship(amended, on=t0 + 40 * DAY)

    present(amended, 12_000_000, when=t0 + 60 * DAY + 1)

    assert lc.creditOf(amended)["exam"] == EX_PRESENTED


def test_a_refused_presentation_is_re_presented_within_the_21_days(
    lc, presented, present, bocom, t0
):
    _refuse(lc, presented, bocom)
    last = ucp.end_of(ucp.day_of(t0 + DAY) + 21)

    present(presented, when=last)
    lc.honour(presented, 2, {"from": bocom})

    assert lc.creditOf(presented)["exam"] == EX_HONOURED


# ------------------------------------------------ Art. 29a: a last day on a closed day
def test_a_21st_day_on_a_saturday_moves_to_the_end_of_monday(lc, credit, ship, present, t0):
    saturday = t0 + 5 * DAY  # shipped on board on a Saturday: its 21st day is a Saturday too
    monday_end = ucp.end_of(ucp.day_of(saturday) + 23)
    ship(credit, on=saturday)

    present(credit, when=monday_end)

    assert lc.presentationDeadline(saturday) == monday_end
    assert lc.creditOf(credit)["exam"] == EX_PRESENTED


def test_after_the_extended_21st_day_presentation_is_refused(lc, credit, ship, present, state, t0):
    saturday = t0 + 5 * DAY
    monday_end = ucp.end_of(ucp.day_of(saturday) + 23)
    ship(credit, on=saturday)
    before = state(credit)

    with reverts_with("LetterOfCreditPresentationTooLate", credit, saturday, monday_end):
        present(credit, when=monday_end + 1)

    assert state(credit) == before


def test_a_21st_day_on_a_holiday_moves_to_the_next_banking_day(lc, set_days, shipped, present, t0):
    tuesday = ucp.day_of(t0 + DAY) + 21  # the default B/L: shipped Tuesday t0 + 1 day
    set_days([tuesday])
    wednesday_end = ucp.end_of(tuesday + 1)

    present(shipped, when=wednesday_end)

    assert lc.presentationDeadline(t0 + DAY) == wednesday_end
    assert lc.creditOf(shipped)["exam"] == EX_PRESENTED


def test_after_the_banking_day_that_follows_a_holiday_presentation_is_refused(
    lc, set_days, shipped, present, state, t0
):
    tuesday = ucp.day_of(t0 + DAY) + 21
    set_days([tuesday])
    wednesday_end = ucp.end_of(tuesday + 1)
    before = state(shipped)

    with reverts_with("LetterOfCreditPresentationTooLate", shipped, t0 + DAY, wednesday_end):
        present(shipped, when=wednesday_end + 1)

    assert state(shipped) == before


def test_an_expiry_on_a_saturday_leaves_presentation_open_until_monday(
    lc, open_credit, ship, present, t0
):
    saturday = t0 + 12 * DAY  # 10:00 on a Saturday
    monday_end = ucp.end_of(ucp.day_of(saturday) + 2)
    credit_id = open_credit(latestShipment=t0 + 10 * DAY, expiry=saturday)
    ship(credit_id)

    present(credit_id, when=monday_end)

    assert lc.presentationExpiry(credit_id) == monday_end
    assert lc.creditOf(credit_id)["exam"] == EX_PRESENTED


def test_after_the_extended_expiry_presentation_is_refused_and_escrow_released(
    lc, open_credit, ship, present, state, outsider, at, t0
):
    saturday = t0 + 12 * DAY
    monday_end = ucp.end_of(ucp.day_of(saturday) + 2)
    credit_id = open_credit(latestShipment=t0 + 10 * DAY, expiry=saturday)
    ship(credit_id)
    at(monday_end)
    before = state(credit_id)
    with reverts_with("LetterOfCreditNotExpired", credit_id, monday_end):
        lc.releaseExpired(credit_id, {"from": outsider})
    assert state(credit_id) == before

    with reverts_with("LetterOfCreditExpired", credit_id, saturday):
        present(credit_id, when=monday_end + 1)
    assert state(credit_id) == before
    lc.releaseExpired(credit_id, {"from": outsider})

    assert lc.creditOf(credit_id)["status"] == ST_EXPIRED


def test_an_expiry_on_a_banking_day_is_not_extended(lc, open_credit, t0):
    credit_id = open_credit(latestShipment=t0 + 10 * DAY, expiry=t0 + 15 * DAY)  # a Tuesday

    assert lc.presentationExpiry(credit_id) == t0 + 15 * DAY
