import pytest
from django.utils import timezone

from shouye.warnings import services


def issue(actor, **overrides):
    data = {"title": "暴雨黄色预警", "kind": "rainstorm", "source": "meteorological", "level": 3,
            "issued_at": timezone.now() - timezone.timedelta(minutes=5), "all_district": True,
            "content": "预计今夜有暴雨。"}
    return services.issue_warning(actor=actor, **{**data, **overrides})


@pytest.fixture
def staff(cast):
    return cast["users"]["bureau_staff"]


@pytest.fixture
def warning(staff):
    return issue(staff)


@pytest.fixture
def xiaoli_warning(staff, xiaoli):
    """A warning covering 孝里街道 only: outside the 马山镇 township officer's view."""
    return issue(staff, title="孝里大风蓝色预警", kind="gale", level=4, all_district=False, townships=[xiaoli])
