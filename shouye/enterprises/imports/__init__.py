"""Excel import of the enterprise registry (issue 2, "Excel"), built on the import kit
(:mod:`shouye.core.importkit`, which describes how every import behaves).

An import is all-or-nothing: every row of the file is checked first (:mod:`.checking`), with the same model
validation the page and the API use, against the same reference data and the importer's jurisdiction. Only
when no row has an error are all rows written, in one transaction (:mod:`.job`), with what
:func:`services.create_enterprise` writes for each (one ``enterprise.create`` audit event per enterprise,
appended in batches by ``audit.record_many``) plus one ``enterprise.import`` event for the job (3,000 rows:
about 4.5 s on PostgreSQL). Otherwise nothing is written and every error is reported as (Excel row, column
title, reason), on the page and in a copy of the uploaded file with an error column.

Files with more than ``SHOUYE_IMPORT_SYNC_MAX_ROWS`` rows run in the background (``tasks.run_import``) and
report their progress on the job; smaller ones run at once in the request. Both use the kit's
:func:`~shouye.core.importkit.run_import` with :data:`ENTERPRISE_IMPORT`. The template and the file names are in :mod:`.workbooks`.
"""

from shouye.core.importkit import XLSX_CONTENT_TYPE
from shouye.core.jobs import Progress

from .checking import EnterpriseRowChecker, References, ValidRow, check_credit_codes
from .columns import COLUMNS, COLUMNS_BY_KEY, DATA_SHEET_TITLE
from .job import ENTERPRISE_IMPORT, jobs_of, start_import
from .workbooks import error_filename, template_filename, template_workbook

__all__ = [
    "COLUMNS", "COLUMNS_BY_KEY", "DATA_SHEET_TITLE", "ENTERPRISE_IMPORT", "XLSX_CONTENT_TYPE",
    "EnterpriseRowChecker", "Progress", "References", "ValidRow", "check_credit_codes", "error_filename",
    "jobs_of", "start_import", "template_filename", "template_workbook",
]
