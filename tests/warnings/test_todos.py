"""The to-dos (one query for a count, one for the items) and the home panel."""

import pytest

from shouye.core.registry import todo_providers
from shouye.regions.scoping import scope_for

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ["township_officer", "department_officer", "bureau_staff"])
def test_providers_answer_in_one_query_each(cast, warning, role, django_assert_max_num_queries):
    user = cast["users"][role]
    user.has_perm("warnings.view_earlywarning")
    scope_for(user)
    for key in ("warnings-acknowledge", "warnings-measures"):
        provider = todo_providers.providers[key]
        with django_assert_max_num_queries(1):
            count = provider.count(user)
        with django_assert_max_num_queries(1):
            items = provider.items(user, 5)
        assert len(items) == min(count, 5)
    if role == "township_officer":
        assert todo_providers.providers["warnings-acknowledge"].count(user) == 1
