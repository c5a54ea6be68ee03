from decimal import Decimal
from fractions import Fraction

from django import template

register = template.Library()

#: Bootstrap classes for the four risk colours (REGULATIONS.md §3.3).
COLOUR_CLASSES = {"red": "text-bg-danger", "orange": "text-bg-orange", "yellow": "text-bg-warning",
                  "blue": "text-bg-primary"}


@register.filter
def plain(value, places: int = 4) -> str:
    """A number for reading: exact fractions and decimals to at most ``places`` places, no trailing zeros.
    The comparisons with the thresholds were made exactly by the rules; this is display only."""
    if value is None or value == "":
        return ""
    if isinstance(value, Fraction):
        value = Decimal(value.numerator) / Decimal(value.denominator)
    text = f"{Decimal(value):.{int(places)}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


@register.filter
def colour_class(colour: str) -> str:
    return COLOUR_CLASSES.get(colour, "text-bg-secondary")
