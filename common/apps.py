from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CommonConfig(AppConfig):
    """The bottom floor: building blocks every app may use; it imports none of them."""

    name = "common"
    verbose_name = "Common"

    def ready(self):
        from django.apps import apps

        from . import lookups  # noqa: F401 - registers field__any_of
        from .site import sync_site

        # Every `migrate` (each deployment runs it) names the Site after the settings, right
        # after django.contrib.sites made its default one.
        post_migrate.connect(sync_site, sender=apps.get_app_config("sites"), dispatch_uid="common.sync_site")
