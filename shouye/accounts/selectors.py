"""Read queries on users and their memberships."""

from __future__ import annotations

from .models import User


def users_with_role(role: str, *, township=None, enterprise=None, industry=None):
    """The active users who hold ``role`` through an active membership — of ``township`` (a region), of
    ``enterprise``, or of the department that supervises ``industry`` (each an object or an id, or None for
    any). All conditions hold for the same membership. The recipients of notifications and the people a
    page offers for a role."""
    conditions = {"memberships__active": True, "memberships__role": role}
    for lookup, value in (("region", township), ("enterprise", enterprise), ("organisation__industries", industry)):
        if value is not None:
            conditions[f"memberships__{lookup}"] = value
    return User.objects.filter(is_active=True, **conditions).distinct()
