from django import template

from shouye.audit.verbs import label
from shouye.core.registry import navigation

register = template.Library()


@register.filter
def verb_label(verb: str) -> str:
    """The readable label of an audit verb (``enterprise.create`` → 登记了企业)."""
    return label(verb)


@register.inclusion_tag("core/_navigation.html", takes_context=True)
def navigation_bar(context) -> dict:
    """The navigation bar's entries the signed-in user may see, as the apps registered them."""
    return {"entries": navigation.for_user(context["user"])}
