"""When a worker's certificate expires, when its review (复审) is due and when to apply: the one place this app
computes them.

It defers to the rule ``certificate-review`` (``shouye.rules.certificates.review``), which is being written beside
this app; until that module is on main, :func:`review` below follows the rule's semantics (issue 11,
"Semantics") exactly and has the same signature and answer, so switching is a one-line import.

- A period of N years ends on the same month and day N years later; a day that does not exist that year (29
  February) ends it on the last day of that month (民法典 Art. 202).
- A special-operation certificate (特种作业操作证) is valid 6 years (30号令 Art. 19) and reviewed every 3 years,
  counted from the last review or from issue (Art. 21), every 6 years once the holder has worked ≥ 10 years
  continuously in the trade and complied with the law (Art. 21 ¶2); the application window is the 60 days
  before the review is due (Art. 22 "期满前60日内": ``apply_from`` = due − 60 days, ``apply_by`` = due).
- A safety qualification certificate (安全资格证) is valid 3 years and has no review; it is renewed by applying
  at least 30 days before expiry (44号令 Art. 25): ``apply_from`` is None and ``apply_by`` = expiry − 30 days.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings

from .choices import CertificateFlag, CertificateKind

#: 30号令 Art. 19 and 44号令 Art. 25.
VALIDITY_YEARS = {CertificateKind.SPECIAL_OPERATION: 6, CertificateKind.SAFETY_QUALIFICATION: 3}
#: 30号令 Art. 21: every 3 years; every 6 after ≥ 10 continuous years in the trade without violations.
REVIEW_YEARS, LONG_REVIEW_YEARS, LONG_REVIEW_AFTER_YEARS = 3, 6, 10
#: 30号令 Art. 22: apply within the 60 days before the review is due.
REVIEW_WINDOW_DAYS = 60
#: 44号令 Art. 25: apply for renewal at least 30 days before expiry.
RENEWAL_NOTICE_DAYS = 30


@dataclass(frozen=True)
class Review:
    expires_on: date
    next_review_due: date | None
    apply_from: date | None
    apply_by: date


def add_years(day: date, years: int) -> date:
    """The same month and day ``years`` later; the month's last day when that day does not exist (民法典 Art. 202)."""
    year = day.year + years
    return day.replace(year=year, day=min(day.day, calendar.monthrange(year, day.month)[1]))


def review(kind: str, issued_on: date, last_review_on: date | None = None, continuous_years: int = 0,
           compliant: bool = True) -> Review:
    """The dates of a certificate (see the module's docstring for the rules and their clauses)."""
    expires_on = add_years(issued_on, VALIDITY_YEARS[CertificateKind(kind)])
    if kind == CertificateKind.SAFETY_QUALIFICATION:
        return Review(expires_on=expires_on, next_review_due=None, apply_from=None,
                      apply_by=expires_on - timedelta(days=RENEWAL_NOTICE_DAYS))
    period = LONG_REVIEW_YEARS if continuous_years >= LONG_REVIEW_AFTER_YEARS and compliant else REVIEW_YEARS
    due = add_years(last_review_on or issued_on, period)
    return Review(expires_on=expires_on, next_review_due=due,
                  apply_from=due - timedelta(days=REVIEW_WINDOW_DAYS), apply_by=due)


def renewal_notice_from(expires_on: date) -> date:
    """From when a safety qualification's coming expiry is flagged: ``SHOUYE_LICENCE_WARNING_DAYS`` before it,
    the warning the registry gives for an enterprise's licences (an editable setting, 90 days by default: 44号令
    sets only the 30-day deadline, not when to start warning)."""
    return expires_on - timedelta(days=settings.SHOUYE_LICENCE_WARNING_DAYS)


def flag(certificate, today: date) -> str:
    """The most urgent of: expired (after its last valid day), review overdue (after the day the review was
    due), in its application window (a special-operation certificate from ``apply_from`` to the due day; a
    safety qualification from the warning before expiry), or valid."""
    if today > certificate.expires_on:
        return CertificateFlag.EXPIRED
    if certificate.next_review_due is not None and today > certificate.next_review_due:
        return CertificateFlag.REVIEW_OVERDUE
    if certificate.kind == CertificateKind.SPECIAL_OPERATION:
        if certificate.apply_from is not None and today >= certificate.apply_from:
            return CertificateFlag.DUE
    elif today >= renewal_notice_from(certificate.expires_on):
        return CertificateFlag.DUE
    return CertificateFlag.VALID
