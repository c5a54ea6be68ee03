import pytest


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run what a commit runs (the sealing) when the block ends: a test's transaction never commits."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
