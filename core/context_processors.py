from django.conf import settings

from . import clock


def court(request):
    """Court name, instance and the filing clock for every page."""
    now = clock.now()
    return {
        "court_name": settings.ECF_COURT_NAME,
        "court_short_name": settings.ECF_COURT_SHORT_NAME,
        "is_training": settings.ECF_IS_TRAINING,
        "live_url": settings.ECF_LIVE_URL,
        "training_url": settings.ECF_TRAINING_URL,
        "court_now": now,
    }
