"""Every request is bounded by construction (issue 9, items 3 to 5; ARCHITECTURE.md §10), so that a new app
cannot bring back an unbounded input:

- every many-valued input field of every serializer of the project is a bounded kind of
  ``shouye.core.api.fields`` (a list of rows looked up in one query, a list of values, a list of nested
  objects, each with a maximum);
- every many-valued field of every form, and every formset, is a bounded kind of ``shouye.core.forms``;
- every filter set derives from ``shouye.core.filters.FilterSet`` (which refuses unbounded number and
  multi-valued filters when the class is made);
- every API view parses JSON and forms with the bounded parsers of ``shouye.core.api.parsers``;
- no URL takes Django's unbounded ``<int:…>``: ids are ``<id:…>`` (shouye.core.converters).

The behaviour behind each is tested in test_list_bounds.py, test_body_bounds.py and test_huge_integers.py."""

import importlib
import pkgutil

import django_filters
import pytest
from django import forms
from django.core.exceptions import ImproperlyConfigured
from django.http import QueryDict
from django.urls import URLResolver, get_resolver
from django.urls.converters import IntConverter
from rest_framework import parsers, serializers
from rest_framework.views import APIView

import shouye
from shouye.core import forms as core_forms
from shouye.core.api import fields as core_fields
from shouye.core.api import parsers as core_parsers
from shouye.core.bounds import MAX_ITEMS
from shouye.core.filters import FilterSet, IntegerFilter, ModelMultipleChoiceFilter
from shouye.enterprises.models import Enterprise, Tag

#: Writable serializer fields that hold several values, and the bounded kind each must be.
BOUNDED_SERIALIZER_FIELDS = {
    serializers.ManyRelatedField: core_fields.BoundedManyRelatedField,
    serializers.ListSerializer: core_fields.ListSerializer,
    serializers.ListField: core_fields.ListField,
    serializers.DictField: core_fields.DictField,
}
#: Many-valued serializer fields with no bounded kind in core yet: add one there before using them.
UNBOUNDED_SERIALIZER_FIELDS = (serializers.MultipleChoiceField, serializers.JSONField,
                               serializers.HStoreField)


def project_modules():
    """Every module of the project but its migrations and management commands, imported."""
    for info in pkgutil.walk_packages(shouye.__path__, "shouye."):
        if ".migrations" in info.name or ".management" in info.name:
            continue
        yield importlib.import_module(info.name)


def project_classes(base) -> set[type]:
    """The project's subclasses of ``base``: defined in its modules, or bound to a name in one (a
    ``formset_factory`` result)."""
    found = set()
    for module in project_modules():
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, base) and (
                    value.__module__.startswith("shouye.") or value.__module__.startswith("django.forms")):
                found.add(value)
    return found


def serializer_problems(serializer, path: str, seen: set) -> list[str]:
    problems = []
    for name, field in serializer.fields.items():
        where = f"{path}.{name}"
        if field.read_only:
            continue
        for kind, bounded in BOUNDED_SERIALIZER_FIELDS.items():
            if isinstance(field, kind) and not isinstance(field, bounded):
                problems.append(f"{where} is a {type(field).__name__}: use shouye.core.api.fields."
                                f"{bounded.__name__} (or many=True on a field of that module)")
        if isinstance(field, UNBOUNDED_SERIALIZER_FIELDS):
            problems.append(f"{where} is a {type(field).__name__}, which has no bounded kind in "
                            f"shouye/core/api/fields.py: add one there")
        child = getattr(field, "child", None)
        nested = child if isinstance(child, serializers.Serializer) else field
        if isinstance(nested, serializers.Serializer) and type(nested) not in seen:
            seen.add(type(nested))
            problems += serializer_problems(nested, where, seen)
    return problems


def test_every_many_valued_serializer_field_is_bounded():
    classes = {cls for cls in project_classes(serializers.Serializer) if cls.__module__.startswith("shouye.")}
    assert {"EnterpriseSerializer", "InspectionCreateSerializer", "HazardReportSerializer"} <= \
        {cls.__name__ for cls in classes}
    problems = []
    for cls in sorted(classes, key=lambda cls: f"{cls.__module__}.{cls.__name__}"):
        problems += serializer_problems(cls(context={}), f"{cls.__module__}.{cls.__name__}", set())
    assert not problems, "\n".join(problems)


def form_field_problems(name: str, field) -> list[str]:
    if isinstance(field, forms.ModelMultipleChoiceField) and \
            not isinstance(field, core_forms.ModelMultipleChoiceField):
        return [f"{name} is a ModelMultipleChoiceField: use shouye.core.forms.ModelMultipleChoiceField"]
    if isinstance(field, forms.MultipleChoiceField) and not isinstance(field, core_forms.MultipleChoiceField):
        return [f"{name} is a {type(field).__name__}, which has no bounded kind in shouye/core/forms.py: add one"]
    if isinstance(field, forms.FileField) and getattr(field.widget, "allow_multiple_selected", False) and \
            not isinstance(field, core_forms.MultipleFileField):
        return [f"{name} takes several files: use shouye.core.forms.MultipleFileField"]
    return []


def test_every_many_valued_form_field_and_every_formset_is_bounded():
    problems = []
    form_classes = project_classes(forms.BaseForm) - {forms.BaseForm, forms.Form, forms.BaseModelForm,
                                                      forms.ModelForm}
    assert {"EnterpriseForm", "InspectionForm", "ReportForm"} <= {cls.__name__ for cls in form_classes}
    for cls in form_classes:
        for name, field in cls.base_fields.items():
            problems += form_field_problems(f"{cls.__module__}.{cls.__name__}.{name}", field)
    formsets = {formset for formset in project_classes(forms.BaseFormSet) if hasattr(formset, "form")}
    assert formsets, "the enterprise page's formsets of key people and licences"
    for formset in formsets:
        where = f"{formset.__name__} (of {formset.form.__name__})"
        if not issubclass(formset, core_forms.BoundedFormSet) or not formset.validate_max or \
                formset.absolute_max > formset.max_num:
            problems.append(f"{where}: make it with shouye.core.forms.formset_factory")
    assert not problems, "\n".join(problems)


def test_every_filter_set_derives_from_the_bounded_one():
    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    list(project_modules())
    filter_sets = [cls for cls in subclasses(django_filters.FilterSet) if cls.__module__.startswith("shouye.")]
    assert len(filter_sets) >= 4
    outside = [f"{cls.__module__}.{cls.__name__}" for cls in filter_sets if not issubclass(cls, FilterSet)]
    assert not outside, f"derive these from shouye.core.filters.FilterSet: {outside}"


def test_the_bounded_filter_set_refuses_unbounded_filters_when_the_class_is_made():
    with pytest.raises(ImproperlyConfigured, match="enterprise takes any number"):
        type("Unbounded", (FilterSet,), {"enterprise": django_filters.NumberFilter(field_name="id"),
                                         "Meta": type("Meta", (), {"model": Enterprise, "fields": ["enterprise"]})})
    with pytest.raises(ImproperlyConfigured, match="takes several values without a maximum"):
        type("Unbounded", (FilterSet,), {
            "tags": django_filters.ModelMultipleChoiceFilter(queryset=Tag.objects.all()),
            "Meta": type("Meta", (), {"model": Enterprise, "fields": ["tags"]})})


def test_filters_made_from_model_fields_are_the_bounded_kinds():
    class Generated(FilterSet):
        class Meta:
            model = Enterprise
            fields = ["employees", "tags"]

    assert isinstance(Generated.base_filters["employees"], IntegerFilter)
    assert isinstance(Generated.base_filters["tags"], ModelMultipleChoiceFilter)


@pytest.mark.django_db
def test_a_multi_valued_filter_refuses_more_values_than_the_maximum(cast):
    class ByTags(FilterSet):
        tag = ModelMultipleChoiceFilter(field_name="tags__code", to_field_name="code", queryset=Tag.objects.all())

        class Meta:
            model = Enterprise
            fields = ["tag"]

    code = Tag.objects.order_by("code").first().code
    many = QueryDict("&".join([f"tag={code}"] * (MAX_ITEMS + 1)))
    filter_set = ByTags(many, queryset=Enterprise.objects.all())
    assert not filter_set.is_valid()
    assert f"{MAX_ITEMS}" in filter_set.errors["tag"][0]
    assert ByTags(QueryDict(f"tag={code}"), queryset=Enterprise.objects.all()).is_valid()


def api_views():
    def walk(resolver):
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                yield from walk(entry)
            else:
                cls = getattr(entry.callback, "cls", None) or getattr(entry.callback, "view_class", None)
                if isinstance(cls, type) and issubclass(cls, APIView):
                    yield cls
    return set(walk(get_resolver()))


def test_every_api_view_parses_with_the_bounded_parsers():
    views = api_views()
    assert len(views) > 10
    bounded = {parsers.JSONParser: core_parsers.JSONParser, parsers.FormParser: core_parsers.FormParser}
    problems = [f"{view.__module__}.{view.__name__} parses with {parser.__name__}: use {good.__module__}."
                f"{good.__name__}" for view in views for parser in view.parser_classes
                for kind, good in bounded.items() if issubclass(parser, kind) and not issubclass(parser, good)]
    assert not problems, "\n".join(problems)


def test_no_url_takes_an_unbounded_integer():
    def walk(resolver, prefix=""):
        for entry in resolver.url_patterns:
            path = prefix + str(entry.pattern)
            converters = getattr(entry.pattern, "converters", {})
            yield from ((path, name) for name, converter in converters.items() if type(converter) is IntConverter)
            if isinstance(entry, URLResolver):
                yield from walk(entry, path)

    unbounded = list(walk(get_resolver()))
    assert not unbounded, f"use <id:…> (shouye/core/converters.py) instead of <int:…> in {unbounded}"
