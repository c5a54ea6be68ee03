"""No test may depend on the machine's speed (issue 8, defect 6): the generated-input tests run with no
wall-clock deadline and without the health check that fails them when the machine is busy."""

import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st


def test_the_hypothesis_profile_ignores_wall_clock_time():
    assert settings().deadline is None
    assert HealthCheck.too_slow in settings().suppress_health_check


@given(st.integers())
def test_a_slow_example_is_not_a_failure(value):
    """One example takes longer than hypothesis's default 200 ms deadline, as any example may on a busy
    machine; with the default settings this test fails with DeadlineExceeded."""
    if value == 0:
        time.sleep(0.3)
