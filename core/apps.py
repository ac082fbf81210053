from django.apps import AppConfig
from django.db.models.signals import pre_save


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from . import logs  # noqa: F401  (connects the request-id task signals)
        from .text import normalize_before_save

        # Every model's text is normalised before it is stored (core/text.py).
        pre_save.connect(normalize_before_save, dispatch_uid="core.text.normalize")
