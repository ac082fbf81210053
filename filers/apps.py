from django.apps import AppConfig


class FilersConfig(AppConfig):
    name = "filers"
    verbose_name = "Filers"
