"""A plain-Python model of the UCP 600 arithmetic the letter-of-credit contract enforces.

Written from the rules, not from the Solidity, so the property tests can compare the two:
- tolerance (Art. 30a): the maximum drawable amount is amount * (1 + tol), rounded down; a
  single drawing under a credit that forbids partial drawings (Art. 31) must reach
  amount * (1 - tol), rounded up; with no tolerance stated it may be up to 5 % short (Art. 30c)
  unless the credit excludes that (its `exactAmount` term);
- calendar days in Shanghai (UTC+8): presentation no later than the end of the 21st calendar
  day after the day of shipment (Art. 14c);
- banking days (Art. 2, 14b): Monday to Friday unless a holiday, plus declared working weekend
  days; the calendar never closes more than 16 days in a row;
- the examination deadline is the end of the 5th banking day following the day of
  presentation, where a presentation on a closed day or at or after 17:00 (close of business)
  counts as made on the next banking day (Art. 33);
- Art. 29a: a last day for presentation, or an expiry, on a closed day moves to the end of the
  first following banking day;
- Art. 36: no clock runs while the alliance has paused the system: a deadline `d` of a clock
  started at `s` has passed at `t` only when t > d + (seconds paused in [s, t)). The
  examination clock starts at presentation, the 21-day clock at shipment, the expiry clock 38
  days before expiry.
"""

from fractions import Fraction

DAY = 86_400
HOUR = 3_600
UTC_OFFSET = 8 * HOUR  # Shanghai time, no daylight saving
BP = 10_000
ABOUT_BP = 1_000  # "about": +/- 10 %
SHORTFALL_BP = 500  # Art. 30c: up to 5 % short
PRESENTATION_DAYS = 21
EXAMINATION_BANKING_DAYS = 5
CLOSE_OF_BUSINESS = 17 * HOUR  # Art. 33: banking hours end at 17:00 Shanghai time
MAX_CLOSED_DAYS = 16  # the longest run of closed days the alliance's calendar allows
EXPIRY_PAUSE_SPAN = (PRESENTATION_DAYS + 1 + MAX_CLOSED_DAYS) * DAY


# ---------------------------------------------------------------- tolerance (Art. 30, 31)
def max_drawable(amount: int, tol_bp: int) -> int:
    """The largest total that may be drawn: amount * (1 + tol), rounded down to a fen."""
    bound = Fraction(amount) * Fraction(BP + tol_bp, BP)
    return bound.numerator // bound.denominator


def min_drawable(amount: int, tol_bp: int) -> int:
    """amount * (1 - tol), rounded up to a fen."""
    bound = Fraction(amount) * Fraction(BP - tol_bp, BP)
    return -((-bound.numerator) // bound.denominator)


def min_single_drawing(amount: int, tol_bp: int, exact: bool = False) -> int:
    """The smallest single drawing when partial drawings are forbidden: within the stated
    tolerance (Art. 30a) or, with none stated, 5 % short (Art. 30c) unless the credit excludes
    it."""
    if tol_bp or exact:
        return min_drawable(amount, tol_bp)
    return min_drawable(amount, SHORTFALL_BP)


def drawing_error(
    amount: int, tol_bp: int, partial_allowed: bool, drawn: int, draw: int, exact: bool = False
):
    """None if `draw` may be presented after `drawn` was honoured, else the contract's error."""
    if draw == 0:
        return "LetterOfCreditZeroAmount"
    top = max_drawable(amount, tol_bp)
    if not partial_allowed:
        if drawn:
            return "LetterOfCreditPartialDrawingNotAllowed"
        if not min_single_drawing(amount, tol_bp, exact) <= draw <= top:
            return "LetterOfCreditOutsideTolerance"
        return None
    if drawn + draw > top:
        return "LetterOfCreditOverdrawn"
    return None


# ------------------------------------------------------------------------ calendar days
def day_of(timestamp: int) -> int:
    """Shanghai day number (day 0 = 1970-01-01 in Shanghai, a Thursday)."""
    return (timestamp + UTC_OFFSET) // DAY


def start_of(day: int) -> int:
    return day * DAY - UTC_OFFSET


def end_of(day: int) -> int:
    """The last second of Shanghai day `day`."""
    return start_of(day + 1) - 1


def time_of_day(timestamp: int) -> int:
    """Seconds since midnight in Shanghai."""
    return timestamp - start_of(day_of(timestamp))


def weekday(day: int) -> int:
    """ISO weekday of a Shanghai day: Monday 1 ... Sunday 7."""
    return (day + 3) % 7 + 1


def is_weekend(day: int) -> bool:
    return weekday(day) >= 6


# ------------------------------------------------------------------------- banking days
class Calendar:
    """Banking days: weekdays that are not holidays, and weekend days declared working days."""

    def __init__(self, holidays=(), working_weekend_days=()):
        self.holidays = set(holidays)
        self.working = set(working_weekend_days)

    def copy(self) -> "Calendar":
        return Calendar(self.holidays, self.working)

    def is_banking_day(self, day: int) -> bool:
        if is_weekend(day):
            return day in self.working
        return day not in self.holidays

    def set_day(self, day: int, closed: bool) -> None:
        """Close or open one day (a weekday becomes a holiday, a weekend day a working day)."""
        target = self.holidays if not is_weekend(day) else self.working
        if is_weekend(day) != closed:
            target.add(day)
        else:
            target.discard(day)

    def closed_run(self, day: int) -> int:
        """The number of closed days in a row through `day` (0 if it is open)."""
        if self.is_banking_day(day):
            return 0
        first = last = day
        while not self.is_banking_day(first - 1):
            first -= 1
        while not self.is_banking_day(last + 1):
            last += 1
        return last - first + 1

    def change_error(self, days, closed: bool, today: int):
        """None if the alliance may propose to close (or open) `days`, else the error."""
        if not days:
            return "BankingCalendarEmptyList"
        if any(b <= a for a, b in zip(days, days[1:], strict=False)):
            return "BankingCalendarNotAscending"
        after = self.copy()
        for day in days:
            if day <= today:
                return "BankingCalendarPastDay"
            if self.is_banking_day(day) != closed:
                return "BankingCalendarUnchanged"
            after.set_day(day, closed)
        if closed and any(after.closed_run(d) > MAX_CLOSED_DAYS for d in days):
            return "BankingCalendarClosedTooLong"
        return None

    def banking_day_after(self, day: int, count: int) -> int:
        found = 0
        while found < count:
            day += 1
            if self.is_banking_day(day):
                found += 1
        return day

    def extended(self, last_moment: int) -> int:
        """Art. 29a: on a closed day, the end of the first following banking day instead."""
        day = day_of(last_moment)
        return last_moment if self.is_banking_day(day) else end_of(self.banking_day_after(day, 1))

    def presentation_deadline(self, shipped_on_board: int) -> int:
        """Art. 14c, 29a: the end of the 21st calendar day after the day of shipment, or of the
        first banking day after it if the banks are closed that day."""
        return self.extended(end_of(day_of(shipped_on_board) + PRESENTATION_DAYS))

    def day_of_presentation(self, presented_at: int) -> int:
        """Art. 33: the banking day a presentation counts as made on: its own day if the banks
        are open and it came before close of business, else the next banking day."""
        day = day_of(presented_at)
        if time_of_day(presented_at) >= CLOSE_OF_BUSINESS or not self.is_banking_day(day):
            return self.banking_day_after(day, 1)
        return day

    def examination_deadline(self, presented_at: int) -> int:
        """Art. 14b, 16d: the end of the 5th banking day following the day of presentation."""
        received = self.day_of_presentation(presented_at)
        return end_of(self.banking_day_after(received, EXAMINATION_BANKING_DAYS))


# ---------------------------------------------------------------------- pauses (Art. 36)
def paused_between(pauses, start: int, end: int, now: int | None = None) -> int:
    """Seconds of [start, end) the system was paused; `pauses` are (from, to) pairs, `to` None
    for a pause still running (counted up to `now`)."""
    total = 0
    for p_from, p_to in pauses:
        p_to = now if p_to is None else p_to
        total += max(0, min(p_to, end) - max(p_from, start))
    return total


def passed(deadline: int, clock_start: int, t: int, pauses=()) -> bool:
    """Whether a deadline of a clock started at `clock_start` has passed at `t`."""
    return t > deadline and t > deadline + paused_between(pauses, clock_start, t)


def expiry_clock_start(expiry: int) -> int:
    return max(0, expiry - EXPIRY_PAUSE_SPAN)
