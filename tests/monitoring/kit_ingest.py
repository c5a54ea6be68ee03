"""Helpers of the ingest's tests: a writer over the points configured, readings as the wire carries them."""

from __future__ import annotations

import importlib
import json
from datetime import datetime

import numpy as np
from django.apps import apps

from shouye.monitoring.ingest import wire
from shouye.monitoring.ingest.directory import Directory
from shouye.monitoring.ingest.writer import Writer, _ms


def seed_rules() -> None:
    """The rule tables' seeded rows, again: a transactional test flushes what the migrations wrote."""
    importlib.import_module("shouye.monitoring.migrations.0002_rule_tables").seed(apps, None)


def writer() -> Writer:
    return Writer(Directory().load())


def ms(moment: datetime) -> int:
    return _ms(moment)


def write(w: Writer, *readings):
    """Write ``(point, datetime, value)`` readings as one batch."""
    return w.write(np.array([p.pk for p, _, _ in readings]), np.array([ms(t) for _, t, _ in readings]),
                   np.array([v for _, _, v in readings], float))


def json_payload(*readings) -> bytes:
    return json.dumps({"r": [[p.code, ms(t), v] for p, t, v in readings]}).encode()


def binary_payload(*readings) -> bytes:
    records = np.array([(p.pk, ms(t), v) for p, t, v in readings], wire.RECORD)
    return wire.MAGIC + records.tobytes()
