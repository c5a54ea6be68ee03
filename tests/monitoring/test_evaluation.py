"""The thresholds at every boundary (REGULATIONS-2 §B.4, evaluation.py): exactly at a setpoint, at setpoint ∓
dead band, a delay exactly held or one second short, stuck and offline; and the array path agrees with the
reading-by-reading rules on random batches."""

import numpy as np
import pytest

from shouye.monitoring import evaluation as ev

H, HH, L, LL = 1.6, 2.0, 0.4, 0.2
S = 1000  # ms


def limits(n=1, *, hh=HH, h=H, low=L, ll=LL, dead_band=0.1, delay=0, stuck=0):
    nan = np.nan
    return ev.Limits([nan if hh is None else hh] * n, [nan if h is None else h] * n,
                     [nan if low is None else low] * n, [nan if ll is None else ll] * n, [dead_band] * n,
                     [delay * S] * n, [stuck] * n)


def run(values, *, states=None, start=0, step=S, **kw):
    """Evaluate one point's readings, one every ``step`` ms; returns (states, changes)."""
    lim = limits(**kw)
    st = states or ev.States(1)
    times = start + step * np.arange(len(values))
    return st, ev.evaluate(lim, st, np.zeros(len(values), int), times, np.array(values, float))


def conditions(changes, kind="process"):
    return [c.after for c in changes if c.kind == kind]


@pytest.mark.parametrize(("value", "expected"), [
    (H - 0.0001, ev.NORMAL), (H, ev.HIGH), (HH - 0.0001, ev.HIGH), (HH, ev.HIGH_HIGH),
    (L + 0.0001, ev.NORMAL), (L, ev.LOW), (LL + 0.0001, ev.LOW), (LL, ev.LOW_LOW),
])
def test_a_band_is_entered_exactly_at_its_setpoint(value, expected):
    st, _ = run([1.0, value])
    assert st.condition[0] == expected


def test_an_unset_band_is_never_entered():
    st, changes = run([1.0, 5.0, 0.0], hh=None, low=None)
    assert conditions(changes) == [ev.HIGH, ev.LOW_LOW]


def test_leaving_a_high_band_needs_the_value_back_past_the_setpoint_by_the_dead_band():
    st, changes = run([H, 1.5])  # exactly setpoint − dead band (1.6 − 0.1): still in the band
    assert st.condition[0] == ev.HIGH and conditions(changes) == [ev.HIGH]
    st, changes = run([1.4999], states=st, start=10 * S)
    assert st.condition[0] == ev.NORMAL and conditions(changes) == [ev.NORMAL]


def test_leaving_a_low_band_needs_the_value_back_past_the_setpoint_by_the_dead_band():
    st, _ = run([L, 0.5])  # 0.4 + 0.1
    assert st.condition[0] == ev.LOW
    st, _ = run([0.5001], states=st, start=10 * S)
    assert st.condition[0] == ev.NORMAL


def test_from_high_high_back_into_the_dead_band_of_high_high_stays_high_high_then_high():
    st, changes = run([HH, 1.9, 1.8999, 1.5, 1.4999])
    assert conditions(changes) == [ev.HIGH_HIGH, ev.HIGH, ev.NORMAL]


def test_a_band_counts_only_when_held_for_the_delay():
    # Entered at 0 s; at 4 s the delay of 5 s is one second short, at 5 s exactly held.
    st, changes = run([1.7, 1.7, 1.7, 1.7, 1.7], delay=5)
    assert conditions(changes) == [] and st.pending[0] == ev.HIGH and st.pending_since[0] == 0
    st, changes = run([1.7], states=st, start=5 * S, delay=5)
    assert conditions(changes) == [ev.HIGH] and st.pending[0] == ev.NONE
    assert changes[0].at == 5 * S


def test_a_band_left_before_its_delay_never_counts_and_the_wait_starts_again():
    st, changes = run([1.7, 1.7, 1.0, 1.7, 1.7], delay=2, step=S)
    assert conditions(changes) == [] and st.pending_since[0] == 3 * S
    st, changes = run([1.7], states=st, start=5 * S, delay=2)
    assert conditions(changes) == [ev.HIGH]


def test_a_pending_band_survives_a_restart_through_the_state():
    """The state is all a restarted ingest has: a wait begun in one batch is completed by a later batch."""
    st, _ = run([1.7], delay=10)
    again = ev.States(1)
    again.pending[0], again.pending_since[0], again.latest_t[0] = st.pending[0], st.pending_since[0], st.latest_t[0]
    _, changes = run([1.7], states=again, start=9 * S, delay=10)
    assert conditions(changes) == []
    _, changes = run([1.7], states=again, start=10 * S, delay=10)
    assert conditions(changes) == [ev.HIGH]


def test_back_to_normal_needs_no_delay():
    st, _ = run([1.7], delay=0)
    _, changes = run([1.0], states=st, start=S, delay=30)
    assert conditions(changes) == [ev.NORMAL]


def test_stuck_after_the_same_value_so_many_times_and_ended_by_another():
    st, changes = run([1.0, 1.0, 1.0], stuck=4)
    assert not st.stuck[0] and st.repeat_n[0] == 3
    st, changes = run([1.0], states=st, start=3 * S, stuck=4)  # the fourth, across batches
    assert st.stuck[0] and conditions(changes, "stuck") == [1] and changes[0].at == 3 * S
    st, changes = run([1.01], states=st, start=4 * S, stuck=4)
    assert not st.stuck[0] and conditions(changes, "stuck") == [0]


def test_stuck_is_not_checked_when_off():
    st, changes = run([1.0] * 50, stuck=0)
    assert not st.stuck[0] and changes == []


def test_a_reading_not_later_than_the_latest_is_not_evaluated():
    st, _ = run([1.0, 1.0], start=10 * S)
    _, changes = run([2.5], states=st, start=5 * S)  # late
    assert changes == [] and st.latest_t[0] == 11 * S and st.latest_v[0] == 1.0
    _, changes = run([2.5], states=st, start=11 * S)  # the same time again: a redelivery
    assert changes == []


def test_a_reading_ends_offline():
    st = ev.States(1)
    st.offline[0] = True
    _, changes = run([1.0], states=st)
    assert conditions(changes, "offline") == [0] and not st.offline[0]


def test_offline_is_due_after_its_window_exactly():
    last = np.array([0, 0, 0])
    due = ev.offline_due(last, np.array([30 * S, 30 * S, 30 * S]), np.array([False, False, True]), 30 * S)
    assert due.tolist() == [True, True, False]
    assert not ev.offline_due(last, np.array([30 * S]), np.array([False]), 30 * S - 1).any()


def test_the_array_path_agrees_with_the_reading_by_reading_rules():
    rng = np.random.default_rng(13)
    points, n = 40, 4000
    lim = ev.Limits(rng.choice([np.nan, 2.0], points), rng.choice([np.nan, 1.6], points),
                    rng.choice([np.nan, 0.4], points), rng.choice([np.nan, 0.2], points),
                    rng.choice([0.0, 0.05], points), rng.choice([0, 3000], points), rng.choice([0, 3], points))
    fast, slow = ev.States(points), ev.States(points)
    for batch in range(5):
        index = rng.integers(0, points, n)
        times = batch * 10**6 + rng.integers(0, 10**6, n)
        values = np.round(rng.normal(1.0, 0.5, n), 1)
        got = ev.evaluate(lim, fast, index, times, values)
        order = np.lexsort((times, index))
        expected = []
        for p in range(points):
            mine = order[index[order] == p]
            t, v = times[mine], values[mine]
            keep = t > slow.latest_t[p]
            keep[1:] &= t[1:] != t[:-1]
            if keep.any():
                expected += ev.evaluate_point(lim, slow, p, t[keep], v[keep])
        assert sorted(got, key=lambda c: (c.index, c.at)) == sorted(expected, key=lambda c: (c.index, c.at))
        for name in ev.States.__slots__:
            assert np.array_equal(getattr(fast, name), getattr(slow, name), equal_nan=True), name
