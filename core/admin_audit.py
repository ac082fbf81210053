"""Every save in the Django admin is written to the audit log (the court-wide chain).

The admin records its own LogEntry for each addition, change and deletion; this mirrors
each one into core.audit, so a change made through /admin/ is as visible as one made
through a service. Connected in CoreConfig.ready (a signal, as the admin is Django's).
"""

from __future__ import annotations

from django.db import transaction

from .audit import record_event

ACTIONS = {1: "added", 2: "changed", 3: "deleted"}


def audit_admin_log_entry(sender, instance, created: bool, **kwargs) -> None:
    if not created:
        return
    model = instance.content_type.model_class() if instance.content_type_id else None
    label = model._meta.label_lower if model is not None else "unknown"
    with transaction.atomic():
        record_event(
            actor=instance.user,
            action=f"admin.{ACTIONS.get(instance.action_flag, 'changed')}",
            after={
                "model": label,
                "object_id": instance.object_id or "",
                "object": instance.object_repr,
                "changes": instance.get_change_message(),
            },
            note="Saved in the Django admin",
        )
