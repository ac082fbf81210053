from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from django.contrib.admin.models import LogEntry
        from django.db.models.signals import post_save

        from .admin_audit import audit_admin_log_entry

        post_save.connect(
            audit_admin_log_entry, sender=LogEntry, dispatch_uid="core.admin_audit"
        )
