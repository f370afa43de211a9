"""Commissions owed, from the totals the database keeps (triggers on the commission table,
folded in by a periodic compaction), always equal to the sums of the raw rows: through
every service that moves money or status, bulk SQL updates, and two compactions at once."""

import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import close_old_connections, connection
from django.db.models import F, Sum

from payouts import services, tasks
from payouts.models import Commission, OpenCommissionChange, OpenCommissionTotal
from payouts.owed import open_commissions_compact, open_commissions_owed
from shops import services as shop_services
from tests.factories import LinkFactory, ProductFactory, ProgramFactory, UserFactory, open_product
from tests.payouts.test_commissions import attributed_order

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]
D = Decimal
OPEN = ("pending", "approved", "frozen")


def raw(shop) -> dict:
    rows = (Commission.objects.filter(shop=shop, status__in=OPEN).values("status")
            .annotate(total=Sum(F("amount") - F("clawed_back"))))
    return {row["status"]: row["total"] for row in rows if row["total"]}


def owed(shop) -> dict:
    return {status: amount for status, amount in open_commissions_owed(shop=shop).items() if amount}


def check(*shops):
    """The figure before compaction, after it, and after a second one, equals the raw rows."""
    for shop in shops:
        assert owed(shop) == raw(shop)
    open_commissions_compact()
    assert not OpenCommissionChange.objects.exists()
    for shop in shops:
        assert owed(shop) == raw(shop)
    assert open_commissions_compact() == 0


@pytest.fixture
def links():
    result = []
    for price in (D("33.33"), D("120.00")):
        program = ProgramFactory(default_rate=D("10"), hold_days=30)
        product = ProductFactory(shop=program.shop, price=price)
        open_product(product, D("12.5"))
        result.append(LinkFactory(product=product))
    return result


def test_every_service_that_moves_a_commission_keeps_the_shops_figure(links):
    first, second = links
    shops = (first.product.shop, second.product.shop)
    orders = [attributed_order(link, quantity) for link in links for quantity in (1, 2, 3)]
    assert services.commissions_create_for_orders(order_ids=[order.pk for order in orders]) == 6
    check(*shops)
    staff = UserFactory(is_staff=True)
    services.commissions_freeze_for_order(order=orders[0], by=staff)  # pending -> frozen
    check(*shops)
    line = orders[1].lines.get()  # a partial refund before approval shrinks a pending commission
    refund = shop_services.order_refund(order=orders[1], by=staff, quantities={line.pk: 1}, reason="damaged")
    services.commissions_apply_refund(refund_line_ids=list(refund.lines.values_list("pk", flat=True)))
    check(*shops)
    services.commissions_release_for_order(order=orders[0], by=staff)  # frozen -> pending
    Commission.objects.filter(order__in=orders[3:]).update(hold_until=F("hold_until") - timedelta(days=31))
    services.commissions_approve_due()  # the second shop's: pending -> approved
    check(*shops)
    line = orders[4].lines.get()  # a refund after approval: clawed back
    refund = shop_services.order_refund(order=orders[4], by=staff, quantities={line.pk: 1}, reason="late")
    services.commissions_apply_refund(refund_line_ids=list(refund.lines.values_list("pk", flat=True)))
    check(*shops)
    services.commission_reverse(commission=Commission.objects.get(order=orders[5]), by=staff, reason="fraud")
    check(*shops)
    assert owed(shops[0]) == {"pending": raw(shops[0])["pending"]} and "approved" in owed(shops[1])


def test_bulk_sql_and_deletes_are_counted_too(links):
    first, _ = links
    orders = [attributed_order(first) for _ in range(3)]
    services.commissions_create_for_orders(order_ids=[order.pk for order in orders])
    Commission.objects.filter(order=orders[0]).update(amount=F("amount") - D("1.00"))  # by hand, in SQL
    Commission.objects.filter(order=orders[1]).update(status="paid")  # leaves the open sums
    check(first.product.shop)
    with connection.cursor() as cursor:  # what a migration or an operator might do
        cursor.execute("DELETE FROM payouts_commission WHERE order_id = %s", [orders[2].pk])
    check(first.product.shop)


def test_the_task_folds_the_changes_in(links):
    first, _ = links
    services.commissions_create_for_orders(order_ids=[attributed_order(first).pk])
    assert OpenCommissionChange.objects.exists()
    assert tasks.compact_open_commissions.delay().get() == 1
    assert not OpenCommissionChange.objects.exists()
    assert OpenCommissionTotal.objects.get().amount == Commission.objects.get().amount


@pytest.mark.django_db(transaction=True)
def test_two_compactions_at_once_count_each_change_once(links):
    first, _ = links
    services.commissions_create_for_orders(order_ids=[attributed_order(first, n).pk for n in (1, 2, 3, 4)])
    shop = first.product.shop
    expected = raw(shop)
    barrier, errors = threading.Barrier(2), []

    def compact():
        try:
            barrier.wait(timeout=10)
            open_commissions_compact()
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=compact) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert not OpenCommissionChange.objects.exists()
    assert owed(shop) == expected
