from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The top floor: the pages that read every app (seller and creator homes, role
    routing, the ops console's index), sign-up with a role, and the demo data."""

    name = "portal"
    verbose_name = "Portal"
