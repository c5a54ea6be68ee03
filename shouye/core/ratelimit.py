"""Counters and locks for throttles and lock-outs (ARCHITECTURE.md §10), kept in Django's default cache.

Every gunicorn worker must see the same counts, or an attacker gets each limit once per worker: the cache is
Redis in production (``REDIS_CACHE_URL``), and ``manage.py check --deploy`` refuses a per-process cache
(``shouye.core.checks``). Counting uses the cache's atomic ``add`` and ``incr``, so requests served at the
same moment by different workers are all counted (a read-modify-write of a list, as DRF's own throttles do,
loses some).

Two kinds of count:

- :func:`count_in_window` — a rate per clock-aligned window (30 requests a minute, 5 tip-offs an hour), which
  also tells how long until the window ends (``Retry-After``);
- :func:`count_failure` — failures forgotten ``window`` seconds after the first one counted, so a limit of
  N failures per window holds for any stretch of that length (no burst of 2N across a window boundary).

A lock (:func:`lock`, :func:`locked_for`) stores the time it ends, read against the clock on each check.

Keys are given by the caller, e.g. ``("login-address", address)``; they are hashed, so user names of any
length or alphabet make valid cache keys. Every key expires on its own; nothing needs cleaning up.
"""

from __future__ import annotations

import hashlib
import math
import time

from django.core.cache import cache

PREFIX = "shouye:limit"
#: Seconds a key outlives its window or lock, so that it cannot expire between the ``add`` and the ``incr``
#: of one count (an ``incr`` of a vanished key would start a count that never expires).
MARGIN = 60


def _key(kind: str, *parts) -> str:
    digest = hashlib.sha256("\x1f".join(str(part) for part in parts).encode()).hexdigest()[:40]
    return f"{PREFIX}:{kind}:{digest}"


def _increment(key: str, timeout: int) -> int:
    cache.add(key, 0, timeout=timeout)
    try:
        return cache.incr(key)
    except ValueError:  # evicted between add and incr: this is the first event of a new count
        cache.set(key, 1, timeout=timeout)
        return 1


def count_in_window(name: tuple, *, window: int) -> tuple[int, int]:
    """Count one event of ``name`` in the current window of ``window`` seconds (aligned to the clock).
    Answers the number of events in this window so far, this one included, and the whole seconds until the
    window ends."""
    now = time.time()
    slot = int(now // window)
    remaining = max(1, math.ceil((slot + 1) * window - now))
    return _increment(_key("window", window, slot, *name), remaining + MARGIN), remaining


def count_failure(name: tuple, *, window: int) -> int:
    """Count one failure of ``name``; answers the failures counted since the first one, which is at most
    ``window`` seconds ago (after that the count starts again)."""
    return _increment(_key("failures", window, *name), window)


def forget_failures(name: tuple, *, window: int) -> None:
    """Start the failure count of ``name`` again (a successful sign-in, a lock that has just been set)."""
    cache.delete(_key("failures", window, *name))


def lock(name: tuple, *, seconds: int) -> float:
    """Lock ``name`` for ``seconds``; answers when the lock ends (a Unix time)."""
    until = time.time() + seconds
    cache.set(_key("lock", *name), until, timeout=seconds + MARGIN)
    return until


def locked_for(name: tuple) -> int:
    """Whole seconds until the lock on ``name`` ends; 0 when it is not locked."""
    until = cache.get(_key("lock", *name))
    if until is None:
        return 0
    return max(0, math.ceil(until - time.time()))
