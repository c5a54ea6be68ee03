from django import template

from shouye.core.registry import navigation, verb_label_providers

register = template.Library()


@register.filter
def verb_label(verb: str) -> str:
    """The readable label of an audit verb (``enterprise.create`` → 登记了企业), from the label table the audit app
    registers; an unknown verb is shown as it is."""
    for provider in verb_label_providers:
        label = provider(verb)
        if label is not None:
            return str(label)
    return verb


@register.inclusion_tag("core/_navigation.html", takes_context=True)
def navigation_bar(context) -> dict:
    """The navigation bar's links and drop-down menus the signed-in user may see, as the apps registered them."""
    return {"items": navigation.bar_for(context["user"])}
