"""Permits for the board's tests, written with the model directly (the board only reads): a permit of an
enterprise, stamped with its township and industry, in the state and at the times given."""

import itertools
from datetime import timedelta

from django.utils import timezone

from shouye.accounts.models import User
from shouye.permits.choices import PermitKind, PermitState
from shouye.permits.models import SpecialOperationPermit

_numbers = itertools.count(1)


def creator() -> User:
    return User.objects.get_or_create(username="permit-writer")[0]


def make_permit(enterprise, *, kind=PermitKind.CONFINED_SPACE, grade="", state=PermitState.IN_PROGRESS, now=None,
                number=None, **fields) -> SpecialOperationPermit:
    now = now or timezone.now()
    values = {
        "number": number or f"BD-{next(_numbers):06d}", "kind": kind, "grade": grade, "state": state,
        "applicant_unit": "生产车间", "work_unit": "检修班", "content": "检修作业", "location": "1#罐区",
        "applied_at": now - timedelta(hours=3), "planned_start": now - timedelta(hours=2),
        "planned_end": now + timedelta(hours=6), "created_by": creator(),
        "enterprise": enterprise, "township_id": enterprise.township_id, "industry_id": enterprise.industry_id,
    }
    values.update(fields)
    return SpecialOperationPermit.objects.create(**values)
