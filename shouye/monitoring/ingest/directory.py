"""The points the ingest knows, read from the configuration tables and kept in memory: (gateway code, point
code) → point for JSON payloads, point id → point for binary ones, and each point's limits as arrays for the
evaluation. Read again every ``REFRESH_SECONDS``, so a point configured while the ingest runs is picked up
(a reading of a point not yet known is refused and counted, never written unvalidated)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from django.db.models import Count, Max

from ..models import Gateway, MonitoringPoint

#: How often the points are read again.
REFRESH_SECONDS = 30


@dataclass(frozen=True, slots=True)
class Point:
    pk: int
    code: str
    gateway: str
    kind: str
    installation_id: int | None
    enterprise_id: int
    township_id: int
    industry_id: int
    setpoints: dict  # condition code → setpoint, for the alarm's ``setpoint``
    offline_window_ms: int
    created_ms: int


class Directory:
    def __init__(self):
        self.by_code: dict[tuple[str, str], int] = {}
        self.points: dict[int, Point] = {}
        self.gateways: dict[str, int] = {}
        #: Point id → row of the arrays below (-1: unknown or inactive).
        self.row = np.full(1, -1, np.int64)
        self.version: tuple = ()
        self.ids = np.zeros(0, np.int64)
        self.gateway_of = np.zeros(0, np.int64)
        self.high_high = self.high = self.low = self.low_low = self.dead_band = np.zeros(0)
        self.delay_ms = self.stuck_after = self.offline_window_ms = self.created_ms = np.zeros(0, np.int64)

    @staticmethod
    def fingerprint() -> tuple:
        """What changes when the points or gateways read change (a point's save stamps ``updated_at``; a
        gateway switched on or off changes the active ones), in two small queries: reading 50,000 points
        again every ``REFRESH_SECONDS`` cost the ingest a tenth of its time."""
        points = MonitoringPoint.objects.aggregate(n=Count("pk"), last=Max("updated_at"))
        gateways = hash(tuple(Gateway.objects.filter(is_active=True).order_by("pk").values_list("pk", flat=True)))
        return points["n"], points["last"], gateways

    def load(self) -> Directory:
        """Read the active points of active gateways (the ingest is the system: no user's scope applies)."""
        self.version = self.fingerprint()
        rows = list(MonitoringPoint.objects.filter(is_active=True, gateway__is_active=True).values(
            "pk", "code", "gateway__code", "kind", "installation_id", "enterprise_id", "township_id",
            "industry_id", "high_high", "high", "low", "low_low", "dead_band", "delay_seconds",
            "stuck_after_readings", "offline_after_intervals", "expected_interval_seconds", "created_at"))
        gateways = {code: n for n, code in enumerate(sorted({r["gateway__code"] for r in rows}))}
        points, by_code = {}, {}
        for r in rows:
            window = r["offline_after_intervals"] * r["expected_interval_seconds"] * 1000
            setpoints = {"hh": r["high_high"], "h": r["high"], "l": r["low"], "ll": r["low_low"]}
            points[r["pk"]] = Point(r["pk"], r["code"], r["gateway__code"], r["kind"], r["installation_id"],
                                    r["enterprise_id"], r["township_id"], r["industry_id"], setpoints, window,
                                    int(r["created_at"].timestamp() * 1000))
            by_code[(r["gateway__code"], r["code"])] = r["pk"]
        ids = np.array(sorted(points), np.int64)
        row = np.full(int(ids.max()) + 1 if len(ids) else 1, -1, np.int64)
        row[ids] = np.arange(len(ids))

        def column(name, dtype=np.float64):
            return np.array([np.nan if rows_by[pk][name] is None else rows_by[pk][name] for pk in ids.tolist()],
                            dtype)

        rows_by = {r["pk"]: r for r in rows}
        self.high_high, self.high = column("high_high"), column("high")
        self.low, self.low_low, self.dead_band = column("low"), column("low_low"), column("dead_band")
        self.delay_ms = column("delay_seconds", np.int64) * 1000
        self.stuck_after = column("stuck_after_readings", np.int64)
        self.offline_window_ms = np.array([points[pk].offline_window_ms for pk in ids.tolist()], np.int64)
        self.created_ms = np.array([points[pk].created_ms for pk in ids.tolist()], np.int64)
        self.gateway_of = np.array([gateways[points[pk].gateway] for pk in ids.tolist()], np.int64)
        self.points, self.by_code, self.gateways, self.row, self.ids = points, by_code, gateways, row, ids
        return self

    def rows_of(self, pks: np.ndarray) -> np.ndarray:
        """The array rows of point ids (-1 for an id not known)."""
        inside = (pks >= 0) & (pks < len(self.row))
        out = np.full(len(pks), -1, np.int64)
        out[inside] = self.row[pks[inside]]
        return out
