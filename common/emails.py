"""Email in one way: rendered now, with the site's name and address, sent after commit
by a task that retries while the mail server is away.

Each email is a pair of templates, `<name>.txt` and `<name>.html`, rendered with the
caller's context plus SITE_NAME and SITE_URL. The subject carries the site's name.
"""

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string


def send(*, to: str | list[str], subject: str, template: str, context: dict) -> None:
    """Render the email and queue it to go out once the current transaction commits
    (nothing is sent for work that rolls back)."""
    from .tasks import send_email

    recipients = [to] if isinstance(to, str) else list(to)
    recipients = [address for address in recipients if address]
    if not recipients:
        return
    context = {**context, "SITE_NAME": settings.SITE_NAME, "SITE_URL": settings.SITE_URL.rstrip("/")}
    message = {
        "to": recipients,
        "subject": f"[{settings.SITE_NAME}] {subject}",
        "text": render_to_string(f"{template}.txt", context),
        "html": render_to_string(f"{template}.html", context),
    }
    transaction.on_commit(lambda: send_email.delay(**message))
