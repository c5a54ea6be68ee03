"""Helpers of the configuration tests (gateways, points, rule tables): API clients per role and a point's body."""

from __future__ import annotations

from django.test import Client

from tests.conftest import api_as


def api_for(cast, role: str):
    return api_as(cast["users"][role])


def page_for(cast, role: str, language: str = "zh-hans") -> Client:
    client = Client(headers={"accept-language": language})
    client.force_login(cast["users"][role])
    return client


def point_body(gateway_id: int, **fields) -> dict:
    """A pressure point 0–2.5 MPa reading every 10 s, with H 1.6 and HH 2.0 unless ``fields`` say otherwise."""
    body = {"gateway": gateway_id, "code": "PT-201", "name": "反应釜压力", "kind": "pressure", "unit": "MPa",
            "range_min": 0, "range_max": 2.5, "high": 1.6, "high_high": 2.0, "expected_interval_seconds": 10}
    body.update(fields)
    return {k: v for k, v in body.items() if v is not None}
