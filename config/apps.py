from django.apps import AppConfig


class ConfigConfig(AppConfig):
    """The composition root: the only package that may import every app."""

    name = "config"
    verbose_name = "Site"
