from django.apps import AppConfig


class DocketsConfig(AppConfig):
    name = "dockets"
    verbose_name = "Dockets"

    def ready(self) -> None:
        """Plug dockets' sub-packages into the kernel's write path, in code.

        The kernel (dockets.services, dockets.case_events) imports no sub-package
        (ARCHITECTURE.md: the kernel below, sub-packages above). Where a filing sets
        off a sub-package's work, the kernel offers a registration function and this
        wiring, the one place that names who does the work, registers it:

        - every filing starts the pipeline (its NEF row in the filing's transaction,
          stamping and notices after commit);
        - a transcript is restricted for 90 days and its notice docketed, in the
          filing's transaction (the "transcript" case action).

        And into the apps below, which ask their questions in code (filers.hooks,
        cases.demo):

        - a filer with overdue fees may not file (filers' filing check), answered in
          the query that reads a session's user (filers' read with the user);
        - seed_demo files the demo claims.

        And into core, which imports no app:

        - every audit event is told to the alerts (followed cases, names, searches,
          webhooks), to the document text (restricted documents lose their text) and
          to the Rule 3002.1 alerts;
        - an NEF copy whose entry was sealed after it was written is withheld, by the
          inbox page and by the mail sender alike (core.mail.withheld_reason).
        """
        from cases.demo import on_demo_seed
        from core.audit import on_event_recorded
        from core.mail import on_withholding_check
        from filers.hooks import on_filing_check, on_read_with_user

        from . import case_events, fees, services
        from .alerts import services as alerts
        from .claims import demo as claims_demo
        from .claims import rule3002_alerts
        from .clerk.services.visibility import restrict_transcript
        from .fulltext import services as fulltext
        from .pipeline.inbox import withheld_nef
        from .pipeline.services import start_pipeline_in_filing

        services.on_entry_filed(start_pipeline_in_filing)
        case_events.on_case_action("transcript", restrict_transcript)
        on_event_recorded(alerts.on_audit_event)
        on_event_recorded(fulltext.on_audit_event)
        on_event_recorded(rule3002_alerts.on_audit_event)
        on_withholding_check(withheld_nef)
        on_filing_check(fees.fee_lockout_blockers)
        on_read_with_user(fees.LOCKOUT_WITH_USER)
        on_demo_seed(claims_demo.seed)
