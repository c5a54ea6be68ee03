"""The permits' to-dos on the workbench: permits waiting for the next signature (the enterprise's signers), and
permits a special period asks to be filed with the bureau (who fills them in). One query each."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from shouye.core.registry import TodoItem, TodoProvider, todo_providers

from . import chains, selectors
from .workflow import ISSUE, SIGN


def _signature_items(user, limit: int) -> list[TodoItem]:
    rows = selectors.awaiting_signature(user).prefetch_related("signatures")[:limit]
    items = []
    for permit in rows:
        step = chains.next_step(permit.kind, {s.step for s in permit.signatures.all()})
        items.append(TodoItem(title=f"{permit.number} · {step.label if step else ''}",
                              url=reverse("permits:detail", kwargs={"pk": permit.pk}),
                              detail=f"{permit.get_kind_display()} · {permit.location}"))
    return items


def _filing_items(user, limit: int) -> list[TodoItem]:
    now = timezone.now()
    return [TodoItem(title=permit.number, url=reverse("permits:detail", kwargs={"pk": permit.pk}),
                     detail=permit.get_kind_display(), due=timezone.localtime(permit.filing_due_by).date(),
                     overdue=permit.filing_due_by < now)
            for permit in selectors.filings_due(user)[:limit]]


todo_providers.register(TodoProvider(
    key="permits-awaiting-signature", label=gettext_lazy("Permits waiting for a signature"), order=75,
    count=lambda user: selectors.awaiting_signature(user).count(), items=_signature_items,
    url_name="permits:list", query="state=signing", permission=SIGN))
todo_providers.register(TodoProvider(
    key="permits-filings", label=gettext_lazy("Permits to file with the bureau"), order=76,
    count=lambda user: selectors.filings_due(user).count(), items=_filing_items, url_name="permits:list",
    permission=ISSUE))
