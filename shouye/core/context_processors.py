from django.conf import settings


def shouye(request):
    return {
        "BUREAU_NAME": settings.SHOUYE_BUREAU_NAME,
        "IDLE_TIMEOUT_MINUTES": settings.SHOUYE_IDLE_TIMEOUT_MINUTES,
        "MAP_TILE_URL": settings.SHOUYE_MAP_TILE_URL,
        "FILE_RETENTION_DAYS": settings.SHOUYE_FILE_RETENTION_DAYS,
    }
