from django.apps import AppConfig


class FilersConfig(AppConfig):
    name = "filers"
    verbose_name = "Filers"

    def ready(self) -> None:
        """Refuse to start with a certification requirement nothing registers.

        The apps above register their answers to filers' questions (filers.hooks)
        from their own ready(); the check runs after every app is ready.
        """
        from django.core.checks import register

        from .hooks import check_certification_requirements

        register(check_certification_requirements)
