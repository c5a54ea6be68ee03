"""Running acts at the same moment, each in its own thread and database connection (PostgreSQL tests of
row locks and counters)."""

import threading
from collections.abc import Callable

from django.db import close_old_connections, connection


def at_the_same_moment(*calls: Callable[[], object], timeout: float = 120) -> tuple[list, list[Exception]]:
    """Start every call together (behind a barrier) and wait for all; returns their results and the
    exceptions raised, each list in order of finishing."""
    barrier = threading.Barrier(len(calls))
    results, errors = [], []

    def run(call):
        try:
            barrier.wait(timeout=30)
            results.append(call())
        except Exception as exc:  # noqa: BLE001  returned to the test, which asserts on it
            errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    return results, errors
