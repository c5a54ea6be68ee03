"""The scoped foreign-key fields (ARCHITECTURE.md §5): a form or an API input may only name a row its user
may see, and a row outside the scope is refused exactly like one that does not exist."""

import pytest
from django import forms
from rest_framework import serializers

from shouye.core.api.fields import ScopedPrimaryKeyRelatedField
from shouye.core.forms import ScopedModelChoiceField
from shouye.enterprises.models import Enterprise
from tests.conftest import api_as
from tests.inspections.helpers import finished

pytestmark = pytest.mark.django_db

UNKNOWN = 99_999_999


def does_not_exist(pk) -> list[str]:
    """DRF's message for an id with no row, in the request's language."""
    return [str(serializers.PrimaryKeyRelatedField.default_error_messages["does_not_exist"]).format(pk_value=pk)]


@pytest.mark.parametrize(("url", "field", "extra"), [
    ("/api/v1/hazards/", "enterprise", {"description": "消防通道堵塞", "source": "inspection"}),
    ("/api/v1/inspections/", "enterprise", {"kind": "routine", "inspected_at": "2026-01-05T10:00:00+08:00"}),
])
def test_an_enterprise_outside_the_scope_reads_as_one_that_does_not_exist(cast, url, field, extra):
    client = api_as(cast["users"]["township_officer"])
    answers = {pk: client.post(url, {field: pk, **extra}, format="json") for pk in (cast["outside"].pk, UNKNOWN)}
    for pk, response in answers.items():
        assert response.status_code == 400
        assert response.json()[field] == does_not_exist(pk)


def test_an_inspection_outside_the_scope_cannot_be_re_inspected(cast):
    earlier = finished(cast["users"]["bureau_staff"], cast["outside"], checklist="gas-station")
    client = api_as(cast["users"]["township_officer"])
    response = client.post("/api/v1/inspections/", {"enterprise": cast["inside"].pk, "kind": "reinspection",
                                                    "reinspection_of": earlier.pk,
                                                    "inspected_at": "2026-01-05T10:00:00+08:00"}, format="json")
    assert response.status_code == 400
    assert response.json()["reinspection_of"] == does_not_exist(earlier.pk)


def test_without_a_request_the_serializer_field_accepts_nothing(cast):
    field = ScopedPrimaryKeyRelatedField(Enterprise)
    field.bind("enterprise", serializers.Serializer(context={}))
    assert not field.get_queryset().exists()


def test_the_form_field_offers_and_accepts_only_what_the_user_sees(cast):
    field = ScopedModelChoiceField(Enterprise.objects.order_by("name"), user=cast["users"]["township_officer"])
    assert list(field.queryset) == [cast["inside"]]
    assert field.clean(cast["inside"].pk) == cast["inside"]
    messages = {}
    for pk in (cast["outside"].pk, UNKNOWN):
        with pytest.raises(forms.ValidationError) as refused:
            field.clean(pk)
        messages[pk] = (refused.value.code, refused.value.messages)
    assert messages[cast["outside"].pk] == messages[UNKNOWN]
