"""schemathesis over the whole API (issue 9 item 10): every operation of /api/schema/, as bureau staff, a
township officer and an enterprise user, with generated valid and invalid input; every answer must be
documented (status code, content type, body schema) and none may be a server error.

The run is bounded so that it belongs in ``make test`` on both databases: ``SHOUYE_FUZZ_EXAMPLES`` examples per
operation and role (a few by default, derandomised, so a run is repeatable). ``make fuzz`` runs the same test
longer, with fresh random examples, before a release. Requests go to the WSGI application in this process,
inside the test's transaction: the writes the run makes are rolled back with it.

At the end each role's numbers (requests, 5xx, conformance failures) are shown in pytest's summary."""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, field

import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.urls import resolve
from django.utils import timezone
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import Failure, FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from config.wsgi import application
from shouye.hazards.choices import HazardLevel, HazardState
from tests.hazards.conftest import make_hazard
from tests.scope_registry import MODELS, ScopeCase

pytestmark = [pytest.mark.django_db, pytest.mark.fuzz]

ROLES = ("bureau_staff", "township_officer", "enterprise_user")
#: Examples per operation, role and kind of input (valid, invalid): two in ``make test`` (each role's run then
#: takes about half a minute); ``make fuzz`` raises it.
EXAMPLES = int(os.environ.get("SHOUYE_FUZZ_EXAMPLES", "2"))
#: ``make fuzz`` draws new examples each run; the bounded run in ``make test`` repeats the same ones.
DERANDOMIZE = os.environ.get("SHOUYE_FUZZ_RANDOM", "") != "1"
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_headers_conformance,
          response_schema_conformance]


@dataclass
class Tally:
    """What one role's run saw."""

    requests: int = 0
    server_errors: int = 0
    failed_requests: int = 0
    statuses: Counter = field(default_factory=Counter)
    #: one example of each kind of failure, by operation, check and message
    failures: dict[str, str] = field(default_factory=dict)

    def record(self, case, response, failures: list[Failure]) -> None:
        operation = case.operation.label
        self.requests += 1
        self.statuses[response.status_code] += 1
        self.server_errors += response.status_code >= 500
        self.failed_requests += bool(failures)
        for failure in failures:
            key = f"{operation}: {failure.title}: {failure.message[:160]}"
            self.failures.setdefault(key, f"{response.status_code} {case.method} {case.formatted_path} "
                                          f"query={case.query} body={str(case.body)[:200]}\n{failure.message[:600]}")


@pytest.fixture
def wsgi_in_test_transaction():
    """The WSGI handler closes the database connection around each request when it is inside a transaction
    (``close_old_connections``); the test's transaction must survive the requests, as Django's test client
    arranges for its own requests."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    cache.clear()
    yield application
    cache.clear()  # the throttles' and lock-outs' counts of the run must not reach the next test
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


def _seed(cast) -> None:
    """Objects of every scoped model for every cast enterprise (the scope test's), and hazards in each state,
    so that generated ids reach real objects and the acts meet every state."""
    for case in MODELS.values():
        if isinstance(case, ScopeCase):
            case.objects(cast, "bureau_staff")
    for enterprise in (cast["inside"], cast["building"], cast["outside"]):
        for state in HazardState.values:
            make_hazard(enterprise, state=state)
        make_hazard(enterprise, state=HazardState.REPORTED, level=HazardLevel.MAJOR,
                    found_at=timezone.now())


def _known_ids(operation) -> list:
    """Ids of existing rows of the model behind an operation with a path parameter, found from the route."""
    names = [p.name for p in operation.path_parameters]
    if not names:
        return []
    match = resolve(operation.path.replace("{" + names[0] + "}", "1"))
    view_class = getattr(match.func, "cls", None)
    queryset = getattr(view_class, "queryset", None)
    if queryset is None:
        return []
    lookup = getattr(view_class, "lookup_field", "pk")
    return list(queryset.model._default_manager.order_by("pk").values_list(lookup, flat=True)[:40])


def _fuzz(operation, headers: dict, tally: Tally) -> None:
    ids = _known_ids(operation)
    parameter = operation.path_parameters[0].name if ids else None
    cases = st.one_of(operation.as_strategy(GenerationMode.POSITIVE), operation.as_strategy(GenerationMode.NEGATIVE))

    @settings(max_examples=2 * EXAMPLES, derandomize=DERANDOMIZE, database=None, deadline=None,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    @given(case=cases, known=st.sampled_from([None, *ids]) if ids else st.none())
    def run(case, known):
        if known is not None and parameter in (case.path_parameters or {}):
            case.path_parameters[parameter] = known
        response = case.call(headers=headers)
        try:
            case.validate_response(response, checks=CHECKS, headers=headers)
            failures = []
        except FailureGroup as group:
            failures = list(group.exceptions)
        tally.record(case, response, failures)

    run()


@pytest.mark.parametrize("role", ROLES)
def test_every_operation_answers_as_documented(cast, role, record_property, wsgi_in_test_transaction):
    _seed(cast)
    token = Token.objects.create(user=cast["users"][role])
    headers = {"Authorization": f"Token {token.key}"}
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", wsgi_in_test_transaction)
    tally = Tally()
    operations = [result.ok() for result in schema.get_all_operations()]
    for operation in operations:
        _fuzz(operation, headers, tally)
    record_property("fuzz", {"role": role, "operations": len(operations), "requests": tally.requests,
                             "server_errors": tally.server_errors, "failures": tally.failed_requests,
                             "statuses": dict(sorted(tally.statuses.items()))})
    report = "\n".join(f"- {key}\n    {detail}" for key, detail in sorted(tally.failures.items()))
    assert not tally.failures, f"{role}: {len(tally.failures)} kinds of failure in {tally.requests} requests\n{report}"
