"""The banking-day calendar: changed only by a vote of the alliance, only in the future, never
closed for more than 16 days in a row; how days and deadlines are counted."""

import pytest

from tests.credit import ucp_model as ucp
from tests.credit.support import DAY, HOUR, latest_time, vote_days
from tests.helpers import (
    BOCOM_ID,
    CUSTOMS_ID,
    GOV_ID,
    ICBC_ID,
    PBOC_ID,
    REMOVE_MEMBER,
    member_data,
    pass_proposal,
    reverts_with,
)

CLOSE, OPEN = True, False


def _future_day(iso_weekday: int, weeks_ahead: int = 2) -> int:
    day = ucp.day_of(latest_time()) + 7 * weeks_ahead
    while ucp.weekday(day) != iso_weekday:
        day += 1
    return day


def _calendar_state(calendar, days):
    return {
        "days": [(calendar.isBankingDay(d), calendar.isHoliday(d)) for d in days],
        "proposals": calendar.proposalCount(),
    }


def _proposal_id(tx):
    return tx.events["DaysProposed"]["proposalId"]


# -------------------------------------------------------------------------- day numbers
def test_day_numbers_and_ends_of_day_are_in_shanghai_time(calendar):
    utc_midnight = 20_000 * DAY  # 2024-10-04 00:00 UTC = 08:00 in Shanghai

    assert calendar.dayOf(utc_midnight) == 20_000
    assert calendar.dayOf(utc_midnight - 8 * HOUR - 1) == 19_999  # 23:59:59 the day before
    assert calendar.dayOf(utc_midnight - 8 * HOUR) == 20_000  # 00:00 in Shanghai
    assert calendar.endOfDay(20_000) == utc_midnight + 16 * HOUR - 1


def test_weekdays_are_banking_days_and_weekends_are_not(calendar):
    monday = _future_day(1)

    open_days = [calendar.isBankingDay(monday + i) for i in range(7)]

    assert open_days == [True, True, True, True, True, False, False]


# ------------------------------------------------------------------------------- votes
def test_a_majority_of_members_closes_days(calendar, gov, customs, pboc):
    wednesday, thursday = _future_day(3), _future_day(4)

    proposed = calendar.proposeDays([wednesday, thursday], CLOSE, {"from": gov})
    pid = _proposal_id(proposed)
    second = calendar.voteDays(pid, {"from": customs})
    assert calendar.isBankingDay(wednesday) and calendar.isBankingDay(thursday)
    assert "DaysChanged" not in second.events
    third = calendar.voteDays(pid, {"from": pboc})

    assert not calendar.isBankingDay(wednesday) and not calendar.isBankingDay(thursday)
    assert calendar.isHoliday(wednesday) and calendar.isHoliday(thursday)
    event = proposed.events["DaysProposed"]
    assert (event["proposalId"], event["memberId"], event["closed"]) == (pid, GOV_ID, True)
    assert [int(d) for d in event["dayList"]] == [wednesday, thursday]
    assert proposed.events["DaysVoted"] == {"proposalId": pid, "memberId": GOV_ID}
    assert [dict(e) for e in third.events["BankingDaySet"]] == [
        {"day": wednesday, "open": False, "proposalId": pid},
        {"day": thursday, "open": False, "proposalId": pid},
    ]
    assert third.events["DaysChanged"] == {"proposalId": pid}
    days, closed, proposer, executed, deadline, yes_votes = calendar.proposalOf(pid)
    assert [int(d) for d in days] == [wednesday, thursday]
    assert (closed, proposer, executed) == (True, GOV_ID, True)
    assert (deadline, yes_votes) == (proposed.timestamp + 7 * DAY, 3)
    assert [calendar.hasVoted(pid, m) for m in (GOV_ID, CUSTOMS_ID, PBOC_ID, BOCOM_ID)] == [
        True,
        True,
        True,
        False,
    ]


@pytest.mark.parametrize("proposer", ["customs", "pboc", "gov", "bocom", "icbc"])
def test_any_member_operator_may_propose_a_change(
    calendar, registry, customs, pboc, gov, proposer, request
):
    account = request.getfixturevalue(proposer)
    others = [a for a in (customs, pboc, gov) if a != account]
    friday = _future_day(5)

    tx = vote_days(calendar, [friday], CLOSE, [account] + others[:2])

    assert calendar.isHoliday(friday)
    proposal_id = tx.events["DaysChanged"]["proposalId"]
    assert calendar.proposalOf(proposal_id)[2] == registry.accessOf(account)[1]


def test_one_operator_alone_cannot_move_a_day(calendar, gov, pboc):
    """The audit's attack: one government (or central-bank) operator edited the calendar with
    no vote. Now its proposal waits for a majority and the day stays as it was."""
    saturday, wednesday = _future_day(6), _future_day(3)
    before = [calendar.isBankingDay(saturday), calendar.isBankingDay(wednesday)]

    pid = _proposal_id(calendar.proposeDays([saturday], OPEN, {"from": gov}))
    with reverts_with("BankingCalendarAlreadyVoted", pid, GOV_ID):
        calendar.voteDays(pid, {"from": gov})
    calendar.proposeDays([wednesday], CLOSE, {"from": pboc})

    assert [calendar.isBankingDay(saturday), calendar.isBankingDay(wednesday)] == before
    assert not hasattr(calendar, "setHolidays") and not hasattr(calendar, "setWorkingWeekendDays")


@pytest.mark.parametrize("who", ["exporter", "importer", "deployer", "outsider"])
def test_only_member_operators_propose_and_vote(calendar, gov, who, request):
    account = request.getfixturevalue(who)
    wednesday = _future_day(3)
    pid = _proposal_id(calendar.proposeDays([wednesday], CLOSE, {"from": gov}))
    before = _calendar_state(calendar, [wednesday])

    with reverts_with("BankingCalendarUnauthorized", account):
        calendar.proposeDays([wednesday + 1], CLOSE, {"from": account})
    with reverts_with("BankingCalendarUnauthorized", account):
        calendar.voteDays(pid, {"from": account})
    with reverts_with("BankingCalendarUnauthorized", account):
        calendar.executeDays(pid, {"from": account})

    assert _calendar_state(calendar, [wednesday]) == before


def test_a_holiday_is_lifted_by_vote(calendar, set_days):
    wednesday = _future_day(3)
    set_days([wednesday], CLOSE)

    tx = set_days([wednesday], OPEN)

    assert calendar.isBankingDay(wednesday) and not calendar.isHoliday(wednesday)
    assert tx.events["BankingDaySet"]["open"] is True


def test_a_weekend_day_is_made_a_working_day_and_back(calendar, set_days):
    saturday = _future_day(6)

    tx = set_days([saturday], OPEN)

    assert calendar.isBankingDay(saturday) and not calendar.isHoliday(saturday)
    assert tx.events["BankingDaySet"]["day"] == saturday
    set_days([saturday], CLOSE)
    assert not calendar.isBankingDay(saturday)


def test_a_proposal_may_open_and_close_weekdays_and_weekend_days_alike(calendar, set_days):
    friday, sunday = _future_day(5), _future_day(7)
    set_days([friday], CLOSE)

    set_days([friday, sunday], OPEN)  # the holiday is lifted, the Sunday made a working day
    assert calendar.isBankingDay(friday) and calendar.isBankingDay(sunday)
    set_days([friday, sunday], CLOSE)

    assert not calendar.isBankingDay(friday) and not calendar.isBankingDay(sunday)


# ----------------------------------------------------------------------- bad proposals
def test_today_and_the_past_cannot_change(calendar, gov, at):
    monday = _future_day(1)
    at(ucp.start_of(monday) + 9 * HOUR)
    before = _calendar_state(calendar, [monday, monday - 2])

    with reverts_with("BankingCalendarPastDay", monday, monday):
        calendar.proposeDays([monday], CLOSE, {"from": gov})
    with reverts_with("BankingCalendarPastDay", monday - 2, monday):
        calendar.proposeDays([monday - 2], OPEN, {"from": gov})

    assert _calendar_state(calendar, [monday, monday - 2]) == before


def test_tomorrow_may_change(calendar, set_days, at):
    monday = _future_day(1)
    at(ucp.start_of(monday) + 23 * HOUR)

    set_days([monday + 1], CLOSE)

    assert calendar.isHoliday(monday + 1)


def test_a_day_that_became_past_before_the_deciding_vote_is_refused(
    calendar, gov, customs, pboc, at
):
    tuesday = _future_day(2)
    at(ucp.start_of(tuesday) - 2 * DAY)
    pid = _proposal_id(calendar.proposeDays([tuesday], CLOSE, {"from": gov}))
    calendar.voteDays(pid, {"from": customs})
    at(ucp.start_of(tuesday) + HOUR)
    before = _calendar_state(calendar, [tuesday])

    with reverts_with("BankingCalendarPastDay", tuesday, tuesday):
        calendar.voteDays(pid, {"from": pboc})

    assert _calendar_state(calendar, [tuesday]) == before
    assert not calendar.hasVoted(pid, PBOC_ID)


def test_a_change_that_changes_nothing_is_refused(calendar, gov, set_days):
    wednesday, saturday = _future_day(3), _future_day(6)
    set_days([wednesday], CLOSE)
    before = _calendar_state(calendar, [wednesday, saturday])

    with reverts_with("BankingCalendarUnchanged", wednesday):
        calendar.proposeDays([wednesday], CLOSE, {"from": gov})
    with reverts_with("BankingCalendarUnchanged", saturday):
        calendar.proposeDays([saturday], CLOSE, {"from": gov})

    assert _calendar_state(calendar, [wednesday, saturday]) == before


def test_a_day_another_proposal_already_changed_is_left_as_it_is(
    calendar, gov, customs, pboc, set_days
):
    wednesday, thursday = _future_day(3), _future_day(4)
    pid = _proposal_id(calendar.proposeDays([wednesday, thursday], CLOSE, {"from": gov}))
    set_days([wednesday], CLOSE)  # a second proposal closes Wednesday first
    calendar.voteDays(pid, {"from": customs})

    tx = calendar.voteDays(pid, {"from": pboc})

    assert [dict(e) for e in tx.events["BankingDaySet"]] == [
        {"day": thursday, "open": False, "proposalId": pid}
    ]
    assert calendar.isHoliday(wednesday) and calendar.isHoliday(thursday)


def test_an_empty_list_is_refused(calendar, gov):
    with reverts_with("BankingCalendarEmptyList"):
        calendar.proposeDays([], CLOSE, {"from": gov})

    assert calendar.proposalCount() == 0


@pytest.mark.parametrize("order", ["descending", "repeated"])
def test_days_are_listed_in_ascending_order_once(calendar, gov, order):
    wednesday, thursday = _future_day(3), _future_day(4)
    days = [thursday, wednesday] if order == "descending" else [wednesday, wednesday]
    before = _calendar_state(calendar, [wednesday, thursday])

    with reverts_with("BankingCalendarNotAscending", days[1]):
        calendar.proposeDays(days, CLOSE, {"from": gov})

    assert _calendar_state(calendar, [wednesday, thursday]) == before


def test_a_proposal_changes_at_most_a_year_of_days(calendar, gov):
    start = _future_day(1)
    days = list(range(start, start + 367))

    with reverts_with("BankingCalendarTooManyDays", 367, 366):
        calendar.proposeDays(days, OPEN, {"from": gov})

    assert calendar.proposalCount() == 0


def test_one_bad_day_in_a_list_changes_nothing(calendar, gov):
    wednesday, thursday, sunday = _future_day(3), _future_day(4), _future_day(7)
    before = _calendar_state(calendar, [wednesday, thursday, sunday])

    with reverts_with("BankingCalendarUnchanged", sunday):
        calendar.proposeDays(sorted([wednesday, thursday, sunday]), CLOSE, {"from": gov})

    assert _calendar_state(calendar, [wednesday, thursday, sunday]) == before


def test_the_calendar_cannot_change_while_the_system_is_paused(calendar, gov, customs, pause):
    wednesday = _future_day(3)
    pid = _proposal_id(calendar.proposeDays([wednesday], CLOSE, {"from": gov}))
    pause()
    before = _calendar_state(calendar, [wednesday])

    with reverts_with("BankingCalendarPaused"):
        calendar.proposeDays([wednesday + 1], CLOSE, {"from": gov})
    with reverts_with("BankingCalendarPaused"):
        calendar.voteDays(pid, {"from": customs})
    with reverts_with("BankingCalendarPaused"):
        calendar.executeDays(pid, {"from": customs})

    assert _calendar_state(calendar, [wednesday]) == before


# --------------------------------------------------------------------- proposal states
def test_an_unknown_proposal_has_no_votes(calendar, gov):
    with reverts_with("BankingCalendarUnknownProposal", 7):
        calendar.voteDays(7, {"from": gov})
    with reverts_with("BankingCalendarUnknownProposal", 7):
        calendar.executeDays(7, {"from": gov})
    with reverts_with("BankingCalendarUnknownProposal", 7):
        calendar.proposalOf(7)


def test_a_carried_proposal_takes_no_more_votes(calendar, bocom, set_days):
    wednesday = _future_day(3)
    pid = set_days([wednesday], CLOSE).events["DaysChanged"]["proposalId"]

    with reverts_with("BankingCalendarProposalExecuted", pid):
        calendar.voteDays(pid, {"from": bocom})

    assert calendar.isHoliday(wednesday)


def test_a_proposal_expires_after_seven_days(calendar, gov, customs, pboc, at):
    wednesday = _future_day(3, weeks_ahead=4)
    tx = calendar.proposeDays([wednesday], CLOSE, {"from": gov})
    pid = _proposal_id(tx)
    calendar.voteDays(pid, {"from": customs})
    at(tx.timestamp + 7 * DAY + 1)

    with reverts_with("BankingCalendarProposalExpired", pid, tx.timestamp + 7 * DAY):
        calendar.voteDays(pid, {"from": pboc})

    assert calendar.isBankingDay(wednesday)


def test_votes_of_a_removed_member_no_longer_count(calendar, registry, gov, bocom, customs, pboc):
    wednesday = _future_day(3)
    pid = _proposal_id(calendar.proposeDays([wednesday], CLOSE, {"from": gov}))
    calendar.voteDays(pid, {"from": bocom})
    pass_proposal(registry, REMOVE_MEMBER, member_data(BOCOM_ID), [customs, pboc, gov])
    assert calendar.proposalOf(pid)[5] == 1  # of 4 active members

    calendar.voteDays(pid, {"from": customs})
    assert calendar.isBankingDay(wednesday)  # 2 of 4 is no majority
    calendar.voteDays(pid, {"from": pboc})

    assert calendar.isHoliday(wednesday)


def test_earlier_votes_carry_a_proposal_once_the_alliance_shrank(
    calendar, registry, gov, customs, pboc
):
    wednesday = _future_day(3)
    pid = _proposal_id(calendar.proposeDays([wednesday], CLOSE, {"from": gov}))
    calendar.voteDays(pid, {"from": customs})
    with reverts_with("BankingCalendarNoMajority", pid, 2, 5):
        calendar.executeDays(pid, {"from": gov})
    for member_id in (BOCOM_ID, ICBC_ID):
        pass_proposal(registry, REMOVE_MEMBER, member_data(member_id), [customs, pboc, gov])

    tx = calendar.executeDays(pid, {"from": pboc})

    assert tx.events["DaysChanged"] == {"proposalId": pid}
    assert calendar.isHoliday(wednesday)


# ----------------------------------------------------------------- closed days in a row
def _weekdays(first: int, last: int):
    return [d for d in range(first, last + 1) if not ucp.is_weekend(d)]


def test_sixteen_closed_days_in_a_row_are_allowed(calendar, set_days):
    saturday = _future_day(6)  # Sat ... the second Sunday after: 16 days

    set_days(_weekdays(saturday, saturday + 15), CLOSE)

    assert calendar.bankingDayAfter(saturday - 1, 1) == saturday + 16


def test_seventeen_closed_days_in_a_row_are_refused(calendar, gov, set_days):
    saturday = _future_day(6)
    set_days(_weekdays(saturday, saturday + 8), CLOSE)  # a 9-day Golden Week
    monday = saturday + 16  # closing it too makes Sat ... Mon 17 days
    days = _weekdays(saturday + 9, saturday + 16)
    before = _calendar_state(calendar, days)

    with reverts_with("BankingCalendarClosedTooLong", days[0], 16):
        calendar.proposeDays(days, CLOSE, {"from": gov})

    assert _calendar_state(calendar, days) == before
    set_days(days[:-1], CLOSE)  # up to the Friday: 16 days
    assert calendar.isBankingDay(monday)


def test_a_run_made_too_long_by_another_proposal_is_refused_on_the_deciding_vote(
    calendar, gov, customs, pboc, set_days
):
    saturday = _future_day(6)
    first = _weekdays(saturday, saturday + 8)
    second = _weekdays(saturday + 9, saturday + 15)  # together with first: 16 days
    pid = _proposal_id(calendar.proposeDays(second, CLOSE, {"from": gov}))
    calendar.voteDays(pid, {"from": customs})
    set_days(first + [saturday + 16], CLOSE)  # Sat ... Mon, with the Monday: 17 once both pass
    before = _calendar_state(calendar, second)

    with reverts_with("BankingCalendarClosedTooLong", second[0], 16):
        calendar.voteDays(pid, {"from": pboc})

    assert _calendar_state(calendar, second) == before


def test_closing_a_year_of_weekdays_is_refused(calendar, gov, customs, pboc):
    """The audit's attack: a year of weekdays closed made `bankingDayAfter` run out of days,
    so `refuse` and `claimPrecluded` reverted. No vote can do that now."""
    start = _future_day(1)
    days = _weekdays(start + 1, start + 366)
    before = _calendar_state(calendar, days[:5])

    with reverts_with("BankingCalendarClosedTooLong", days[0], 16):
        calendar.proposeDays(days, CLOSE, {"from": gov})

    assert _calendar_state(calendar, days[:5]) == before


def test_banking_days_are_found_in_the_most_closed_calendar_allowed(calendar, set_days):
    """Closed 16 days, open 1, over a whole year: 21 banking days still lie within 357 days,
    and counting them stays cheap."""
    start = _future_day(1) + 1  # a Tuesday
    open_days = [start + 16 + 17 * k for k in range(22)]
    set_days([d for d in open_days if ucp.is_weekend(d)], False)
    closed = [d for d in range(start, open_days[-1]) if d not in open_days]
    for part in (closed[:180], closed[180:]):
        set_days([d for d in part if not ucp.is_weekend(d)], CLOSE)

    found = calendar.bankingDayAfter(start - 1, 21)
    gas = calendar.bankingDayAfter.estimate_gas(start - 1, 21)

    assert found == open_days[20]
    assert (
        ucp.Calendar(
            [d for d in closed if not ucp.is_weekend(d)],
            [d for d in open_days if ucp.is_weekend(d)],
        ).banking_day_after(start - 1, 21)
        == found
    )
    assert gas < 200_000


# ------------------------------------------------------------------------------ counting
def test_banking_days_are_counted_over_weekends_holidays_and_working_saturdays(calendar, set_days):
    thursday = _future_day(4)
    friday, saturday, monday = thursday + 1, thursday + 2, thursday + 4

    assert calendar.bankingDayAfter(thursday, 1) == friday
    assert calendar.bankingDayAfter(thursday, 2) == monday
    set_days([friday], CLOSE)
    assert calendar.bankingDayAfter(thursday, 1) == monday
    set_days([saturday], OPEN)
    assert calendar.bankingDayAfter(thursday, 1) == saturday
    assert calendar.bankingDayAfter(thursday, 0) == thursday


def test_counting_gives_up_beyond_366_days(calendar):
    start = _future_day(1)

    with reverts_with("BankingCalendarNoBankingDay", start, 400):
        calendar.bankingDayAfter(start, 400)
    assert calendar.bankingDayAfter(start, 260) == start + 364  # 52 weeks of 5 days


def test_a_last_moment_on_a_closed_day_moves_to_the_end_of_the_next_banking_day(calendar, set_days):
    friday = _future_day(5)
    friday_noon = ucp.start_of(friday) + 12 * HOUR
    set_days([friday + 3], CLOSE)  # the Monday after

    assert calendar.extended(friday_noon) == friday_noon
    assert calendar.extended(friday_noon + DAY) == ucp.end_of(friday + 4)  # Saturday: Tuesday


@pytest.mark.parametrize(
    "weekday,hour,minute,receipt_offset",
    [
        (4, 16, 59, 0),  # Thursday before 17:00: Thursday
        (4, 17, 0, 1),  # Thursday at 17:00: Friday
        (5, 23, 59, 3),  # Friday evening: Monday
        (6, 10, 0, 2),  # Saturday: Monday
        (1, 3, 0, 0),  # Monday 03:00, before opening: Monday
    ],
)
def test_a_record_after_close_of_business_or_on_a_closed_day_counts_from_the_next_banking_day(
    calendar, weekday, hour, minute, receipt_offset
):
    day = _future_day(weekday)
    received_at = ucp.start_of(day) + hour * HOUR + minute * 60

    deadline = calendar.deadlineAfter(received_at, 5)

    assert deadline == ucp.end_of(ucp.Calendar().banking_day_after(day + receipt_offset, 5))
    assert deadline == ucp.Calendar().examination_deadline(received_at)
    assert calendar.CLOSE_OF_BUSINESS() == 17 * HOUR


def test_the_calendar_names_its_registry(calendar, registry):
    assert calendar.registry() == registry
