"""Read queries of work areas and the personnel ledger. Each takes the actor and starts from ``visible_to``, so
nothing leaves its scope; each list is a fixed number of queries whatever its length."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q

from shouye.enterprises.models import Enterprise

from .models import WorkArea, Worker, WorkerCertificate, needs_attention_q


def work_areas(actor):
    """The work areas the actor sees, each with ``people``: how many of the ledger work there."""
    return (WorkArea.objects.visible_to(actor).select_related("enterprise", "township", "zone")
            .annotate(people=Count("workers", distinct=True)))


def over_capacity_q() -> Q:
    """High-risk work areas (annotated with ``people``) with more people in the ledger than their maximum."""
    return Q(high_risk=True, max_people__isnull=False, people__gt=F("max_people"))


def over_capacity(actor):
    return work_areas(actor).filter(over_capacity_q())


def workers(actor):
    """The ledger rows the actor sees, with their enterprise, work areas and certificates (three queries)."""
    return (Worker.objects.visible_to(actor).select_related("enterprise")
            .prefetch_related(Prefetch("work_areas", queryset=WorkArea.objects.order_by("name", "id")),
                              Prefetch("certificates", queryset=WorkerCertificate.objects.order_by("kind", "id"))))


def attention(today: date) -> Exists:
    """Whether a worker has a certificate that is expired, overdue for review or in its application window."""
    return Exists(WorkerCertificate.objects.filter(needs_attention_q(today), worker=OuterRef("pk")))


def attention_q(today: date) -> Q:
    return Q(attention(today))


def certificates_needing_attention(actor, today: date):
    """Certificates expired, overdue for review or in their application window, the most pressing first."""
    return (WorkerCertificate.objects.visible_to(actor).filter(needs_attention_q(today))
            .select_related("worker__enterprise").order_by("apply_by", "id"))


def enterprises_needing_attention(actor, today: date):
    """Per enterprise in scope: how many certificates need attention (for the bureau's to-do), most first."""
    return (certificates_needing_attention(actor, today).order_by()
            .values("worker__enterprise_id", "worker__enterprise__name")
            .annotate(count=Count("pk")).order_by("-count", "worker__enterprise__name"))


def ledger_summary(actor, enterprise: Enterprise, today: date, limit: int) -> dict:
    """One enterprise's high-risk work areas, the first ``limit`` people (those needing attention first) and their
    certificate flags (the ledger-page panel), in five queries."""
    areas = list(work_areas(actor).filter(enterprise=enterprise, high_risk=True).order_by("name", "id"))
    people = workers(actor).filter(enterprise=enterprise)
    total = people.count()
    first = people.annotate(attention=attention(today)).order_by("-attention", "name", "id")[:limit]
    rows = [(worker, [(c, c.flag(today)) for c in worker.certificates.all()]) for worker in first]
    return {"areas": areas, "rows": rows, "total": total, "more": total > len(rows)}
