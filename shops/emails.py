"""Emails the shop sends to buyers."""

from common import emails

from .models import Order


def order_confirmation(order: Order) -> None:
    emails.send(to=order.email, subject=f"Your order {order.number} at {order.shop.name}",
                template="shops/email/order_confirmation", context={"order": order, "lines": list(order.lines.all())})
