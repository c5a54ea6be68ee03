"""A worker's ID number and phone as a user may see them: the enterprise registry's rule (REGULATIONS.md §10.2,
``shouye.enterprises.masking``): in clear for those who hold ``enterprises.view_personal_data``, masked in
lists, pages, the API and the export for everyone else.

A special-operation certificate's number is usually the holder's ID number behind a letter (T370113…), so an ID
number inside a certificate number is masked the same way."""

import re

from shouye.enterprises.masking import person_contact, sees_personal_data
from shouye.rules.identifiers import mask_id_number

#: An 18-character resident ID number (GB 11643) inside a longer text.
_ID_NUMBER = re.compile(r"\d{17}[\dXx]")


def worker_contact(worker, user) -> dict:
    return person_contact(worker, user)


def masked_certificate_number(number: str) -> str:
    return _ID_NUMBER.sub(lambda match: mask_id_number(match.group(0)), number)


def certificate_number(number: str, user) -> str:
    """The certificate number as ``user`` may see it."""
    return number if sees_personal_data(user) else masked_certificate_number(number)
