"""The clerk's writes on the docket: QC review, corrections, sealing, deficiencies,
court events, paper filings and signed orders.

Every correction is made the CM/ECF way (cmecf.md 7), never as a silent edit: what
was filed stays on the record; a change to an entry writes a DocketEntryRevision row
(who, when, before, after) and an audit event in the same transaction, and sets
"Modified on <date>". Entries and documents are never deleted or moved between
cases (the database refuses it), so a filing made in the wrong case is marked
entered in error there and re-docketed on the right case with copies of its files.

Each function takes keyword-only arguments, owns its transaction (under the case
lock that numbering and the audit chain already use) and queues follow-up work
(stamping, NEFs, messages) to run after commit."""

# Names tests and views reach through this package.
from core import clock  # noqa: F401
from core.errors import UserFacingError  # noqa: F401

from .common import (  # noqa: F401
    CORRECTIONS,
    DEFAULT_CURE_DAYS,
    DEFICIENCY_LABELS,
    EX_PARTE_DAYS,
    MAX_TEXT,
    TRANSCRIPT_DAYS,
    _check_open,
    _copy_documents,
    _docket,
    _event,
    _locked_entry,
    _people_to_tell,
    _ref,
    _related_text,
    _revise,
    _set_deadlines,
    _storable,
    _tell_filer,
    check_event_fits,
    check_related,
    clerk_initials,
    court_entry_text,
    field_text_values,
    logger,
    mdy,
)
from .corrections import (  # noqa: F401
    _acted_on,
    _queue_stamping,
    _send_edit_notice_later,
    docket_corrective_entry,
    mark_entered_in_error,
    mark_entry_reviewed,
    modify_docket_text,
    move_entry_to_case,
    replace_document,
    strike_entry,
)
from .deficiencies import (  # noqa: F401
    ESCALATION_EVENTS,
    DeficiencyResult,
    escalate_deficiency,
    issue_deficiency,
    mark_deficiency_cured,
)
from .events import (  # noqa: F401
    check_values,
    docket_court_event,
    docket_paper_filing,
    docket_paper_petition,
    is_proposed_order,
    sign_proposed_order,
)
from .notices import (  # noqa: F401
    _notice_recipients,
    send_edit_notice,
)
from .visibility import (  # noqa: F401
    _transcript_dates,
    allow_sealed_entry,
    restrict_transcript,
    revoke_sealed_entry_allowance,
    seal_allow_list_candidates,
    set_document_visibility,
    set_entry_visibility,
)
