"""Identifier checks: unified social credit code (GB 32100-2015) and resident ID number (GB 11643-1999).

Checks are strict: they look at the value exactly as given (no trimming, no case folding), so that what is
stored is what was checked. A form may normalise input first; the reasons below tell the person what to fix.
Masking (REGULATIONS.md §10.2) hides personal information in lists and exports.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

CREDIT_CODE_BASIS = (
    "GB 32100-2015（统一社会信用代码，第18位校验码）；GB 11714（第9–17位组织机构代码及其校验码）"
)
ID_NUMBER_BASIS = "GB 11643-1999（公民身份号码：出生日期码、顺序码、校验码）"

# GB 32100-2015: the 31-character set (no I, O, Z, S, V); a character's value is its index.
CREDIT_CODE_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
# w_i = 3^(i-1) mod 31 for positions 1..17.
CREDIT_CODE_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))
# GB 11714: weights for the 8 body characters of the organisation code (positions 9-16 of the credit code).
ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
# GB 11643-1999: weights for positions 1..17 and the check character indexed by the weighted sum mod 11.
ID_NUMBER_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_NUMBER_CHECK_CHARS = "10X98765432"


@dataclass(frozen=True)
class CheckResult:
    """Outcome of an identifier check.

    ``reason`` is empty when valid. ``expected_check`` is the check character the value should end with,
    given whenever the length and characters allow computing it. ``birth_date`` and ``sex`` (``"male"`` or
    ``"female"``) are filled for valid ID numbers only.
    """

    valid: bool
    reason: str
    expected_check: str | None
    basis: str
    birth_date: date | None = None
    sex: str | None = None


def compute_credit_code_check(first17: str) -> str:
    """Check character (position 18) for the first 17 characters of a credit code (GB 32100-2015).

    Raises ``ValueError`` when ``first17`` is not 17 characters of the code's character set.
    """
    if len(first17) != 17 or any(ch not in CREDIT_CODE_CHARSET for ch in first17):
        raise ValueError("需要统一社会信用代码字符集中的17个字符")
    total = sum(CREDIT_CODE_CHARSET.index(ch) * w for ch, w in zip(first17, CREDIT_CODE_WEIGHTS, strict=True))
    return CREDIT_CODE_CHARSET[(31 - total % 31) % 31]


def compute_org_code_check(body8: str) -> str:
    """Check character of a GB 11714 organisation code from its 8 body characters.

    Digits count by value, letters A=10 … Z=35; ``r = 11 - Σ mod 11``, written ``X`` for 10 and ``0`` for 11.
    Raises ``ValueError`` when ``body8`` is not 8 digits or capital letters.
    """
    if len(body8) != 8 or any(not (ch.isascii() and (ch.isdigit() or ch.isupper())) for ch in body8):
        raise ValueError("需要8位数字或大写字母")
    total = sum(int(ch, 36) * w for ch, w in zip(body8, ORG_CODE_WEIGHTS, strict=True))
    r = 11 - total % 11
    return {10: "X", 11: "0"}.get(r, str(r))


def complete_credit_code(first16: str) -> str:
    """A valid credit code from its first 16 characters: appends the organisation-code check (position 17)
    and the code's check character (position 18). Useful for demo and test data.

    Raises ``ValueError`` when ``first16`` is not 16 characters of the code's character set.
    """
    if len(first16) != 16 or any(ch not in CREDIT_CODE_CHARSET for ch in first16):
        raise ValueError("需要统一社会信用代码字符集中的16个字符")
    first17 = first16 + compute_org_code_check(first16[8:])
    return first17 + compute_credit_code_check(first17)


def compute_id_number_check(first17: str) -> str:
    """Check character of a resident ID number from its first 17 digits (GB 11643-1999).

    Raises ``ValueError`` when ``first17`` is not 17 ASCII digits.
    """
    if len(first17) != 17 or not (first17.isascii() and first17.isdigit()):
        raise ValueError("需要17位数字")
    total = sum(int(ch) * w for ch, w in zip(first17, ID_NUMBER_WEIGHTS, strict=True))
    return ID_NUMBER_CHECK_CHARS[total % 11]


def _describe_char(ch: str) -> str:
    """A bad character as a person would recognise it (spaces and invisible characters made visible)."""
    return f"“{ch}”" if ch.isprintable() and not ch.isspace() else f"空白或不可见字符（U+{ord(ch):04X}）"


def check_credit_code(code: str) -> CheckResult:
    """Check a unified social credit code (GB 32100-2015), including the GB 11714 organisation code inside it.

    In order: 18 characters; every character from the 31-character set; positions 9–17 form a valid
    organisation code (position 17 is its check character); position 18 is the code's check character.
    The reason names the position and the character expected.
    """

    def invalid(reason: str, expected: str | None = None) -> CheckResult:
        return CheckResult(valid=False, reason=reason, expected_check=expected, basis=CREDIT_CODE_BASIS)

    if not isinstance(code, str) or code == "":
        return invalid("统一社会信用代码为空，请填写18位代码")
    if len(code) != 18:
        return invalid(f"统一社会信用代码应为18位，当前为{len(code)}位")
    for position, ch in enumerate(code, start=1):
        if ch in CREDIT_CODE_CHARSET:
            continue
        if ch.upper() in CREDIT_CODE_CHARSET and ch != ch.upper():
            return invalid(f"第{position}位“{ch}”是小写字母，应为大写“{ch.upper()}”")
        return invalid(
            f"第{position}位{_describe_char(ch)}不是统一社会信用代码的字符"
            "（只用数字0–9和大写字母，不含I、O、Z、S、V）"
        )

    expected = compute_credit_code_check(code[:17])
    problems = []
    org_check = compute_org_code_check(code[8:16])
    if code[16] != org_check:
        problems.append(f"第17位（第9–17位组织机构代码的校验码）应为“{org_check}”，当前为“{code[16]}”")
    if code[17] != expected:
        problems.append(f"第18位校验码应为“{expected}”，当前为“{code[17]}”")
    if problems:
        return invalid("；".join(problems), expected)
    return CheckResult(valid=True, reason="", expected_check=expected, basis=CREDIT_CODE_BASIS)


def check_id_number(number: str) -> CheckResult:
    """Check an 18-character resident ID number (GB 11643-1999).

    In order: 18 characters; positions 1–17 digits and position 18 a digit or capital ``X``; positions 7–14 a
    real date (YYYYMMDD); position 18 the check character. A valid number also yields the birth date and the
    sex (position 17, the last digit of the sequence code: odd male, even female).
    """

    def invalid(reason: str, expected: str | None = None) -> CheckResult:
        return CheckResult(valid=False, reason=reason, expected_check=expected, basis=ID_NUMBER_BASIS)

    if not isinstance(number, str) or number == "":
        return invalid("身份证号码为空，请填写18位号码")
    if len(number) != 18:
        hint = "（15位旧号码请使用18位新号码）" if len(number) == 15 else ""
        return invalid(f"身份证号码应为18位，当前为{len(number)}位{hint}")
    for position, ch in enumerate(number[:17], start=1):
        if not (ch.isascii() and ch.isdigit()):
            return invalid(f"第{position}位{_describe_char(ch)}应为数字0–9")
    last = number[17]
    expected = compute_id_number_check(number[:17])
    if last == "x":
        return invalid("第18位“x”是小写字母，应为大写“X”", expected)
    if not (last.isascii() and (last.isdigit() or last == "X")):
        return invalid(f"第18位{_describe_char(last)}应为数字0–9或大写X", expected)

    digits = number[6:14]
    try:
        birth = date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        return invalid(f"第7–14位出生日期“{digits}”不是有效日期（格式为年月日YYYYMMDD）", expected)
    if last != expected:
        return invalid(f"第18位校验码应为“{expected}”，当前为“{last}”", expected)
    sex = "male" if int(number[16]) % 2 == 1 else "female"
    return CheckResult(
        valid=True, reason="", expected_check=expected, basis=ID_NUMBER_BASIS, birth_date=birth, sex=sex
    )


def _mask(value: object, keep_head: int, keep_tail: int) -> str:
    """Keep ``keep_head`` leading and ``keep_tail`` trailing characters, star the rest.

    When fewer than four characters would be hidden the whole value is starred, so that a short or odd
    value never shows most of itself. Non-strings give an empty string.
    """
    if not isinstance(value, str):
        return ""
    text = value.strip()
    hidden = len(text) - keep_head - keep_tail
    if hidden < 4:
        return "*" * len(text)
    return text[:keep_head] + "*" * hidden + text[len(text) - keep_tail :]


def mask_id_number(number: str) -> str:
    """Mask an ID number for lists and exports: ``11010519491231002X`` → ``110105********002X`` (§10.2)."""
    return _mask(number, 6, 4)


def mask_phone(phone: str) -> str:
    """Mask a phone number for lists and exports: ``13812345678`` → ``138****5678`` (§10.2)."""
    return _mask(phone, 3, 4)
