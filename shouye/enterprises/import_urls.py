from .import_views import IMPORT_PAGES

urlpatterns = IMPORT_PAGES.urlpatterns()
