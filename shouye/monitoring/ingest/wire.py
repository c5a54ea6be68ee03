"""The readings' wire format (README, "Monitoring: topics and payloads"): topic ``shouye/v1/<gateway
code>/readings``, QoS 1, and one of two payloads told apart by their first bytes —

- JSON ``{"r": [["<point code>", <epoch ms>, <value>], ...]}``, at most ``JSON_LIMIT`` readings;
- binary ``b"SY" 0x01 0x00`` then records of 20 bytes little-endian (uint32 point id, int64 epoch ms, float64
  value), at most ``BINARY_LIMIT`` records.

A reading is refused (and counted; the rest of the message is written) when its point is unknown, inactive or
of another gateway, its value not finite, or its time more than ``FUTURE_MS`` ahead or older than the raw
readings' retention (REGULATIONS-2 §B.3: kept at least 30 days; older readings would land in a dropped day).
A message that cannot be parsed at all raises :class:`Unparseable`."""

from __future__ import annotations

import json
from dataclasses import dataclass

import numpy as np

JSON_LIMIT = 5_000
BINARY_LIMIT = 50_000
MAGIC = b"SY\x01\x00"
RECORD = np.dtype([("p", "<u4"), ("t", "<i8"), ("v", "<f8")])
#: A gateway's clock may run ahead; ten minutes is the most the platform believes.
FUTURE_MS = 10 * 60 * 1000


class Unparseable(ValueError):
    """The message can never be written: it is acknowledged, logged and counted."""


@dataclass
class Decoded:
    pks: np.ndarray
    times: np.ndarray
    values: np.ndarray
    refused: int


def gateway_of(topic: str) -> str:
    parts = topic.split("/")
    if len(parts) < 4 or parts[-1] != "readings" or parts[-3] != "v1" or not parts[-2]:
        raise Unparseable(f"not a readings topic: {topic[:200]}")
    return parts[-2]


def decode(topic: str, payload: bytes, directory, now_ms: int, oldest_ms: int) -> Decoded:
    """One message's readings (:func:`decode_many` of one); :class:`Unparseable` if it cannot be parsed."""
    decoded, bad = decode_many([(topic, payload)], directory, now_ms, oldest_ms)
    if bad:
        raise Unparseable(bad[0][1])
    return decoded


def _json(payload: bytes, gateway: str, directory):
    try:
        readings = json.loads(payload)["r"]
    except (ValueError, KeyError, TypeError) as error:
        raise Unparseable(f"bad JSON: {error}") from None
    if not isinstance(readings, list) or len(readings) > JSON_LIMIT:
        raise Unparseable("'r' is not a list of at most 5,000 readings")
    pks, times, values = [], [], []
    for reading in readings:
        pk, ms, value = -1, -1, float("nan")
        if isinstance(reading, list) and len(reading) == 3:
            code, at, number = reading
            if (isinstance(code, str) and isinstance(at, int) and not isinstance(at, bool) and -2**62 < at < 2**62
                    and isinstance(number, int | float) and not isinstance(number, bool)):
                try:
                    pk, ms, value = directory.by_code.get((gateway, code), -1), at, float(number)
                except OverflowError:
                    pk = -1
        pks.append(pk)
        times.append(ms)
        values.append(value)
    return np.array(pks, np.int64), np.array(times, np.int64), np.array(values, np.float64)


def decode_many(messages, directory, now_ms: int, oldest_ms: int) -> tuple[Decoded, list[tuple[str, str]]]:
    """Decode a batch of ``(topic, payload)`` messages at once, validated as :func:`decode` does one: the
    binary bodies are joined and read and checked as one array (a gateway sends a message of ten readings a
    second, so at 50,000 readings/s the per-message work is what counts). Returns the readings and the
    messages that could not be parsed, with why."""
    bodies, numbers, counts, parts, bad = [], [], [], [], []
    for topic, payload in messages:
        try:
            gateway = gateway_of(topic)
            number = directory.gateways.get(gateway, -1)
            if payload[:2] == b"SY":
                if payload[:4] != MAGIC:
                    raise Unparseable("unknown binary version")
                size = len(payload) - 4
                if size % RECORD.itemsize or size // RECORD.itemsize > BINARY_LIMIT:
                    raise Unparseable("binary body is not whole records or has too many")
                bodies.append(payload[4:])
                counts.append(size // RECORD.itemsize)
                numbers.append(number)
            elif payload.lstrip()[:1] == b"{":
                pks, times, values = _json(payload, gateway, directory)
                parts.append((pks, times, values, np.full(len(pks), number, np.int64)))
            else:
                raise Unparseable("neither JSON nor the binary form")
        except Unparseable as error:
            bad.append((topic, str(error)))
    if bodies:
        records = np.frombuffer(b"".join(bodies), RECORD)
        parts.append((records["p"].astype(np.int64), records["t"].astype(np.int64),
                      records["v"].astype(np.float64), np.repeat(np.array(numbers, np.int64), counts)))
    if not parts:
        return Decoded(np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0), 0), bad
    pks, times, values, gateways = (np.concatenate(column) for column in zip(*parts, strict=True))
    rows = directory.rows_of(pks)
    known = rows >= 0
    known[known] = directory.gateway_of[rows[known]] == gateways[known]
    with np.errstate(invalid="ignore"):
        good = known & np.isfinite(values) & (times <= now_ms + FUTURE_MS) & (times >= oldest_ms)
    return Decoded(pks[good], times[good], values[good], int(len(pks) - good.sum())), bad
