"""The certificate rule's dates and the flags at the edges of each window (issue 11, "Semantics")."""

from datetime import date, datetime, time

import pytest
import time_machine
from django.utils import timezone

from shouye.core.views import todo_cards
from shouye.workareas import services
from shouye.workareas.certificates import add_years, flag, review
from shouye.workareas.choices import CertificateFlag, CertificateKind
from shouye.workareas.filters import ATTENTION
from shouye.workareas.models import WorkerCertificate
from tests.conftest import api_as

from .conftest import certificate_row, worker_data

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


@pytest.mark.parametrize("today", [date(2024, 3, 10), date(2024, 3, 11), date(2024, 5, 10), date(2024, 5, 11),
                                   date(2026, 3, 31), date(2026, 4, 1), date(2026, 6, 30), date(2026, 7, 1),
                                   date(2027, 5, 10), date(2027, 5, 11)])
def test_the_ledger_filters_and_to_dos_agree_with_the_flags_on_the_edge_days(cast, settings, today):
    """The database's form of the flags (the ledger's filter, the to-dos) gives the same answer as the flag each
    row shows, on every edge day, with the clock frozen there."""
    settings.SHOUYE_LICENCE_WARNING_DAYS = 90
    owner = cast["users"]["enterprise_user"]
    with time_machine.travel(date(2024, 1, 2), tick=False):
        so = services.register_worker(actor=owner, enterprise=cast["inside"], data=worker_data(name="操作证"),
                                      certificates=[certificate_row(issued_on=date(2021, 5, 10))])
        sq = services.register_worker(actor=owner, enterprise=cast["inside"], data=worker_data(name="资格证"),
                                      certificates=[certificate_row(kind=SQ, operation_category="",
                                                                    issued_on=date(2023, 6, 30))])
    with time_machine.travel(timezone.make_aware(datetime.combine(today, time(9))), tick=False):
        expected = {worker.name: flag(worker.certificates.get(), today) for worker in (so, sq)}
        client = api_as(owner)
        for state in (CertificateFlag.EXPIRED, CertificateFlag.REVIEW_OVERDUE, CertificateFlag.DUE):
            listed = {row["name"] for row in client.get(f"/api/v1/workers/?certificate={state}").json()["results"]}
            assert listed == {name for name, value in expected.items() if value == state}, state
        attention = {row["name"] for row in client.get(f"/api/v1/workers/?certificate={ATTENTION}").json()["results"]}
        assert attention == {name for name, value in expected.items() if value != CertificateFlag.VALID}
        cards = {card.provider.key: card.count for card in todo_cards(owner)}
        assert cards["workareas-certificates"] == len(attention)
