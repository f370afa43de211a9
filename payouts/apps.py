from django.apps import AppConfig


class PayoutsConfig(AppConfig):
    name = "payouts"
    verbose_name = "Commissions and payouts"

    def ready(self):
        from . import receivers  # noqa: F401 - connects the signal receivers
