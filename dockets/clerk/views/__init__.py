"""The clerk's and the judge's screens. Thin: check the user, read the form, call one
service, then render or redirect. Refusals come back as plain messages and change
nothing."""

from .audit import audit_case, audit_user
from .chambers import order_sign, orders_to_sign
from .corrections import entry_correct
from .deficiencies import deficiency_action, deficiency_new, deficiency_report
from .docketing import court_event, paper_filing, paper_petition
from .qc import clerk_dashboard, qc_document, qc_queue, qc_review
from .visibility import (
    document_visibility,
    entry_seal_allow,
    entry_seal_revoke,
    entry_visibility,
)

__all__ = [
    "audit_case",
    "audit_user",
    "clerk_dashboard",
    "court_event",
    "deficiency_action",
    "deficiency_new",
    "deficiency_report",
    "document_visibility",
    "entry_correct",
    "entry_seal_allow",
    "entry_seal_revoke",
    "entry_visibility",
    "order_sign",
    "orders_to_sign",
    "paper_filing",
    "paper_petition",
    "qc_document",
    "qc_queue",
    "qc_review",
]
