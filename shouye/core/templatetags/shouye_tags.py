from django import template

from shouye.audit.verbs import label

register = template.Library()


@register.filter
def verb_label(verb: str) -> str:
    """The readable label of an audit verb (``enterprise.create`` → 登记了企业)."""
    return label(verb)
