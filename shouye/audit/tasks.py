"""Background jobs of the audit app. Each only calls a service; all are idempotent."""

import logging

from celery import shared_task
from django.core.exceptions import ImproperlyConfigured

from . import services

logger = logging.getLogger("shouye.audit")


@shared_task(name="shouye.audit.tasks.seal_chain", ignore_result=True)
def seal_chain() -> int:
    """Celery beat "audit-seal", every minute: seal the events whose act committed but whose own sealing
    did not run (the process stopped between the commit and the seal, or the seal failed), and anchor the
    head when the anchor file does not reach it (an anchor write failed, or the file was rotated)."""
    sealed = services.seal()
    services.anchor_head()
    return sealed


@shared_task(name="shouye.audit.tasks.verify_nightly", ignore_result=True)
def verify_nightly() -> bool:
    """Celery beat "audit-verify", every night at 02:30: ``audit verify`` without anyone running it, so a
    broken chain (an event edited or deleted, the newest events cut off, a chain rewritten against its anchors:
    docs/decisions/0006) is reported the next morning, not when someone happens to check. The result goes
    to the ``shouye.audit`` log: one info line when intact, an error naming the first broken link otherwise.
    A chain that cannot be verified (no audit key configured) is an error too."""
    try:
        result = services.verify_chain()
    except ImproperlyConfigured as error:
        logger.error("Audit trail not verified: %s", error)
        return False
    if result.ok:
        logger.info("Audit trail intact: %s events verified with the audit key.", result.checked)
        return True
    logger.error("Audit trail broken at event %s (position %s: %s); %s events before it verified.",
                 result.broken_at, result.position, result.reason, result.checked)
    return False
