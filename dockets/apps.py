from django.apps import AppConfig


class DocketsConfig(AppConfig):
    name = "dockets"
    verbose_name = "Dockets"
