"""The certificate rule's dates and the flags at the edges of each window (issue 11, "Semantics")."""

from datetime import date

import pytest

from shouye.workareas.certificates import add_years, flag, review
from shouye.workareas.choices import CertificateFlag, CertificateKind
from shouye.workareas.models import WorkerCertificate

SO, SQ = CertificateKind.SPECIAL_OPERATION, CertificateKind.SAFETY_QUALIFICATION


def test_a_period_ends_on_the_same_month_and_day_or_the_month_end():
    assert add_years(date(2020, 3, 15), 3) == date(2023, 3, 15)
    assert add_years(date(2024, 2, 29), 3) == date(2027, 2, 28)


def test_special_operation_is_valid_six_years_and_reviewed_every_three_from_the_last_review():
    result = review(SO, date(2021, 5, 10))
    assert result.expires_on == date(2027, 5, 10)
    assert result.next_review_due == date(2024, 5, 10)
    assert result.apply_from == date(2024, 3, 11) and result.apply_by == date(2024, 5, 10)
    assert review(SO, date(2021, 5, 10), last_review_on=date(2024, 4, 1)).next_review_due == date(2027, 4, 1)


@pytest.mark.parametrize(("years", "compliant", "due"), [
    (9, True, date(2023, 1, 1)), (10, True, date(2026, 1, 1)), (10, False, date(2023, 1, 1))])
def test_every_six_years_after_ten_continuous_years_without_violations(years, compliant, due):
    assert review(SO, date(2020, 1, 1), continuous_years=years, compliant=compliant).next_review_due == due


def test_safety_qualification_three_years_no_review_apply_thirty_days_before():
    result = review(SQ, date(2023, 6, 30))
    assert result.expires_on == date(2026, 6, 30)
    assert result.next_review_due is None and result.apply_from is None
    assert result.apply_by == date(2026, 5, 31)


def _certificate(kind, issued, **values):
    certificate = WorkerCertificate(kind=kind, issued_on=issued, **values)
    certificate.compute_dates()
    return certificate


@pytest.mark.parametrize(("today", "expected"), [
    (date(2024, 3, 10), CertificateFlag.VALID),           # the day before apply_from
    (date(2024, 3, 11), CertificateFlag.DUE),             # apply_from: the window opens
    (date(2024, 5, 10), CertificateFlag.DUE),             # the review's due day is still in the window
    (date(2024, 5, 11), CertificateFlag.REVIEW_OVERDUE),  # the day after
    (date(2027, 5, 10), CertificateFlag.REVIEW_OVERDUE),  # the last valid day
    (date(2027, 5, 11), CertificateFlag.EXPIRED),
])
def test_special_operation_flags_at_the_window_edges(today, expected):
    assert flag(_certificate(SO, date(2021, 5, 10)), today) == expected


@pytest.mark.parametrize(("today", "expected"), [
    (date(2026, 3, 31), CertificateFlag.VALID),   # 91 days before expiry
    (date(2026, 4, 1), CertificateFlag.DUE),      # SHOUYE_LICENCE_WARNING_DAYS (90) before expiry
    (date(2026, 6, 30), CertificateFlag.DUE),     # the last valid day
    (date(2026, 7, 1), CertificateFlag.EXPIRED),
])
def test_safety_qualification_flags(settings, today, expected):
    settings.SHOUYE_LICENCE_WARNING_DAYS = 90
    assert flag(_certificate(SQ, date(2023, 6, 30)), today) == expected
