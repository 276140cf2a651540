"""Property tests: the contract's tolerance and calendar arithmetic against the model in
tests/credit/ucp_model.py.

Brownie's `given` reverts the chain between examples, so each example starts from the same state.
"""

import pytest
from brownie.test import given
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from tests.credit import ucp_model as ucp
from tests.credit.support import DAY, DOCS, latest_time, vote_days
from tests.helpers import reverts_with

UINT128 = 2**128 - 1


@pytest.fixture(scope="module")
def voters(gov, customs, pboc):
    """A majority of the alliance (3 of 5 members), the government proposing."""
    return [gov, customs, pboc]


# Brownie reverts the chain between examples, which costs more than the calls here, so each
# example checks a batch of inputs.
@given(cases=st.lists(st.tuples(st.integers(0, UINT128), st.integers(0, 2**16 - 1)), min_size=8))
@settings(max_examples=30)
def test_max_drawable_matches_the_model(lc, cases):
    for amount, tol in cases:
        assert lc.maxDrawable(amount, tol) == ucp.max_drawable(amount, tol)


@given(cases=st.lists(st.tuples(st.integers(0, UINT128), st.integers(0, ucp.ABOUT_BP)), min_size=8))
@settings(max_examples=30)
def test_min_drawable_matches_the_model(lc, cases):
    for amount, tol in cases:
        assert lc.minDrawable(amount, tol) == ucp.min_drawable(amount, tol)


def _close_and_open(calendar, voters, closed, opened):
    """The alliance votes the weekdays among `closed` (offsets from a base day two days ahead)
    holidays and the weekend days among `opened` working days, leaving out a holiday that would
    close more than 16 days in a row; returns the base day and the model of that calendar."""
    base = ucp.day_of(latest_time()) + 2
    working = sorted(base + d for d in opened if ucp.is_weekend(base + d))
    model = ucp.Calendar((), working)
    holidays = []
    for day in sorted(base + d for d in closed if not ucp.is_weekend(base + d)):
        model.set_day(day, True)
        if model.closed_run(day) > ucp.MAX_CLOSED_DAYS:
            model.set_day(day, False)
        else:
            holidays.append(day)
    if working:
        vote_days(calendar, working, False, voters)
    if holidays:
        vote_days(calendar, holidays, True, voters)
    return base, model


@given(shipments=st.lists(st.integers(1, 2**40), min_size=8))
@settings(max_examples=30)
def test_the_presentation_deadline_matches_the_model(lc, shipments):
    # The module's calendar has no holidays: weekends alone move a 21st day (Art. 29a).
    model = ucp.Calendar()
    for shipped in shipments:
        assert lc.presentationDeadline(shipped) == model.presentation_deadline(shipped)


@given(
    shipped_offset=st.integers(0, 20 * DAY),
    closed=st.sets(st.integers(15, 45), max_size=20),
    opened=st.sets(st.integers(15, 45), max_size=6),
)
@settings(max_examples=40)
def test_the_presentation_deadline_with_holidays_matches_the_model(
    lc, calendar, voters, shipped_offset, closed, opened
):
    base, model = _close_and_open(calendar, voters, closed, opened)
    shipped = ucp.start_of(base) + shipped_offset

    deadline = lc.presentationDeadline(shipped)

    assert deadline == model.presentation_deadline(shipped)


@given(
    offset=st.integers(0, 28 * DAY),
    closed=st.sets(st.integers(0, 45), max_size=20),
    opened=st.sets(st.integers(0, 45), max_size=6),
)
@settings(max_examples=40)
def test_the_examination_deadline_matches_the_model(lc, calendar, voters, offset, closed, opened):
    # Any second of the day: before opening, in banking hours, after 17:00 (Art. 33).
    base, model = _close_and_open(calendar, voters, closed, opened)
    presented_at = ucp.start_of(base) + offset

    deadline = lc.examinationDeadline(presented_at)

    assert deadline == model.examination_deadline(presented_at)
    assert calendar.deadlineAfter(presented_at, 5) == deadline


@given(
    offset=st.integers(0, 5 * DAY),
    closed=st.sets(st.integers(0, 30), max_size=12),
    opened=st.sets(st.integers(0, 30), max_size=4),
)
@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_a_presentations_deadline_is_fixed_whatever_the_calendar_does_next(
    lc, calendar, voters, open_credit, ship, present, at, offset, closed, opened
):
    credit_id = open_credit()
    ship(credit_id)
    presented_at = latest_time() + 1 + offset
    present(credit_id, when=presented_at)
    fixed = ucp.Calendar().examination_deadline(presented_at)

    _close_and_open(calendar, voters, closed, opened)

    c = lc.creditOf(credit_id)
    assert c["presentedAt"] + c["examWindow"] == fixed


def _draws():
    """Drawings near the tolerance bounds of `amount`, or anywhere up to twice it."""
    near = st.tuples(st.sampled_from(["min", "max"]), st.integers(-3, 3))
    anywhere = st.tuples(st.just("fraction"), st.integers(0, 20_000))
    return st.one_of(near, anywhere)


@given(
    amount=st.integers(1, 100_000_000),
    tol=st.sampled_from([0, 0, 1, 500, 999, ucp.ABOUT_BP]),
    partial=st.booleans(),
    exact=st.booleans(),
    draw_spec=_draws(),
)
@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_a_first_drawing_is_accepted_exactly_when_the_model_says_so(
    lc, open_credit, ship, declare, doc_for, exporter, amount, tol, partial, exact, draw_spec
):
    credit_id = open_credit(
        amount=amount, toleranceBp=tol, partialAllowed=partial, exactAmount=exact
    )
    ship(credit_id)
    decl = declare(value=10**18)  # goods worth more than any credit drawn here
    ref = doc_for(credit_id, decl)
    kind, delta = draw_spec
    if kind == "fraction":
        draw = amount * delta // 10_000
    elif kind == "min":
        draw = max(0, ucp.min_single_drawing(amount, tol, exact) + delta)
    else:
        draw = max(0, ucp.max_drawable(amount, tol) + delta)

    expected = ucp.drawing_error(amount, tol, partial, 0, draw, exact)

    if expected is None:
        lc.present(credit_id, draw, ref, decl, DOCS, {"from": exporter})
        assert lc.creditOf(credit_id)["presentedAmount"] == draw
    else:
        with reverts_with(expected):
            lc.present(credit_id, draw, ref, decl, DOCS, {"from": exporter})
        assert lc.creditOf(credit_id)["presentations"] == 0
