"""Thin Celery wrappers for the building blocks."""

from smtplib import SMTPException

from celery import shared_task
from django.core.mail import EmailMultiAlternatives


@shared_task(autoretry_for=(SMTPException, OSError), retry_backoff=30, retry_backoff_max=3600, max_retries=12)
def send_email(*, to: list[str], subject: str, text: str, html: str) -> int:
    """Send one rendered email; a mail server that is away is tried again for about a day."""
    message = EmailMultiAlternatives(subject=subject, body=text, to=to)
    message.attach_alternative(html, "text/html")
    return message.send()
