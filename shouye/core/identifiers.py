"""Valid made-up identifiers for demo, test and benchmark data (never a real organisation or person)."""

from datetime import date

from shouye.rules.identifiers import (
    compute_credit_code_check,
    compute_id_number_check,
    compute_org_code_check,
)


def credit_code(seq: int, division: str = "370113", prefix: str = "91") -> str:
    """A valid credit code whose organisation-code body encodes ``seq`` (unique per seq, < 10^8)."""
    body = f"{seq:08d}"
    first17 = f"{prefix}{division}{body}{compute_org_code_check(body)}"
    return first17 + compute_credit_code_check(first17)


def id_number(seq: int, birth: date = date(1980, 1, 1), division: str = "370113") -> str:
    """A valid resident ID number; ``seq`` picks the 3-digit sequence (odd = male, even = female)."""
    first17 = f"{division}{birth:%Y%m%d}{seq % 1000:03d}"
    return first17 + compute_id_number_check(first17)
