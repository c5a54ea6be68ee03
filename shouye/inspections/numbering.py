"""Document numbers (文书编号) unique and without gaps per document kind and year, e.g. 长应急责改〔2026〕17号.

The number is taken from a :class:`DocumentSequence` row locked with SELECT … FOR UPDATE inside the
transaction that creates the document: a second officer issuing at the same moment waits for the first
to commit and gets the next number; a document that fails to be created rolls its number back with it, so
no number is skipped."""

from __future__ import annotations

from django.conf import settings
from django.db import IntegrityError, transaction

from .models import DEFAULT_NUMBER_TEMPLATES, DocumentSequence


def number_template(kind: str) -> str:
    """The template a new year starts from: the kind's latest one (an administrator's edit carries
    forward), else ``settings.SHOUYE_DOCUMENT_NUMBER_TEMPLATES[kind]``, else the built-in default."""
    latest = (DocumentSequence.objects.filter(kind=kind).order_by("-year")
              .values_list("prefix_template", flat=True).first())
    if latest:
        return latest
    configured = getattr(settings, "SHOUYE_DOCUMENT_NUMBER_TEMPLATES", {}) or {}
    return configured.get(kind) or DEFAULT_NUMBER_TEMPLATES[kind]


def _ensure_sequence(kind: str, year: int) -> None:
    if DocumentSequence.objects.filter(kind=kind, year=year).exists():
        return
    try:
        with transaction.atomic():
            DocumentSequence.objects.create(kind=kind, year=year, prefix_template=number_template(kind))
    except IntegrityError:
        # Another transaction created the year's row at the same moment; the locked read waits for it.
        return


def take_number(kind: str, year: int) -> tuple[int, str]:
    """The next serial number and the formatted document number. Must run inside the transaction that
    saves the document (the row lock is held until it commits)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("take_number() must run inside the transaction that creates the document")
    _ensure_sequence(kind, year)
    sequence = DocumentSequence.objects.select_for_update().get(kind=kind, year=year)
    sequence.last_number += 1
    sequence.save(update_fields=["last_number"])
    return sequence.last_number, sequence.format(sequence.last_number)
