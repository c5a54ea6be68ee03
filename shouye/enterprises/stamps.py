"""Rows stamped with an enterprise's township and industry, and the move that re-stamps them.

A record of an enterprise (a hazard, an inspection, a plan …) carries a copy of the enterprise's township and
industry, so the scope filter is one indexed condition instead of a join (ARCHITECTURE.md §5).
:class:`StampedModel` declares the three columns and :meth:`StampedModel.stamp_from` is the one place that
copies them. When an enterprise moves to another township or industry, :func:`restamp` re-stamps every row
of every registered stamped model (``shouye.core.registry.stamped_models``, filled by the apps in their
AppConfig.ready()) in the caller's transaction, so the old township's officers stop seeing the records and
the new one's start (issue 8, defect 3)."""

from __future__ import annotations

from django.db import connection, models, transaction
from django.utils.translation import gettext_lazy as _

from shouye.audit import services as audit
from shouye.core.registry import stamped_models
from shouye.regions.scoping import ScopePaths


def enterprise_field(related_name: str) -> models.ForeignKey:
    """The ``enterprise`` of a stamped row, reached back from the enterprise as ``related_name``."""
    return models.ForeignKey("enterprises.Enterprise", verbose_name=_("enterprise"), on_delete=models.PROTECT,
                             related_name=related_name)


class StampedModel(models.Model):
    """A row of one enterprise, stamped with its township and industry when it is created.

    The enterprise reaches its rows by the plural of the model's name (``%(class)ss``). A model that had
    its own reverse name before it became stamped keeps it by declaring ``enterprise =
    enterprise_field("…")``: the name is part of its migrations. A concrete subclass registers itself in
    ``shouye.core.registry.stamped_models`` so that a move re-stamps it (a test fails for one that does not)."""

    SCOPE_PATHS = ScopePaths(region="township", industry="industry", enterprise="enterprise")

    enterprise = enterprise_field("%(class)ss")
    township = models.ForeignKey("regions.Region", verbose_name=_("township"), on_delete=models.PROTECT,
                                 related_name="+")
    industry = models.ForeignKey("enterprises.Industry", verbose_name=_("industry"), on_delete=models.PROTECT,
                                 related_name="+")

    class Meta:
        abstract = True

    def stamp_from(self, enterprise, *, locked: bool = False):
        """Make this row ``enterprise``'s, with its current township and industry; returns the row.

        Inside a transaction the enterprise's row is locked until the transaction ends and its township and
        industry are read afresh, so a move committing at the same moment either waits for this row's
        transaction (and then re-stamps the row) or has committed before it (and the row gets the new
        stamps): never a row left with the old stamps after the move. A caller that stamps many rows locks
        their enterprises in one query (:func:`locked_for_stamping`) and passes ``locked=True``."""
        if not locked and connection.in_atomic_block:
            enterprise.township_id, enterprise.industry_id = locked_for_stamping(
                type(enterprise).objects.filter(pk=enterprise.pk)).values_list("township_id", "industry_id").get()
        self.enterprise = enterprise
        self.township_id = enterprise.township_id
        self.industry_id = enterprise.industry_id
        return self


def locked_for_stamping(enterprises: models.QuerySet) -> models.QuerySet:
    """``enterprises`` with their rows locked until the transaction ends (FOR NO KEY UPDATE on PostgreSQL,
    which waits for a move's FOR UPDATE; SQLite has one writer anyway), read as they are once the lock is
    held. Rows stamped from them keep the stamps a concurrent move would give them."""
    return enterprises.select_for_update(of=("self",), no_key=True)


def restamp(*, actor, enterprise, old_township_id: int, old_industry_id: int) -> dict[str, int]:
    """Give every registered stamped row of ``enterprise`` its current township and industry, and record
    the move as one ``enterprise.moved`` event naming how many rows of each model moved. Nothing happens
    when neither changed. Runs in the caller's transaction: a move refused later re-stamps nothing."""
    moved = {"township": [old_township_id, enterprise.township_id],
             "industry": [old_industry_id, enterprise.industry_id]}
    if all(old == new for old, new in moved.values()):
        return {}
    with transaction.atomic():
        counts = {entry.model._meta.label_lower: entry.apply(enterprise) for entry in stamped_models.entries}
        audit.record(actor=actor, verb="enterprise.moved", target=enterprise, changes={**moved, "rows": counts})
    return counts
