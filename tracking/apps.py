from django.apps import AppConfig


class TrackingConfig(AppConfig):
    name = "tracking"
    verbose_name = "Links, clicks and attribution"

    def ready(self):
        from . import receivers  # noqa: F401 - connects the signal receivers
