from .choices import RegionLevel
from .models import Region


def townships(district_code: str | None = None):
    """Townships (街道 and 镇), optionally of one district, by code."""
    qs = Region.objects.filter(level=RegionLevel.TOWNSHIP)
    if district_code:
        qs = qs.filter(parent__code=district_code)
    return qs.order_by("code")
