"""Serializer fields shared by the apps' APIs.

Every many-valued input is one of the bounded kinds here (ARCHITECTURE.md §10; issue 9, item 3; a test walks
every serializer of the project): a list of related rows (``many=True`` on :class:`PrimaryKeyRelatedField`,
:class:`SlugRelatedField` or :class:`ScopedPrimaryKeyRelatedField`) is refused when longer than its
``max_length`` and otherwise looked up in one query, naming every value that has no row; a
:class:`ListField` or a :class:`ListSerializer` of nested objects is refused when longer than its
``max_length`` before any item is read. The maximum is ``shouye.core.bounds.MAX_ITEMS`` unless the field
gives its own."""

from collections.abc import Mapping

from django.core.exceptions import ImproperlyConfigured, ObjectDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.relations import MANY_RELATION_KWARGS

from shouye.core.bounds import MAX_ITEMS, ensure_at_most, fits_db_integer, missing_keys, rows_by_key


@extend_schema_field(OpenApiTypes.STR)
class ChoiceLabelField(serializers.Field):
    """The label of a choices field in the request's language (what ``get_FOO_display`` gives), looked up in
    the choices: a callable ``source`` makes DRF inspect its signature for every row of a list."""

    def __init__(self, choices, **kwargs):
        self.labels = dict(choices)
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value):
        return str(self.labels.get(value, value))


def _refuse_too_many(field, data) -> None:
    """The field's own refusal of a list longer than its ``max_length``, under the field's name."""
    try:
        ensure_at_most(field.label or field.field_name, field.max_length, data)
    except DjangoValidationError as exc:
        raise serializers.ValidationError(exc.messages, code="max_length") from exc


class BoundedManyRelatedField(serializers.ManyRelatedField):
    """``many=True`` of the relations below: at most ``max_length`` values, all looked up in one query."""

    def __init__(self, *, max_length: int = MAX_ITEMS, **kwargs):
        self.max_length = max_length
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if isinstance(data, str | Mapping) or not hasattr(data, "__iter__"):
            self.fail("not_a_list", input_type=type(data).__name__)
        data = list(data)
        if not self.allow_empty and not data:
            self.fail("empty")
        _refuse_too_many(self, data)
        return self.child_relation.rows_for(data, label=self.label or self.field_name)


class OneQueryRelatedField(serializers.RelatedField):
    """A relation whose ``many=True`` form is a :class:`BoundedManyRelatedField`: ``key_of(value)`` turns one
    value into the key it is looked up by (``lookup_key``) without a query, ``rows_for(values)`` finds all
    of them in one."""

    lookup_key = "pk"
    default_error_messages = {
        "does_not_exist_many": _("%(label)s: these do not exist or are not yours to choose: %(values)s."),
    }

    @classmethod
    def many_init(cls, *args, max_length: int = MAX_ITEMS, **kwargs):
        list_kwargs = {key: value for key, value in kwargs.items() if key in MANY_RELATION_KWARGS}
        return BoundedManyRelatedField(child_relation=cls(*args, **kwargs), max_length=max_length, **list_kwargs)

    def key_of(self, data):
        """The hook each kind defines: the key one input value is looked up by, checked without a query
        (:class:`PrimaryKeyRelatedField` an integer id, :class:`SlugRelatedField` its slug); a value that cannot
        be one is a field error."""
        raise NotImplementedError

    def rows_for(self, data: list, *, label) -> list:
        keys = [self.key_of(item) for item in data]
        found = rows_by_key(self.get_queryset(), self.lookup_key, keys)
        missing = missing_keys(keys, found)
        if missing:
            raise serializers.ValidationError(
                self.error_messages["does_not_exist_many"] % {"label": label, "values": "、".join(map(str, missing))},
                code="does_not_exist")
        return [found[key] for key in keys]


class PrimaryKeyRelatedField(OneQueryRelatedField, serializers.PrimaryKeyRelatedField):
    """A row by its id. An id beyond the database's integer range reads as one that does not exist."""

    def key_of(self, data):
        if self.pk_field is not None:
            data = self.pk_field.to_internal_value(data)
        if isinstance(data, bool | Mapping | list):
            self.fail("incorrect_type", data_type=type(data).__name__)
        try:
            key = self.get_queryset().model._meta.pk.to_python(data)
        except DjangoValidationError:
            self.fail("incorrect_type", data_type=type(data).__name__)
        return key

    def to_internal_value(self, data):
        key = self.key_of(data)
        if isinstance(key, int) and not fits_db_integer(key):
            self.fail("does_not_exist", pk_value=data)
        try:
            return self.get_queryset().get(pk=key)
        except ObjectDoesNotExist:
            self.fail("does_not_exist", pk_value=data)


class SlugRelatedField(OneQueryRelatedField, serializers.SlugRelatedField):
    """A row by a unique field of its own (a code, a user name). A value with a NUL character is invalid
    (400) before any lookup: PostgreSQL cannot compare such a text, and the lookup would be a server error."""

    def __init__(self, slug_field=None, **kwargs):
        if slug_field and "__" in slug_field:
            raise ImproperlyConfigured(f"{type(self).__name__} looks rows up by a field of their own, not "
                                       f"{slug_field!r}")
        super().__init__(slug_field=slug_field, **kwargs)

    @property
    def lookup_key(self):
        return self.slug_field

    def to_internal_value(self, data):
        if isinstance(data, str) and "\x00" in data:
            self.fail("invalid")
        return super().to_internal_value(data)

    def key_of(self, data):
        if isinstance(data, bool | Mapping | list) or data is None or (isinstance(data, str) and "\x00" in data):
            self.fail("invalid")
        try:
            return self.get_queryset().model._meta.get_field(self.slug_field).to_python(data)
        except DjangoValidationError:
            self.fail("invalid")


class ScopedPrimaryKeyRelatedField(PrimaryKeyRelatedField):
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


class ListField(serializers.ListField):
    """A list of values (photos, numbers …): refused when longer than ``max_length``, before any item is
    checked."""

    def __init__(self, *, max_length: int = MAX_ITEMS, **kwargs):
        super().__init__(max_length=max_length, **kwargs)

    def to_internal_value(self, data):
        if isinstance(data, list):
            _refuse_too_many(self, data)
        return super().to_internal_value(data)


class DictField(serializers.DictField):
    """A mapping of keys to values (signatures by user id …): refused when it holds more than ``max_length``
    entries, before any value is checked."""

    def __init__(self, *, max_length: int = MAX_ITEMS, **kwargs):
        self.max_length = max_length
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if isinstance(data, dict):
            _refuse_too_many(self, data)
        return super().to_internal_value(data)


class ListSerializer(serializers.ListSerializer):
    """A list of nested objects (``ListSerializer(child=PersonSerializer())``): refused when longer than
    ``max_length``, before any object is validated, with a message under the field's own name."""

    def __init__(self, *args, max_length: int = MAX_ITEMS, **kwargs):
        super().__init__(*args, max_length=max_length, **kwargs)

    def to_internal_value(self, data):
        if isinstance(data, list):
            _refuse_too_many(self, data)
        return super().to_internal_value(data)
