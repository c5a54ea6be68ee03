"""Personal data (REGULATIONS.md §10.2, 个人信息保护法): ID numbers and personal phones in clear only for
those who need them; masked in lists, pages, the API and exports for everyone else."""

from shouye.rules.identifiers import mask_id_number, mask_phone

PERSONAL_DATA_PERM = "enterprises.view_personal_data"


def sees_personal_data(user) -> bool:
    return bool(user and user.is_authenticated and user.has_perm(PERSONAL_DATA_PERM))


def person_contact(person, user) -> dict:
    """The phone and ID number of a key person as this user may see them."""
    clear = sees_personal_data(user)
    return {
        "phone": person.phone if clear else mask_phone(person.phone),
        "id_number": person.id_number if clear else mask_id_number(person.id_number),
    }
