from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.db.models.signals import post_save, pre_save


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from django.contrib.admin.models import LogEntry

        from . import logs  # noqa: F401  (connects the request-id task signals)
        from .admin_audit import audit_admin_log_entry
        from .compiled import keep_prepared_statements
        from .text import normalize_before_save

        # Every model's text is normalised before it is stored (core/text.py).
        pre_save.connect(normalize_before_save, dispatch_uid="core.text.normalize")
        # Every admin save is written to the audit log.
        post_save.connect(
            audit_admin_log_entry, sender=LogEntry, dispatch_uid="core.admin_audit"
        )
        # Room for every prepared statement a process runs (core.compiled).
        connection_created.connect(
            keep_prepared_statements, dispatch_uid="core.compiled.prepared"
        )
