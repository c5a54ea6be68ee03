"""The enterprise import's pages (upload, template, the job with its progress, the file with the error column),
declared with the import kit's pages (``shouye/core/importkit/pages.py``); the work is in ``imports``."""

from django.utils.translation import gettext_lazy as _

from shouye.core.importkit.pages import ImportPages

from . import imports

IMPORT_PAGES = ImportPages(
    namespace="enterprises", permission="enterprises.import_enterprise", imports=imports,
    title=_("Import enterprises"), back_url="enterprises:list", back_label=_("Back to the list"),
    template_note=_("The template has one column per field; columns marked * are required. Its Instructions "
                    "sheet lists the townships, industries, grades, tags and other values each column accepts."),
    result_url="enterprises:list", result_label=_("Open the enterprise list"),
    imported_message=_("Imported: %(count)s enterprises."),
)
