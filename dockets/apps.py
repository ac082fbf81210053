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
        """
        from . import case_events, services
        from .clerk.services.visibility import restrict_transcript
        from .pipeline.services import start_pipeline_in_filing

        services.on_entry_filed(start_pipeline_in_filing)
        case_events.on_case_action("transcript", restrict_transcript)
