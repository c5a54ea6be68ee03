"""The stock list's import pages (upload, template, the job with its progress, the file with the error column),
declared with the import kit's pages (``shouye/core/importkit/pages.py``); the work is in ``imports``."""

from django.utils.translation import gettext_lazy as _

from shouye.core.importkit.pages import ImportPages

from . import imports
from .permissions import MANAGE_WAREHOUSE

IMPORT_PAGES = ImportPages(
    namespace="resources", permission=MANAGE_WAREHOUSE, imports=imports,
    title=_("Import a stock list"), back_url="resources:warehouses", back_label=_("Back to the warehouses"),
    template_note=_("The template has one column per field; columns marked * are required. Its Instructions "
                    "sheet lists the warehouses you manage and the catalogue of materials."),
    result_url="resources:warehouses", result_label=_("Open the warehouses"),
    imported_message=_("Imported: %(count)s stock rows."),
)
