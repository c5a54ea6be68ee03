"""Hazard pages, one module per seam: the ledger (台账) with its Excel export, one hazard with the actions its
user may take now and reporting, the public tip-off form and the triage of tip-offs.

Thin (ARCHITECTURE.md §4): every object comes from a scoped selector (404 outside the user's scope), the
input from a form, and every act from one service call. The services' refusals come back as the API gives
them: a refused transition (409) is shown with the current state and what is possible now, and nothing
changes; a refused input (400) is shown on the form; a missing permission is 403."""

from .hazard import HazardDetailView, hazard_page, hazard_report
from .ledger import (
    HazardLedgerView,
    export_job,
    export_job_file,
    export_job_progress,
    export_job_progress_json,
    ledger_export,
    ledger_page_rows,
)
from .tipoffs import (
    tip_off,
    tip_off_check,
    tip_off_check_page,
    tip_off_checks,
    tip_off_detail,
    tip_off_list,
    tip_off_page,
    tip_off_send,
    tip_off_status,
    tip_off_thanks,
)

__all__ = [
    "HazardDetailView", "HazardLedgerView", "export_job", "export_job_file", "export_job_progress",
    "export_job_progress_json", "hazard_page", "hazard_report", "ledger_export", "ledger_page_rows", "tip_off",
    "tip_off_check", "tip_off_check_page", "tip_off_checks", "tip_off_detail", "tip_off_list", "tip_off_page",
    "tip_off_send", "tip_off_status", "tip_off_thanks",
]
