"""The contact's phone in full for those who act on the incident (duty staff, commanders, the township's
officers on site); masked for those who only read it (shouye.rules.identifiers)."""

from shouye.rules.identifiers import mask_phone

from .workflow import COMMAND, ON_SITE, RECORD


def contact_phone_for(user, phone: str) -> str:
    if not phone or any(user.has_perm(perm) for perm in (RECORD, COMMAND, ON_SITE)):
        return phone
    return mask_phone(phone)
