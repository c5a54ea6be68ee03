"""Field validators built on the rules library, so the page, the API and the import say the same thing."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from shouye.rules.identifiers import check_credit_code, check_id_number


def _reason(result, generic: str) -> str:
    """The rules library explains a bad identifier in Chinese (which position, which check character);
    in another UI language the message says the same in general terms."""
    if (get_language() or "zh-hans").startswith("zh"):
        return result.reason
    if result.expected_check:
        return _("%(generic)s The check character should be %(check)s.") % {
            "generic": generic, "check": result.expected_check}
    return generic


def validate_credit_code(value: str) -> None:
    result = check_credit_code(value)
    if not result.valid:
        raise ValidationError(_reason(result, _("This is not a valid unified social credit code (GB 32100).")),
                              code="invalid_credit_code")


def validate_id_number(value: str) -> None:
    if not value:
        return
    result = check_id_number(value)
    if not result.valid:
        raise ValidationError(_reason(result, _("This is not a valid resident ID number (GB 11643).")),
                              code="invalid_id_number")


_PHONE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$")


def validate_phone(value: str) -> None:
    if value and not _PHONE.match(value):
        raise ValidationError(_("Enter a mobile number of 11 digits or a landline such as 0531-87654321."),
                              code="invalid_phone")
