"""Evaluating readings against a point's thresholds (REGULATIONS-2 §B.4: HH/H/L/LL bands with a dead band),
without a query: the ingest hands in the points' limits and states and the batch's readings, and gets back the
new states and the changes the alarms follow.

The rules, for every reading in time order:

- **Bands.** A band is active when its setpoint is set. A value enters 高报 (H) when it is at or above the
  setpoint, 高高报 (HH) likewise above HH; 低报 (L) and 低低报 (LL) at or below theirs. A band is left only when
  the value is back past the setpoint by the dead band: H holds while the value is at or above ``H − dead
  band``, L while at or below ``L + dead band`` (so exactly at ``setpoint ∓ dead band`` the band still holds).
- **Delay.** A change to a band counts only when the band was held for ``delay_seconds``: the first reading
  in it starts the wait (``pending``/``pending_since``, kept in ``PointStatus`` so a restarted ingest goes
  on), a reading ``delay`` or more later confirms it. Falling back to normal needs no delay (the dead band
  already keeps a value near the setpoint from chattering).
- **Stuck.** The same value ``stuck_after_readings`` times in a row is stuck (0: not checked); any other value
  ends it.
- **Offline.** No reading for ``offline_after_intervals × expected_interval_seconds`` is offline, which a sweep
  decides with the clock (:func:`offline_due`); the next reading ends it.

A reading not later than the point's latest is written but not evaluated, so a redelivered or late message
never moves a point's evaluation back (and never raises an alarm twice).

Speed: the ingest evaluates every reading (issue 13: 50,000 readings/s on one box). :func:`evaluate` works on
whole arrays; only a point whose condition changes in the batch, or that has a band pending, is stuck,
offline or close to stuck, is evaluated reading by reading in Python (:func:`evaluate_point`, the same
rules)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .choices import Condition

NORMAL, HIGH, HIGH_HIGH, LOW, LOW_LOW = 0, 1, 2, -1, -2
#: ``pending`` when no band is pending.
NONE = 9
#: ``latest_t``/``condition_since``/``pending_since`` when there is none.
NEVER = np.iinfo(np.int64).min

CONDITION = {NORMAL: Condition.NORMAL, HIGH: Condition.HIGH, HIGH_HIGH: Condition.HIGH_HIGH,
             LOW: Condition.LOW, LOW_LOW: Condition.LOW_LOW}
CODE = {value: key for key, value in CONDITION.items()}


def severity(code: int) -> int:
    """How far out of limits: 2 for HH/LL, 1 for H/L, 0 normal (a worsening is a rise of this)."""
    return abs(code)


@dataclass(frozen=True, slots=True)
class Change:
    """One change of a point in the batch: ``kind`` is ``process`` (``before``/``after`` condition codes),
    ``stuck`` or ``offline`` (``after`` True when it began); ``at`` the reading's epoch ms."""

    index: int
    kind: str
    before: int
    after: int
    at: int
    value: float


class Limits:
    """The points' limits as arrays, one row per point of the batch: setpoints (NaN when unset), dead band,
    delay in ms and the stuck count."""

    __slots__ = ("high_high", "high", "low", "low_low", "dead_band", "delay_ms", "stuck_after", "hold_hh",
                 "hold_h", "hold_l", "hold_ll")

    def __init__(self, high_high, high, low, low_low, dead_band, delay_ms, stuck_after):
        self.high_high = np.asarray(high_high, dtype=np.float64)
        self.high = np.asarray(high, dtype=np.float64)
        self.low = np.asarray(low, dtype=np.float64)
        self.low_low = np.asarray(low_low, dtype=np.float64)
        self.dead_band = np.asarray(dead_band, dtype=np.float64)
        self.delay_ms = np.asarray(delay_ms, dtype=np.int64)
        self.stuck_after = np.asarray(stuck_after, dtype=np.int64)
        # Where each band is left, rounded to 9 decimals so that a value typed as exactly "setpoint − dead
        # band" (1.5 for 1.6 and 0.1) is exactly at the boundary despite binary fractions.
        self.hold_hh = np.round(self.high_high - self.dead_band, 9)
        self.hold_h = np.round(self.high - self.dead_band, 9)
        self.hold_l = np.round(self.low + self.dead_band, 9)
        self.hold_ll = np.round(self.low_low + self.dead_band, 9)


class States:
    """The points' evaluation states as arrays (one row per point of the batch), updated in place."""

    __slots__ = ("condition", "condition_since", "pending", "pending_since", "latest_t", "latest_v",
                 "repeat_v", "repeat_n", "stuck", "offline", "evaluated")

    def __init__(self, size: int):
        self.condition = np.zeros(size, np.int8)
        self.condition_since = np.full(size, NEVER, np.int64)
        self.pending = np.full(size, NONE, np.int8)
        self.pending_since = np.full(size, NEVER, np.int64)
        self.latest_t = np.full(size, NEVER, np.int64)
        self.latest_v = np.full(size, np.nan)
        self.repeat_v = np.full(size, np.nan)
        self.repeat_n = np.zeros(size, np.int64)
        self.stuck = np.zeros(size, bool)
        self.offline = np.zeros(size, bool)
        #: Set for the points that had a reading evaluated (their status row is written).
        self.evaluated = np.zeros(size, bool)


def band(lim: Limits, i: int, condition: int, value: float) -> int:
    """The band ``value`` is in for point ``i`` whose confirmed condition is ``condition`` (the dead band
    holds the band it is in). NaN setpoints compare false: an unset band is never entered."""
    if value >= lim.high_high[i] or (condition == HIGH_HIGH and value >= lim.hold_hh[i]):
        return HIGH_HIGH
    if value >= lim.high[i] or (condition in (HIGH, HIGH_HIGH) and value >= lim.hold_h[i]):
        return HIGH
    if value <= lim.low_low[i] or (condition == LOW_LOW and value <= lim.hold_ll[i]):
        return LOW_LOW
    if value <= lim.low[i] or (condition in (LOW, LOW_LOW) and value <= lim.hold_l[i]):
        return LOW
    return NORMAL


def evaluate_point(lim: Limits, st: States, i: int, times, values) -> list[Change]:
    """Evaluate point ``i``'s readings (ascending times, all later than its latest) one by one."""
    changes = []
    delay, stuck_after = int(lim.delay_ms[i]), int(lim.stuck_after[i])
    condition, pending, since = int(st.condition[i]), int(st.pending[i]), int(st.pending_since[i])
    condition_since = int(st.condition_since[i])
    repeat_v, repeat_n, stuck, offline = float(st.repeat_v[i]), int(st.repeat_n[i]), bool(st.stuck[i]), \
        bool(st.offline[i])
    for t, v in zip(times.tolist(), values.tolist(), strict=True):
        if offline:
            offline = False
            changes.append(Change(i, "offline", 1, 0, t, v))
        target = band(lim, i, condition, v)
        if target == condition:
            pending = NONE
        elif target == NORMAL or delay == 0:
            changes.append(Change(i, "process", condition, target, t, v))
            condition, condition_since, pending = target, t, NONE
        else:
            if pending != target:
                pending, since = target, t
            if t - since >= delay:
                changes.append(Change(i, "process", condition, target, t, v))
                condition, condition_since, pending = target, t, NONE
        if v == repeat_v:
            repeat_n += 1
        else:
            repeat_v, repeat_n = v, 1
        now_stuck = stuck_after > 0 and repeat_n >= stuck_after
        if now_stuck != stuck:
            stuck = now_stuck
            changes.append(Change(i, "stuck", int(not stuck), int(stuck), t, v))
    st.condition[i], st.condition_since[i], st.pending[i] = condition, condition_since, pending
    st.pending_since[i] = since if pending != NONE else NEVER
    st.repeat_v[i], st.repeat_n[i], st.stuck[i], st.offline[i] = repeat_v, repeat_n, stuck, offline
    st.latest_t[i], st.latest_v[i], st.evaluated[i] = times[-1], values[-1], True
    return changes


def evaluate(lim: Limits, st: States, index, times, values) -> list[Change]:
    """Evaluate a batch: ``index`` (the point's row in ``lim``/``st``), ``times`` (epoch ms) and ``values``
    are arrays of the same length in any order. Updates ``st`` and returns the changes in time order per
    point."""
    index = np.asarray(index, np.int64)
    times = np.asarray(times, np.int64)
    values = np.asarray(values, np.float64)
    order = np.lexsort((times, index))
    index, times, values = index[order], times[order], values[order]
    keep = times > st.latest_t[index]
    if len(index) > 1:
        keep[1:] &= ~((index[1:] == index[:-1]) & (times[1:] == times[:-1]))
    index, times, values = index[keep], times[keep], values[keep]
    n = len(index)
    if n == 0:
        return []
    first = np.empty(n, bool)
    first[0] = True
    first[1:] = index[1:] != index[:-1]
    starts = np.flatnonzero(first)
    ends = np.r_[starts[1:], n]
    points = index[starts]

    # The band of each reading if the point's condition stayed as it is: a point where any reading differs
    # from its condition changes in this batch.
    c = st.condition[index]
    is_hh = (values >= lim.high_high[index]) | ((c == HIGH_HIGH) & (values >= lim.hold_hh[index]))
    is_h = (values >= lim.high[index]) | (((c == HIGH) | (c == HIGH_HIGH)) & (values >= lim.hold_h[index]))
    is_ll = (values <= lim.low_low[index]) | ((c == LOW_LOW) & (values <= lim.hold_ll[index]))
    is_l = (values <= lim.low[index]) | (((c == LOW) | (c == LOW_LOW)) & (values <= lim.hold_l[index]))
    target = np.select([is_hh, is_h, is_ll, is_l], [HIGH_HIGH, HIGH, LOW_LOW, LOW], NORMAL)
    differs = np.logical_or.reduceat(target != c, starts)

    # Runs of equal values, continuing the point's run from before the batch.
    positions = np.arange(n)
    same = np.zeros(n, bool)
    same[1:] = (values[1:] == values[:-1]) & ~first[1:]
    run_start = np.maximum.accumulate(np.where(same, 0, positions))
    carry = np.where(first & (values == st.repeat_v[index]), st.repeat_n[index], 0)
    run = positions - run_start + 1 + carry[run_start]
    longest = np.maximum.reduceat(run, starts)
    stuck_after = lim.stuck_after[points]
    near_stuck = (stuck_after > 0) & (st.stuck[points] | (longest >= stuck_after))

    slow = differs | (st.pending[points] != NONE) | st.offline[points] | near_stuck
    fast = points[~slow]
    last = ends[~slow] - 1
    st.latest_t[fast], st.latest_v[fast] = times[last], values[last]
    st.repeat_v[fast], st.repeat_n[fast] = values[last], run[last]
    st.evaluated[fast] = True

    changes: list[Change] = []
    for k in np.flatnonzero(slow).tolist():
        a, b = starts[k], ends[k]
        changes += evaluate_point(lim, st, int(points[k]), times[a:b], values[a:b])
    return changes


def offline_due(last_seen_ms, window_ms, offline, now_ms: int):
    """Which points are newly offline at ``now_ms``: not offline yet and nothing received for their window
    (``offline_after_intervals × expected_interval_seconds``)."""
    last_seen_ms = np.asarray(last_seen_ms, np.int64)
    return ~np.asarray(offline, bool) & (now_ms - last_seen_ms >= np.asarray(window_ms, np.int64))
