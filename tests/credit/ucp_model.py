"""A plain-Python model of the UCP 600 arithmetic the letter-of-credit contract enforces.

Written from the rules, not from the Solidity, so the property tests can compare the two:
- tolerance (Art. 30a): the maximum drawable amount is amount * (1 + tol), rounded down; a
  single drawing under a credit that forbids partial drawings (Art. 31) must reach
  amount * (1 - tol), rounded up;
- calendar days in Shanghai (UTC+8): presentation no later than the end of the 21st calendar
  day after the day of shipment (Art. 14c);
- banking days (Art. 2, 14b): Monday to Friday unless a holiday, plus declared working weekend
  days; the examination deadline is the end of the 5th banking day after the day of
  presentation;
- Art. 29a: a last day for presentation, or an expiry, on a closed day moves to the end of the
  first following banking day.
"""

from fractions import Fraction

DAY = 86_400
UTC_OFFSET = 8 * 3600  # Shanghai time, no daylight saving
BP = 10_000
ABOUT_BP = 1_000  # "about": +/- 10 %
PRESENTATION_DAYS = 21
EXAMINATION_BANKING_DAYS = 5


# ---------------------------------------------------------------- tolerance (Art. 30, 31)
def max_drawable(amount: int, tol_bp: int) -> int:
    """The largest total that may be drawn: amount * (1 + tol), rounded down to a fen."""
    bound = Fraction(amount) * Fraction(BP + tol_bp, BP)
    return bound.numerator // bound.denominator


def min_drawable(amount: int, tol_bp: int) -> int:
    """The smallest single drawing when partial drawings are forbidden, rounded up to a fen."""
    bound = Fraction(amount) * Fraction(BP - tol_bp, BP)
    return -((-bound.numerator) // bound.denominator)


def drawing_error(amount: int, tol_bp: int, partial_allowed: bool, drawn: int, draw: int):
    """None if `draw` may be presented after `drawn` was honoured, else the contract's error."""
    if draw == 0:
        return "LetterOfCreditZeroAmount"
    top = max_drawable(amount, tol_bp)
    if not partial_allowed:
        if drawn:
            return "LetterOfCreditPartialDrawingNotAllowed"
        if not min_drawable(amount, tol_bp) <= draw <= top:
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

    def is_banking_day(self, day: int) -> bool:
        if is_weekend(day):
            return day in self.working
        return day not in self.holidays

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

    def examination_deadline(self, presented_at: int) -> int:
        """Art. 14b, 16d: the end of the 5th banking day following the day of presentation."""
        last = self.banking_day_after(day_of(presented_at), EXAMINATION_BANKING_DAYS)
        return end_of(last)
