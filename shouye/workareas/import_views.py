"""The personnel ledger's import pages (upload, template, the job with its progress, the file with the error
column), declared with the import kit's pages (``shouye/core/importkit/pages.py``); the work is in ``imports``."""

from django.utils.translation import gettext_lazy as _

from shouye.core.importkit.pages import ImportPages

from . import imports

IMPORT_PAGES = ImportPages(
    namespace="workareas", permission="workareas.import_worker", imports=imports,
    title=_("Import the personnel ledger"), back_url="workareas:workers", back_label=_("Back to the ledger"),
    template_note=_("The template has one column per field; columns marked * are required. Its Instructions "
                    "sheet lists your high-risk work areas and the certificate kinds."),
    result_url="workareas:workers", result_label=_("Open the personnel ledger"),
    imported_message=_("Imported: %(count)s people."),
)
