"""The seller's orders as CSV: a row per order line, so units and amounts reconcile."""

from collections.abc import Iterator

from django.db.models import QuerySet

from common.money import money_cell

from .models import Order, OrderLine

ORDER_LINE_HEADER = ["order", "placed", "buyer name", "buyer email", "order status", "product", "quantity",
                     "unit price", "discount", "line total", "refunded quantity", "refunded amount", "order total",
                     "order refunded", "currency"]


def order_line_rows(orders: QuerySet[Order]) -> Iterator[list]:
    """The header, then every line of these orders, newest order first. The order's own
    columns repeat on each of its lines; "line total" is what the buyer paid for the line
    (after its discount, before tax), so a product's units and amounts add up across rows."""
    yield ORDER_LINE_HEADER
    lines = (OrderLine.objects.filter(order__in=orders.order_by().values("pk")).select_related("order")
             .order_by("-order__placed_at", "order_id", "pk"))
    for line in lines.iterator(chunk_size=2000):
        order, currency = line.order, line.order.currency
        yield [order.number, order.placed_at, order.name, order.email, order.get_status_display(), line.title,
               line.quantity,
               money_cell(line.unit_price, currency), money_cell(line.discount, currency),
               money_cell(line.net_amount, currency), line.refunded_quantity,
               money_cell(line.refunded_amount, currency), money_cell(order.total, currency),
               money_cell(order.refunded_total, currency), currency]
