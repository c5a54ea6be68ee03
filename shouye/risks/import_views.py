"""The risk list's import pages (upload, template, the job with its progress, the file with the error column),
declared with the import kit's pages (``shouye/core/importkit/pages.py``); the work is in ``imports``."""

from django.utils.translation import gettext_lazy as _

from shouye.core.importkit.pages import ImportPages

from . import imports

IMPORT_PAGES = ImportPages(
    namespace="risks", permission="risks.manage_risk_list", imports=imports,
    title=_("Import an existing risk list"), back_url="risks:index", back_label=_("Back to the risk list"),
    template_note=_("One row per hazard source; rows with the same risk point number make one risk point. "
                    "Columns marked * are required. The template's Instructions sheet lists the accepted values."),
    result_url="risks:index", result_label=_("Open the risk list"),
    imported_message=_("Imported: %(count)s hazard sources."),
)
