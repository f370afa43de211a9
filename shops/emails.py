"""Emails the shop sends to buyers."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string

from .models import Order


def send_order_confirmation(order: Order) -> None:
    site_url = getattr(settings, "SITE_URL", "http://127.0.0.1:8000")
    context = {"order": order, "lines": order.lines.all(), "url": site_url + order.get_absolute_url()}
    send_mail(
        subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}Your order {order.number} at {order.shop.name}",
        message=render_to_string("shops/email/order_confirmation.txt", context),
        from_email=None,
        recipient_list=[order.email],
        html_message=render_to_string("shops/email/order_confirmation.html", context),
    )
