"""The demo's gateways (shouye.monitoring.simulator): each point reads at its interval around an operating value
inside its setpoints, the occasional excursion crosses 高报 or 高高报 and comes back, a point goes silent for a
while, and the messages follow the wire format. Deterministic for a seed."""

import itertools
import json

import pytest

from shouye.monitoring.choices import PointKind
from shouye.monitoring.simulator import (
    MAX_READINGS_PER_MESSAGE,
    SimulatedPoint,
    Simulator,
    active_points,
    messages,
)

from . import kit

START = 1_790_000_000.0

PRESSURE = SimulatedPoint(pk=1, code="PT-101", gateway="gw-1", kind=PointKind.PRESSURE, interval=5, range_min=0,
                          range_max=2.5, high=1.6, high_high=2.0)
LEVEL = SimulatedPoint(pk=2, code="LT-101", gateway="gw-1", kind=PointKind.LEVEL, interval=10, range_min=0,
                       range_max=100, low_low=10, low=20, high=80, high_high=90)
METHANE = SimulatedPoint(pk=3, code="GC-01", gateway="gw-2", kind=PointKind.COMBUSTIBLE_GAS, interval=10,
                         range_min=0, range_max=100, high=25, high_high=50)
OXYGEN = SimulatedPoint(pk=4, code="GO-01", gateway="gw-2", kind=PointKind.OXYGEN, interval=10, range_min=0,
                        range_max=30, low=19.5, high=23.5)
POINTS = [PRESSURE, LEVEL, METHANE, OXYGEN]


def play(simulator: Simulator, seconds: int) -> dict[str, list[tuple[int, float]]]:
    """Every reading of ``seconds`` of ticks, by point code."""
    series: dict[str, list[tuple[int, float]]] = {}
    for n in range(1, seconds + 1):
        for rows in simulator.tick(START + n).values():
            for code, ms, value in rows:
                series.setdefault(code, []).append((ms, value))
    return series


def test_quiet_points_read_at_their_interval_inside_their_setpoints():
    series = play(Simulator(POINTS, start=START, seed=1, excursions_per_hour=0, outages_per_hour=0), 3600)
    assert {code: len(rows) for code, rows in series.items()} == {"PT-101": 720, "LT-101": 360, "GC-01": 360,
                                                                   "GO-01": 360}
    times = [ms for ms, _ in series["PT-101"]]
    assert {b - a for a, b in itertools.pairwise(times)} == {5000}
    for point in POINTS:
        values = [value for _, value in series[point.code]]
        below = point.high if point.high is not None else point.range_max
        above = point.low if point.low is not None else point.range_min
        assert above < min(values) and max(values) < below, point.code
        assert not any(a == b == c for a, b, c in zip(values, values[1:], values[2:], strict=False)), f"{point.code} is stuck"
    assert max(v for _, v in series["GC-01"]) < 5  # a few %LEL at most in clean air
    assert all(20.5 < v < 21.3 for _, v in series["GO-01"])


def test_excursions_cross_the_setpoints_for_a_minute_or_two_and_come_back():
    series = play(Simulator(POINTS, start=START, seed=3, excursions_per_hour=20, outages_per_hour=0), 3 * 3600)
    pressure = series["PT-101"]
    high = [ms for ms, value in pressure if value > PRESSURE.high]
    assert high, "some excursion should pass 高报"
    assert any(value > PRESSURE.high_high for _, value in pressure), "some should pass 高高报"
    assert any(value > METHANE.high for _, value in series["GC-01"])
    # Each episode above 高报 lasts at most the longest excursion, and the value comes back below it.
    episodes, begin, previous = [], high[0], high[0]
    for ms in high[1:]:
        if ms - previous > PRESSURE.interval * 1000:
            episodes.append(previous - begin)
            begin = ms
        previous = ms
    episodes.append(previous - begin)
    assert max(episodes) <= 150_000
    assert pressure[-1][1] < PRESSURE.high or len(episodes) > 1


def test_a_point_goes_silent_for_a_while_and_comes_back():
    series = play(Simulator([PRESSURE], start=START, seed=5, excursions_per_hour=0, outages_per_hour=3), 3 * 3600)
    times = [ms for ms, _ in series["PT-101"]]
    gaps = [b - a for a, b in itertools.pairwise(times) if b - a > 5000]
    assert gaps and min(gaps) >= 5 * 60 * 1000  # silent long enough to be offline (3 intervals)
    assert times[-1] > START * 1000 + 3 * 3600 * 1000 - 30 * 60 * 1000  # and reading again


def test_the_same_seed_gives_the_same_readings():
    def run(seed):
        return play(Simulator(POINTS, start=START, seed=seed, excursions_per_hour=10, outages_per_hour=2), 1800)

    assert run(7) == run(7)
    assert run(7) != run(8)


def test_messages_follow_the_wire_format():
    many = [SimulatedPoint(pk=100 + n, code=f"P{n}", gateway="gw-big", kind=PointKind.FLOW, interval=1,
                           range_min=0, range_max=10, high=8) for n in range(MAX_READINGS_PER_MESSAGE + 10)]
    detector = SimulatedPoint(pk=3, code="GC-01", gateway="gw-2", kind=PointKind.COMBUSTIBLE_GAS, interval=1,
                              range_min=0, range_max=100, high=25, high_high=50)
    simulator = Simulator([*many, detector], start=START, seed=1, excursions_per_hour=0, outages_per_hour=0)
    sent = list(messages(simulator.tick(START + 1)))
    topics = [topic for topic, _ in sent]
    assert topics == ["shouye/v1/gw-2/readings", *["shouye/v1/gw-big/readings"] * 2]
    bodies = [json.loads(payload) for _, payload in sent]
    assert all(len(body["r"]) <= MAX_READINGS_PER_MESSAGE for body in bodies)
    code, ms, value = bodies[0]["r"][0]
    assert code == "GC-01" and isinstance(ms, int) and isinstance(value, float)


@pytest.mark.django_db
def test_it_feeds_the_active_points_of_active_gateways(cast):
    gateway = kit.gateway(cast["inside"])
    kit.point(gateway, "PT-101")
    kit.point(gateway, "PT-102", is_active=False)
    kit.point(kit.gateway(cast["inside"], "gw-off", is_active=False), "PT-201")
    assert [(p.gateway, p.code) for p in active_points()] == [("gw-1", "PT-101")]
