"""gunicorn settings of bench/video_intake.py. The intake announces each new alarm with the lifecycle's task
(``shouye.monitoring.tasks.announce_alarms``) after commit; on a tree without that task, each worker is given
a stand-in that does nothing, so that the run measures the intake rather than a failing import logged per
alarm — the report says which ran."""

import sys
import types


def post_worker_init(worker):
    try:
        import shouye.monitoring.tasks  # noqa: F401
    except ImportError:
        sys.modules["shouye.monitoring.tasks"] = types.SimpleNamespace(
            announce_alarms=types.SimpleNamespace(delay=lambda ids: None))
