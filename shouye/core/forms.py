"""Form fields shared by the apps' pages.

Every many-valued input of a page is one of the bounded kinds here (ARCHITECTURE.md §10; issue 9, item 3):
:class:`ModelMultipleChoiceField` (at most ``max_items`` rows, checked in one query, an id beyond the
database's range an invalid choice), :class:`MultipleChoiceField` (at most ``max_items`` values among fixed
choices), :class:`MultipleFileField` (at most ``max_items`` files) and the rows of
:func:`formset_factory` (at most ``max_num``). The maximum is ``shouye.core.bounds.MAX_ITEMS`` unless the
field gives its own."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from shouye.core.bounds import MAX_ITEMS, ensure_at_most, missing_keys, rows_by_key


class ScopedModelChoiceField(forms.ModelChoiceField):
    """A choice among the rows of ``queryset`` (of a scoped model: ordered, filtered as the page needs)
    that ``user`` may see (ARCHITECTURE.md §5: nobody attaches a record to what they cannot see). A row
    outside the scope is refused as an invalid choice, like an unknown one."""

    def __init__(self, queryset, *, user, **kwargs):
        super().__init__(queryset=queryset.visible_to(user), **kwargs)


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Several rows of ``queryset``: at most ``max_items``, all checked in one query; the values without a
    row (unknown, outside the queryset, or beyond the database's integer range) are named in one message."""

    def __init__(self, queryset, *, max_items: int = MAX_ITEMS, **kwargs):
        self.max_items = max_items
        super().__init__(queryset, **kwargs)

    def _check_values(self, value):
        ensure_at_most(self.label or _("This field"), self.max_items, value)
        key = self.to_field_name or "pk"
        model_field = self.queryset.model._meta.pk if key == "pk" else self.queryset.model._meta.get_field(key)
        keys = []
        for item in value:
            if isinstance(item, list | dict):
                raise ValidationError(self.error_messages["invalid_list"], code="invalid_list")
            self.validate_no_null_characters(item)
            try:
                keys.append(model_field.to_python(item))
            except ValidationError:
                raise ValidationError(self.error_messages["invalid_pk_value"], code="invalid_pk_value",
                                      params={"pk": item}) from None
        found = rows_by_key(self.queryset, key, keys)
        missing = missing_keys(keys, found)
        if missing:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice",
                                  params={"value": "、".join(map(str, missing))})
        return self.queryset.filter(**{f"{key}__in": list(found)})


class MultipleChoiceField(forms.MultipleChoiceField):
    """Several values among fixed ``choices`` (the roles an alarm rule notifies): at most ``max_items`` — a
    client may send any number, so the count is refused before the values are checked one by one."""

    def __init__(self, *, max_items: int = MAX_ITEMS, **kwargs):
        self.max_items = max_items
        super().__init__(**kwargs)

    def to_python(self, value):
        values = super().to_python(value)
        ensure_at_most(self.label or _("This field"), self.max_items, values)
        return values


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several uploaded files (possibly none), at most ``max_items``; their content is the service's to
    check (``shouye.core.attachments.check_photos``)."""

    widget = MultipleFileInput

    def __init__(self, *, max_items: int = MAX_ITEMS, **kwargs):
        self.max_items = max_items
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_empty_file", True)
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        files = [upload for upload in (data if isinstance(data, list | tuple) else [data]) if upload]
        ensure_at_most(self.label or _("Files"), self.max_items, files)
        return files


class BoundedFormSet(forms.BaseFormSet):
    """The rows of a formset made by :func:`formset_factory`; ``label`` names them in the refusal."""

    label = ""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.error_messages["too_many_forms"] = _(
            "%(label)s takes at most %(max)d rows. Remove some and try again.") % {
            "label": self.label, "max": self.max_num}


def formset_factory(form, *, label, max_num: int = MAX_ITEMS, **kwargs) -> type[BoundedFormSet]:
    """Django's ``formset_factory`` bounded: more than ``max_num`` rows are refused (a form's
    ``TOTAL_FORMS`` is the client's to send), and no more than that are ever built."""
    formset = forms.formset_factory(form, formset=BoundedFormSet, max_num=max_num, validate_max=True,
                                    absolute_max=max_num, **kwargs)
    formset.label = label
    return formset
