from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = "Cases"

    def ready(self) -> None:
        """The demo court gets its case flags from seed_demo (cases.demo)."""
        from .demo import on_demo_seed
        from .status import seed_demo_flags

        on_demo_seed(seed_demo_flags)
