"""`pausedBetween(from, to)`: the seconds of [from, to) during which the system was paused (a
pause still running counts up to now), the time a contract's clock must stop for; and
`pauseHistory()`. Checked against `paused_seconds`, a Python model of the same rule."""

import pytest
from brownie import chain

from tests.helpers import PAUSE, UNPAUSE, pass_proposal

pytestmark = pytest.mark.timetravel


def paused_seconds(periods, now, start, end):
    """The model: overlap of [start, end) with each pause [s, e) (e None: running until now)."""
    total = 0
    for s, e in periods:
        hi = min(now if e is None else e, end)
        total += max(0, hi - max(s, start))
    return total


def block_time(tx):
    return chain[tx.block_number].timestamp


@pytest.fixture
def alliance(registry, customs, pboc, gov):
    """pause() / unpause() by a majority vote, each returning the time it took effect."""

    class Alliance:
        def pause(self, after=100):
            chain.sleep(after)
            return block_time(pass_proposal(registry, PAUSE, b"", [customs, pboc, gov]))

        def unpause(self, after=100):
            chain.sleep(after)
            return block_time(pass_proposal(registry, UNPAUSE, b"", [customs, pboc, gov]))

    return Alliance()


def now_and_block():
    """The head's time and number: views evaluated at that block see it as `block.timestamp`."""
    chain.mine()
    head = chain[-1]
    return head.timestamp, head.number


def paused_between(registry, start, end, block):
    return registry.pausedBetween(start, end, block_identifier=block)


def history(registry, block="latest"):
    """`pauseHistory()` as plain ints: ([(start, end), ...], start of the running pause)."""
    periods, since = registry.pauseHistory(block_identifier=block)
    return [(int(a), int(b)) for a, b in periods], int(since)


def test_without_any_pause_nothing_was_paused(registry):
    now, block = now_and_block()

    assert paused_between(registry, 0, now, block) == 0
    assert paused_between(registry, now - 1000, now + 1000, block) == 0
    assert history(registry) == ([], 0)


@pytest.fixture
def one_pause(alliance):
    """One ended pause [s, e) of several hundred seconds."""
    s = alliance.pause()
    e = alliance.unpause(after=600)
    return s, e


def test_the_ended_pause_is_recorded(registry, one_pause):
    s, e = one_pause

    assert history(registry) == ([(s, e)], 0)
    assert not registry.paused()


@pytest.mark.parametrize(
    "window, expected",
    [
        (lambda s, e: (s - 50, e + 50), lambda s, e: e - s),  # pause fully inside
        (lambda s, e: (s, e), lambda s, e: e - s),  # exactly the pause
        (lambda s, e: (s + 10, e - 10), lambda s, e: e - s - 20),  # window inside the pause
        (lambda s, e: (s - 50, s + 30), lambda s, e: 30),  # overlaps the pause's start
        (lambda s, e: (e - 30, e + 50), lambda s, e: 30),  # overlaps the pause's end
        (lambda s, e: (s - 50, s), lambda s, e: 0),  # ends as the pause starts
        (lambda s, e: (e, e + 50), lambda s, e: 0),  # starts as the pause ends
        (lambda s, e: (0, s - 1), lambda s, e: 0),  # before
        (lambda s, e: (e + 1, e + 500), lambda s, e: 0),  # after
    ],
    ids=["inside", "exact", "within", "start", "end", "meet-start", "meet-end", "before", "after"],
)
def test_one_ended_pause(registry, one_pause, window, expected):
    s, e = one_pause
    start, end = window(s, e)
    now, block = now_and_block()

    assert paused_between(registry, start, end, block) == expected(s, e)
    assert expected(s, e) == paused_seconds([(s, e)], now, start, end)


def test_an_ongoing_pause_counts_until_now(registry, alliance):
    s = alliance.pause()
    chain.sleep(300)
    now, block = now_and_block()

    assert registry.paused()
    assert history(registry, block) == ([], s)
    assert paused_between(registry, s - 50, now + 1000, block) == now - s
    assert paused_between(registry, s - 50, now, block) == now - s
    assert paused_between(registry, s + 100, now - 100, block) == now - s - 200
    assert paused_between(registry, s - 50, s, block) == 0
    assert paused_between(registry, now, now + 1000, block) == 0


def test_the_count_of_an_ongoing_pause_grows_with_the_clock(registry, alliance):
    s = alliance.pause()
    chain.sleep(100)
    first, first_block = now_and_block()
    chain.sleep(250)
    second, second_block = now_and_block()

    assert paused_between(registry, s, second + 10, first_block) == first - s
    assert paused_between(registry, s, second + 10, second_block) == second - s


@pytest.fixture
def two_pauses_and_a_third_running(alliance):
    """Pauses [s1, e1), [s2, e2) and a third from s3, still running."""
    s1 = alliance.pause()
    e1 = alliance.unpause(after=400)
    s2 = alliance.pause(after=1000)
    e2 = alliance.unpause(after=250)
    s3 = alliance.pause(after=700)
    chain.sleep(150)
    return [(s1, e1), (s2, e2), (s3, None)]


def test_two_pauses_and_a_running_one(registry, two_pauses_and_a_third_running):
    (s1, e1), (s2, e2), (s3, _) = two_pauses_and_a_third_running
    now, block = now_and_block()

    assert history(registry, block) == ([(s1, e1), (s2, e2)], s3)
    assert paused_between(registry, s1 - 10, e2 + 10, block) == (e1 - s1) + (e2 - s2)
    assert paused_between(registry, e1, s2, block) == 0  # between the two
    assert paused_between(registry, s1 + 100, s2 + 50, block) == (e1 - s1 - 100) + 50
    assert paused_between(registry, e1 + 1, e2 + 1, block) == e2 - s2  # the second only
    assert paused_between(registry, 0, now + 1, block) == (e1 - s1) + (e2 - s2) + (now - s3)


def test_every_window_over_the_pause_boundaries_matches_the_model(
    registry, two_pauses_and_a_third_running
):
    periods = two_pauses_and_a_third_running
    now, block = now_and_block()
    edges = sorted({t for s, e in periods for t in (s, e if e is not None else now)})
    points = sorted({max(0, t + d) for t in edges for d in (-7, -1, 0, 1, 7)} | {0, now + 60})

    for i, start in enumerate(points):
        for end in points[i + 1 :: 3]:
            expected = paused_seconds(periods, now, start, end)
            assert paused_between(registry, start, end, block) == expected, (start, end)


@pytest.mark.parametrize("shift", [0, 1, 100])
def test_an_empty_or_reversed_window_has_no_paused_seconds(registry, alliance, shift):
    s = alliance.pause()
    alliance.unpause(after=300)
    alliance.pause(after=100)
    now, block = now_and_block()

    for start in (s, s + 150, now - 10):
        assert paused_between(registry, start, start - shift, block) == 0
