"""The banking-day calendar: who keeps it, which days may change, and how days are counted."""

import pytest

from tests.credit import ucp_model as ucp
from tests.credit.support import DAY, HOUR, latest_time
from tests.helpers import GOV_ID, PBOC_ID, reverts_with


def _future_day(iso_weekday: int, weeks_ahead: int = 2) -> int:
    day = ucp.day_of(latest_time()) + 7 * weeks_ahead
    while ucp.weekday(day) != iso_weekday:
        day += 1
    return day


def _calendar_state(calendar, days):
    return [(calendar.isBankingDay(d), calendar.isHoliday(d)) for d in days]


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


@pytest.mark.parametrize("keeper,member_id", [("gov", GOV_ID), ("pboc", PBOC_ID)])
def test_government_and_central_bank_declare_holidays(calendar, keeper, member_id, request):
    account = request.getfixturevalue(keeper)
    wednesday, thursday = _future_day(3), _future_day(4)

    tx = calendar.setHolidays([wednesday, thursday], True, {"from": account})

    assert not calendar.isBankingDay(wednesday) and not calendar.isBankingDay(thursday)
    assert calendar.isHoliday(wednesday) and calendar.isHoliday(thursday)
    assert [dict(e) for e in tx.events["HolidaySet"]] == [
        {"day": wednesday, "closed": True, "memberId": member_id},
        {"day": thursday, "closed": True, "memberId": member_id},
    ]


def test_a_holiday_can_be_lifted(calendar, gov):
    wednesday = _future_day(3)
    calendar.setHolidays([wednesday], True, {"from": gov})

    tx = calendar.setHolidays([wednesday], False, {"from": gov})

    assert calendar.isBankingDay(wednesday) and not calendar.isHoliday(wednesday)
    assert tx.events["HolidaySet"] == {"day": wednesday, "closed": False, "memberId": GOV_ID}


def test_a_weekend_day_can_be_made_a_working_day_and_back(calendar, gov):
    saturday = _future_day(6)

    tx = calendar.setWorkingWeekendDays([saturday], True, {"from": gov})

    assert calendar.isBankingDay(saturday) and not calendar.isHoliday(saturday)
    assert tx.events["WorkingWeekendDaySet"] == {
        "day": saturday,
        "open": True,
        "memberId": GOV_ID,
    }
    calendar.setWorkingWeekendDays([saturday], False, {"from": gov})
    assert not calendar.isBankingDay(saturday)


@pytest.mark.parametrize("who", ["customs", "bocom", "exporter", "deployer", "outsider"])
def test_only_government_and_central_bank_keep_the_calendar(calendar, who, request):
    account = request.getfixturevalue(who)
    wednesday, saturday = _future_day(3), _future_day(6)

    with reverts_with("BankingCalendarUnauthorized", account):
        calendar.setHolidays([wednesday], True, {"from": account})
    with reverts_with("BankingCalendarUnauthorized", account):
        calendar.setWorkingWeekendDays([saturday], True, {"from": account})

    assert _calendar_state(calendar, [wednesday, saturday]) == [(True, False), (False, False)]


def test_today_and_the_past_cannot_change(calendar, gov, at):
    monday = _future_day(1)
    at(ucp.start_of(monday) + 9 * HOUR)

    with reverts_with("BankingCalendarPastDay", monday, monday):
        calendar.setHolidays([monday], True, {"from": gov})
    with reverts_with("BankingCalendarPastDay", monday - 2, monday):
        calendar.setWorkingWeekendDays([monday - 2], True, {"from": gov})

    assert calendar.isBankingDay(monday) and not calendar.isBankingDay(monday - 2)


def test_tomorrow_may_change(calendar, gov, at):
    monday = _future_day(1)
    at(ucp.start_of(monday) + 23 * HOUR)

    calendar.setHolidays([monday + 1], True, {"from": gov})

    assert calendar.isHoliday(monday + 1)


def test_holidays_are_weekdays_and_working_weekend_days_are_weekend_days(calendar, gov):
    wednesday, sunday = _future_day(3), _future_day(7)

    with reverts_with("BankingCalendarNotAWeekday", sunday):
        calendar.setHolidays([sunday], True, {"from": gov})
    with reverts_with("BankingCalendarNotAWeekendDay", wednesday):
        calendar.setWorkingWeekendDays([wednesday], True, {"from": gov})

    assert _calendar_state(calendar, [wednesday, sunday]) == [(True, False), (False, False)]


def test_a_change_that_changes_nothing_is_refused(calendar, gov):
    wednesday, saturday = _future_day(3), _future_day(6)
    calendar.setHolidays([wednesday], True, {"from": gov})

    with reverts_with("BankingCalendarUnchanged", wednesday):
        calendar.setHolidays([wednesday], True, {"from": gov})
    with reverts_with("BankingCalendarUnchanged", saturday):
        calendar.setWorkingWeekendDays([saturday], False, {"from": gov})

    assert _calendar_state(calendar, [wednesday, saturday]) == [(False, True), (False, False)]


def test_an_empty_list_is_refused(calendar, gov):
    with reverts_with("BankingCalendarEmptyList"):
        calendar.setHolidays([], True, {"from": gov})
    with reverts_with("BankingCalendarEmptyList"):
        calendar.setWorkingWeekendDays([], True, {"from": gov})


def test_one_bad_day_in_a_list_changes_nothing(calendar, gov):
    wednesday, thursday, sunday = _future_day(3), _future_day(4), _future_day(7)

    with reverts_with("BankingCalendarNotAWeekday", sunday):
        calendar.setHolidays([wednesday, thursday, sunday], True, {"from": gov})

    assert _calendar_state(calendar, [wednesday, thursday]) == [(True, False), (True, False)]


def test_the_calendar_cannot_change_while_the_system_is_paused(calendar, gov, pause):
    wednesday, saturday = _future_day(3), _future_day(6)
    pause()

    with reverts_with("BankingCalendarPaused"):
        calendar.setHolidays([wednesday], True, {"from": gov})
    with reverts_with("BankingCalendarPaused"):
        calendar.setWorkingWeekendDays([saturday], True, {"from": gov})

    assert _calendar_state(calendar, [wednesday, saturday]) == [(True, False), (False, False)]


def test_banking_days_are_counted_over_weekends_holidays_and_working_saturdays(calendar, gov):
    thursday = _future_day(4)
    friday, saturday, monday = thursday + 1, thursday + 2, thursday + 4

    assert calendar.bankingDayAfter(thursday, 1) == friday
    assert calendar.bankingDayAfter(thursday, 2) == monday
    calendar.setHolidays([friday], True, {"from": gov})
    assert calendar.bankingDayAfter(thursday, 1) == monday
    calendar.setWorkingWeekendDays([saturday], True, {"from": gov})
    assert calendar.bankingDayAfter(thursday, 1) == saturday
    assert calendar.bankingDayAfter(thursday, 0) == thursday


def test_counting_gives_up_after_a_year_without_banking_days(calendar, gov):
    start = _future_day(1)
    weekdays = [d for d in range(start + 1, start + 367) if not ucp.is_weekend(d)]
    calendar.setHolidays(weekdays, True, {"from": gov})

    with reverts_with("BankingCalendarNoBankingDay", start, 1):
        calendar.bankingDayAfter(start, 1)
    assert calendar.bankingDayAfter(start, 0) == start


def test_the_calendar_names_its_registry(calendar, registry):
    assert calendar.registry() == registry
