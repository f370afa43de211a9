"""The site's own name and address, from settings (the environment), in one place.

Emails are sent from tasks, with no request to take a host name from: every link in
them is `absolute_url(path)`. django.contrib.sites keeps a Site record that allauth reads
for its emails ("Hello from <name>!"); `sync_site` keeps it in step with SITE_URL and
SITE_NAME after every migrate.
"""

from urllib.parse import urlsplit

from django.conf import settings


def absolute_url(path: str) -> str:
    """`/creator/inbox/` -> `https://shop.example.com/creator/inbox/`."""
    return settings.SITE_URL.rstrip("/") + path


def sync_site(**kwargs) -> None:
    from django.contrib.sites.models import Site

    domain = urlsplit(settings.SITE_URL).netloc
    Site.objects.update_or_create(pk=settings.SITE_ID, defaults={"domain": domain, "name": settings.SITE_NAME})
