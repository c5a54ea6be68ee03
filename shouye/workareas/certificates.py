"""When a worker's certificate expires, when its review (复审) is due and when to apply: the one place this app asks,
and what that means for the ledger now (its flag).

The dates are the rule ``certificate-review`` (:func:`shouye.rules.certificates.review`, REGULATIONS-2 §F.3, §F.4):
a special-operation certificate (特种作业操作证) is valid 6 years (30号令 Art. 19), reviewed every 3 years from the
last review or from issue, every 6 once the holder has ≥ 10 continuous years in the trade and complies (Art. 21),
applied for within the 60 days before the review is due (Art. 22), the review capped at expiry; a safety
qualification (安全资格证) is valid 3 years, without review, renewed at least 30 days before expiry (44号令
Art. 25). A period of N years ends on the same month and day N years later (民法典 Art. 202)."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings

from shouye.rules.certificates import CertificateReview, add_years
from shouye.rules.certificates import review as rule_review
from shouye.rules.data.certificates import SPECIAL_OPERATION_APPLY_DAYS

from .choices import CertificateFlag, CertificateKind

__all__ = ["SPECIAL_OPERATION_APPLY_DAYS", "add_years", "flag", "renewal_notice_from", "review"]


def review(kind: str, issued_on: date, last_review_on: date | None = None, continuous_years: int = 0,
           compliant: bool = True) -> CertificateReview:
    """The rule's dates of a certificate; ``RuleInputError`` (with the field it names) for input it refuses."""
    return rule_review(kind, issued_on, last_review_on, continuous_years, compliant)


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
