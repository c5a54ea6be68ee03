"""Timelines name each event's verb in words (issue 8): core's ``verb_label`` filter reads the label table
that the audit app registers in a core hook, so core does not import audit."""

from django.template import Context, Template
from django.utils import translation


def test_the_timeline_filter_shows_the_registered_label_and_an_unknown_verb_as_it_is():
    template = Template("{% load shouye_tags %}{{ 'hazard.report'|verb_label }}|{{ 'drill.start'|verb_label }}")
    with translation.override("zh-hans"):
        assert template.render(Context()) == "上报了隐患|drill.start"
