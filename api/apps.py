from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = "API tokens and webhooks"

    def ready(self):
        from . import receivers, schema  # noqa: F401 - connects the webhook events; the token's schema
