"""Certificate expiry and review: special-operation certificates and safety qualifications.

REGULATIONS-2 §F.3 (《特种作业人员安全技术培训考核管理规定》, 30号令) and §F.4 (44号令, 安监总培训〔2013〕104号);
the periods are in :mod:`shouye.rules.data.certificates`.

Periods: a period of N years ends on the same month and day N years later (民法典 Art. 202: "到期月的对应日为
期间的最后一日；没有对应日的，月末日为期间的最后一日"), so a certificate issued on 29 February ends on 28 February
(the month's last day), never on 1 March. :func:`shouye.rules._values.add_months` implements exactly that.

- ``special_operation``: valid 6 years from issue (Art. 19), whatever the reviews. Reviewed every 3 years
  counted from the last review, or from issue when there has been none; every 6 years once the holder has
  ``continuous_years`` ≥ 10 in the trade and is ``compliant`` (Art. 21). The application window is the 60
  days before the review is due (Art. 22 "期满前60日内"): ``apply_from`` = due − 60 days, ``apply_by`` = due.
  A review that would fall after the certificate expires is capped at the expiry date: the certificate
  cannot be reviewed after it has lapsed, so its holder must apply (for the review that renews it) by then.
  The cap is this platform's reading of Art. 21–22 [U].
- ``safety_qualification``: valid 3 years, no review (``next_review_due`` and ``apply_from`` are ``None``);
  ``apply_by`` is 30 days before expiry (44号令 Art. 25: extension applied for at least 30 days before expiry).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from shouye.rules._values import add_months, to_bool, to_date, to_int
from shouye.rules.data.certificates import (
    CERTIFICATE_KINDS,
    MAX_CONTINUOUS_YEARS,
    SAFETY_QUALIFICATION,
    SAFETY_QUALIFICATION_APPLY_DAYS_BEFORE_EXPIRY,
    SAFETY_QUALIFICATION_VALID_YEARS,
    SPECIAL_OPERATION_APPLY_DAYS,
    SPECIAL_OPERATION_LONG_REVIEW_MIN_CONTINUOUS_YEARS,
    SPECIAL_OPERATION_LONG_REVIEW_YEARS,
    SPECIAL_OPERATION_REVIEW_YEARS,
    SPECIAL_OPERATION_VALID_YEARS,
)
from shouye.rules.errors import RuleInputError

PERIOD_BASIS = "期间按年计算的，到期年对应月日为最后一日，无对应日的取月末日（民法典第二百零二条）"


@dataclass(frozen=True)
class CertificateReview:
    """When a certificate expires, when its next review is due and its application window (dates inclusive).

    ``next_review_due`` and ``apply_from`` are ``None`` for a kind without review (a safety qualification).
    """

    expires_on: date
    next_review_due: date | None
    apply_from: date | None
    apply_by: date
    basis: str


def add_years(start: date, years: int) -> date:
    """The end of a period of ``years`` years from ``start`` (民法典 Art. 202): 29 February → 28 February."""
    return add_months(start, 12 * years)


def review(
    kind: str,
    issued_on: date,
    last_review_on: date | None = None,
    continuous_years: int = 0,
    compliant: bool = True,
) -> CertificateReview:
    """Expiry, next review and application window of a certificate (see the module docstring for the rule).

    Dates may be ``date`` objects or ISO text. Raises :class:`RuleInputError` for an unknown ``kind``, a
    review before issue or after expiry, a review given for a kind that has none, or a bad number of years.
    """
    if kind not in CERTIFICATE_KINDS:
        allowed = "、".join(f"{k}（{v}）" for k, v in CERTIFICATE_KINDS.items())
        raise RuleInputError(f"证书类型应为{allowed}之一，收到 {kind!r}", "kind")
    issued = to_date(issued_on, "issued_on", label="发证日期")
    years = to_int(continuous_years, "continuous_years", label="连续从事本工种年限", minimum=0)
    if years > MAX_CONTINUOUS_YEARS:
        raise RuleInputError(
            f"连续从事本工种年限不能超过{MAX_CONTINUOUS_YEARS}年，收到 {continuous_years}", "continuous_years"
        )
    is_compliant = to_bool(compliant, "compliant", label="是否严格遵守安全生产法律法规")
    if kind == SAFETY_QUALIFICATION:
        if last_review_on is not None:
            raise RuleInputError("安全资格证不实行复审，不应填写上次复审日期", "last_review_on")
        expires = add_years(issued, SAFETY_QUALIFICATION_VALID_YEARS)
        return CertificateReview(
            expires_on=expires,
            next_review_due=None,
            apply_from=None,
            apply_by=expires - timedelta(days=SAFETY_QUALIFICATION_APPLY_DAYS_BEFORE_EXPIRY),
            basis=(
                "安全资格证有效期3年，不实行复审，有效期届满需要延期的应于届满30日前提出申请"
                f"（《安全生产培训管理办法》第二十五条、安监总培训〔2013〕104号）；{PERIOD_BASIS}"
            ),
        )

    expires = add_years(issued, SPECIAL_OPERATION_VALID_YEARS)
    counted_from = issued
    if last_review_on is not None:
        counted_from = to_date(last_review_on, "last_review_on", label="上次复审日期")
        if counted_from < issued:
            raise RuleInputError(
                f"上次复审日期（{counted_from.isoformat()}）早于发证日期（{issued.isoformat()}），请核对",
                "last_review_on",
            )
        if counted_from > expires:
            raise RuleInputError(
                f"上次复审日期（{counted_from.isoformat()}）晚于证书有效期满日（{expires.isoformat()}）；"
                "换发新证的，请按新证的发证日期填写",
                "last_review_on",
            )
    long_interval = years >= SPECIAL_OPERATION_LONG_REVIEW_MIN_CONTINUOUS_YEARS and is_compliant
    interval = SPECIAL_OPERATION_LONG_REVIEW_YEARS if long_interval else SPECIAL_OPERATION_REVIEW_YEARS
    due = add_years(counted_from, interval)
    capped = due > expires
    due = min(due, expires)
    reason = (
        f"连续从事本工种{years}年（10年以上）且严格遵守安全生产法律法规，复审时间延长至每6年1次"
        if long_interval
        else "每3年复审1次"
    )
    source = "上次复审" if last_review_on is not None else "发证"
    cap = "；按周期计算的复审日晚于有效期满日，取有效期满日（本平台的解释 [U]）" if capped else ""
    return CertificateReview(
        expires_on=expires,
        next_review_due=due,
        apply_from=due - timedelta(days=SPECIAL_OPERATION_APPLY_DAYS),
        apply_by=due,
        basis=(
            f"特种作业操作证有效期6年（第十九条）；{reason}，自{source}之日起算（第二十一条）{cap}；"
            f"应在复审期满前60日内提出申请（第二十二条）——《特种作业人员安全技术培训考核管理规定》"
            f"（原国家安监总局令第30号）；{PERIOD_BASIS}"
        ),
    )
