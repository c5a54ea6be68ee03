"""Serializer fields shared by the apps' APIs."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers


@extend_schema_field(OpenApiTypes.STR)
class ChoiceLabelField(serializers.Field):
    """The label of a choices field in the request's language (what ``get_FOO_display`` gives), looked up in
    the choices: a callable ``source`` makes DRF inspect its signature for every row of a list."""

    def __init__(self, choices, **kwargs):
        self.labels = dict(choices)
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value):
        return str(self.labels.get(value, value))


class ScopedPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """The id of a ``model`` row the requesting user may see (ARCHITECTURE.md §5: nobody attaches a record
    to what they cannot see). A row outside the user's scope is refused with the same "does not exist" as
    an unknown id, so the answer does not reveal that it exists; without a request nothing is accepted."""

    def __init__(self, model, **kwargs):
        self.model = model
        super().__init__(queryset=model._default_manager.all(), **kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        if request is None:
            return self.model._default_manager.none()
        return self.model._default_manager.visible_to(request.user)


class SlugRelatedField(serializers.SlugRelatedField):
    """DRF's SlugRelatedField, refusing a value with a NUL character as invalid (400) before the lookup:
    PostgreSQL cannot compare such a text, and the lookup would fail with a server error."""

    def to_internal_value(self, data):
        if isinstance(data, str) and "\x00" in data:
            self.fail("invalid")
        return super().to_internal_value(data)
