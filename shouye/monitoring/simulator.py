"""The demo's gateways (``shouye simulate``, started by ``shouye up`` beside the embedded broker): plausible
readings of every active point at its expected interval, published as the real gateways publish them (one JSON
message per gateway per tick on ``shouye/v1/<gateway code>/readings``, QoS 1; README "Monitoring").

Each point reads around an operating value inside its setpoints — the middle of its normal band, a few %LEL or
% of the OEL for a gas detector, 20.9 %VOL for oxygen — with noise and a slow drift. Now and then (by default a
few times an hour across the district) a point makes an excursion past its 高报 or 高高报 setpoint for a minute or
two and comes back, or goes silent for a while (offline), so a newcomer sees live values and alarms.
:class:`Simulator` is deterministic for a seed and a start time; :func:`run` is the loop that publishes."""

from __future__ import annotations

import json
import logging
import math
import random
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

from .choices import PointKind

logger = logging.getLogger(__name__)

#: The wire format's limit of readings per JSON message.
MAX_READINGS_PER_MESSAGE = 5_000
#: Default events per hour across all points: excursions past a setpoint, and points going silent.
EXCURSIONS_PER_HOUR = 4.0
OUTAGES_PER_HOUR = 1.0
#: How long an excursion lasts (s), of which the rise and the fall take RAMP each; how long a point stays silent.
EXCURSION_SECONDS = (60, 150)
RAMP = 15
SILENCE_SECONDS = (5 * 60, 20 * 60)
#: Share of excursions that reach past 高高报 rather than stopping between 高报 and 高高报.
PAST_HIGH_HIGH = 0.35
#: Period of the slow drift (s).
DRIFT_PERIOD = (2 * 3600, 6 * 3600)


@dataclass(frozen=True)
class SimulatedPoint:
    """What the simulator needs of a monitoring point."""

    pk: int
    code: str
    gateway: str
    kind: str
    interval: int
    range_min: float
    range_max: float
    low_low: float | None = None
    low: float | None = None
    high: float | None = None
    high_high: float | None = None

    @classmethod
    def of(cls, point) -> SimulatedPoint:
        return cls(pk=point.pk, code=point.code, gateway=point.gateway.code, kind=point.kind,
                   interval=max(1, point.expected_interval_seconds), range_min=point.range_min,
                   range_max=point.range_max, low_low=point.low_low, low=point.low, high=point.high,
                   high_high=point.high_high)

    def operating(self) -> tuple[float, float, float]:
        """The operating value, the noise's standard deviation and the drift's amplitude."""
        if self.kind == PointKind.OXYGEN:
            return 20.9, 0.03, 0.1
        if self.kind in (PointKind.COMBUSTIBLE_GAS, PointKind.TOXIC_GAS):
            first = self.high if self.high is not None else self.range_max / 4
            return 0.04 * first, 0.01 * first, 0.02 * first
        bottom = next((v for v in (self.low, self.low_low) if v is not None), self.range_min)
        top = next((v for v in (self.high, self.high_high) if v is not None), self.range_max)
        return (bottom + top) / 2, 0.01 * (top - bottom), 0.1 * (top - bottom)

    def excursion_target(self, rng: random.Random) -> float | None:
        """Where an excursion goes: past 高报 (H) and, sometimes, past 高高报 (HH); for a point watched only from
        below (oxygen deficiency, a composition's low limit) past L or LL. None: the point has no setpoint."""
        if self.high is not None:
            beyond = self.high_high if self.high_high is not None else self.range_max
            if self.high_high is not None and rng.random() < PAST_HIGH_HIGH:
                return min(self.high_high + 0.3 * (self.high_high - self.high), self.range_max)
            return self.high + rng.uniform(0.3, 0.7) * (beyond - self.high)
        if self.low is not None:
            beyond = self.low_low if self.low_low is not None else self.range_min
            if self.low_low is not None and rng.random() < PAST_HIGH_HIGH:
                return max(self.low_low - 0.3 * (self.low - self.low_low), self.range_min)
            return self.low - rng.uniform(0.3, 0.7) * (self.low - beyond)
        return None


@dataclass
class _State:
    due: float
    phase: float
    period: float
    excursion: tuple[float, float, float] | None = None  # start, end, target
    silent_until: float = 0.0


class Simulator:
    """The readings of ``points`` from ``start`` (epoch seconds) on, one :meth:`tick` at a time."""

    def __init__(self, points: Iterable[SimulatedPoint], *, start: float, seed: int = 0,
                 excursions_per_hour: float = EXCURSIONS_PER_HOUR, outages_per_hour: float = OUTAGES_PER_HOUR):
        self.rng = random.Random(seed)
        self.points = sorted(points, key=lambda p: p.pk)
        self.excursions_per_hour, self.outages_per_hour = excursions_per_hour, outages_per_hour
        self.state = {p.pk: _State(due=start + self.rng.uniform(0, p.interval), phase=self.rng.uniform(0, 2 * math.pi),
                                   period=self.rng.uniform(*DRIFT_PERIOD)) for p in self.points}
        self.last = start

    def tick(self, now: float) -> dict[str, list[list]]:
        """The readings due by ``now`` (epoch seconds), by gateway code: ``[point code, epoch ms, value]`` each."""
        self._events(now - self.last, now)
        self.last = now
        readings: dict[str, list[list]] = defaultdict(list)
        for point in self.points:
            state = self.state[point.pk]
            while state.due <= now:
                if state.due >= state.silent_until:
                    readings[point.gateway].append([point.code, int(state.due * 1000), self.value(point, state.due)])
                state.due += point.interval
        return dict(readings)

    def _events(self, elapsed: float, now: float) -> None:
        """Start excursions and silences at their hourly rates (a Poisson draw per tick)."""
        if not self.points or elapsed <= 0:
            return
        for rate, start in ((self.excursions_per_hour, self._start_excursion),
                            (self.outages_per_hour, self._start_silence)):
            for _ in range(_poisson(self.rng, rate * elapsed / 3600)):
                start(self.rng.choice(self.points), now)

    def _start_excursion(self, point: SimulatedPoint, now: float) -> None:
        state, target = self.state[point.pk], point.excursion_target(self.rng)
        if target is None or (state.excursion and state.excursion[1] > now):
            return
        state.excursion = (now, now + self.rng.uniform(*EXCURSION_SECONDS), target)

    def _start_silence(self, point: SimulatedPoint, now: float) -> None:
        state = self.state[point.pk]
        state.silent_until = max(state.silent_until, now + self.rng.uniform(*SILENCE_SECONDS))

    def value(self, point: SimulatedPoint, at: float) -> float:
        state = self.state[point.pk]
        operating, noise, drift = point.operating()
        value = operating + drift * math.sin(2 * math.pi * at / state.period + state.phase)
        value += self.rng.gauss(0, noise)
        if state.excursion is not None:
            begin, end, target = state.excursion
            if begin <= at < end:
                envelope = min(1.0, (at - begin) / RAMP, (end - at) / RAMP)
                value += (target - value) * envelope
        if point.kind in (PointKind.COMBUSTIBLE_GAS, PointKind.TOXIC_GAS):
            value = abs(value)
        return round(min(max(value, point.range_min), point.range_max), 4)


def _poisson(rng: random.Random, mean: float) -> int:
    count, threshold, product = 0, math.exp(-mean), rng.random()
    while product > threshold:
        count += 1
        product *= rng.random()
    return count


def messages(readings: dict[str, list[list]]) -> Iterator[tuple[str, bytes]]:
    """The MQTT messages of one tick: per gateway, its readings in JSON messages of at most 5,000 readings."""
    for gateway, rows in sorted(readings.items()):
        for first in range(0, len(rows), MAX_READINGS_PER_MESSAGE):
            payload = {"r": rows[first:first + MAX_READINGS_PER_MESSAGE]}
            yield f"shouye/v1/{gateway}/readings", json.dumps(payload, separators=(",", ":")).encode()


def active_points() -> list[SimulatedPoint]:
    """Every active point of an active gateway: the demo district's, since the simulator runs on its database."""
    from .models import MonitoringPoint

    rows = MonitoringPoint.objects.filter(is_active=True, gateway__is_active=True).select_related("gateway")
    return [SimulatedPoint.of(point) for point in rows.order_by("pk")]


def run(url: str, *, seed: int, excursions_per_hour: float, outages_per_hour: float, client_id: str,
        reload_seconds: int = 300) -> None:
    """Publish until interrupted, one tick a second; the points are read again every ``reload_seconds``, so a
    point configured meanwhile starts reading."""
    import paho.mqtt.client as mqtt
    from paho.mqtt.enums import CallbackAPIVersion

    address = urlsplit(url)
    client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id=client_id)
    if address.username:
        client.username_pw_set(address.username, address.password)
    client.connect_async(address.hostname or "127.0.0.1", address.port or 1883)
    client.loop_start()
    start = time.time()
    simulator = Simulator(active_points(), start=start, seed=seed, excursions_per_hour=excursions_per_hour,
                          outages_per_hour=outages_per_hour)
    loaded = start
    logger.info("simulating %d points on %s", len(simulator.points), url)
    try:
        while True:
            now = time.time()
            if now - loaded >= reload_seconds:
                simulator = _reloaded(simulator, now, seed, excursions_per_hour, outages_per_hour)
                loaded = now
            for topic, payload in messages(simulator.tick(now)):
                client.publish(topic, payload, qos=1)
            time.sleep(max(0.0, 1.0 - (time.time() - now)))
    finally:
        client.loop_stop()
        client.disconnect()


def _reloaded(simulator: Simulator, now: float, seed: int, excursions: float, outages: float) -> Simulator:
    """A simulator of the points configured now that carries on where the old one stood for points it had."""
    fresh = Simulator(active_points(), start=now, seed=seed + int(now), excursions_per_hour=excursions,
                      outages_per_hour=outages)
    for pk, state in simulator.state.items():
        if pk in fresh.state:
            fresh.state[pk] = state
    fresh.rng = simulator.rng
    return fresh
