import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class ComplexityValidator:
    """A password mixes at least three of: upper-case letters, lower-case letters, digits, other
    characters (等保 2.0 level 3: 身份鉴别信息具有复杂度要求)."""

    classes = (r"[A-Z]", r"[a-z]", r"[0-9]", r"[^A-Za-z0-9]")

    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password, user=None):
        found = sum(1 for pattern in self.classes if re.search(pattern, password or ""))
        if found < self.min_classes:
            raise ValidationError(self.get_help_text(), code="password_too_simple")

    def get_help_text(self):
        return _("The password must mix at least %(n)d of: upper-case letters, lower-case letters, digits, "
                 "symbols.") % {"n": self.min_classes}
