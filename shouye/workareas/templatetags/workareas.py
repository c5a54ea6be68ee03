"""``{{ certificate.number|certificate_number:masked }}``: a certificate number masked where the page masks ID
numbers (``workareas.masking``)."""

from django import template

from ..masking import masked_certificate_number

register = template.Library()


@register.filter
def certificate_number(number: str, masked: bool) -> str:
    return masked_certificate_number(number) if masked else number
