"""Payment and refunds against the gateway: one charge per checkout however often it is
sent, refunds recorded before the provider is called and confirmed or failed after."""

import threading
import time
from decimal import Decimal

import pytest
from django.db import close_old_connections
from django.urls import reverse

from payouts import services as payout_services
from payouts.models import Commission
from shops import services, signals
from shops.models import Order, Refund
from shops.payments import GatewayUnavailable, PaymentResult, TestGateway
from tests.factories import (
    BUYER,
    LinkFactory,
    ProductFactory,
    ProgramFactory,
    ShopMembershipFactory,
    UserFactory,
    open_product,
    paid_order,
)
from tests.payouts.test_commissions import attributed_order

D = Decimal
OS = Order.Status
CARD = "4242424242424242"


class CountingGateway(TestGateway):
    """The test gateway, slow like a real provider, counting the charges it is asked for."""

    charges: list = []

    def charge(self, **kwargs):
        CountingGateway.charges.append(kwargs["idempotency_key"])
        time.sleep(0.3)
        return super().charge(**kwargs)


class RefusingGateway(TestGateway):
    def refund(self, **kwargs):
        return PaymentResult(False, message="The card account is closed.")


class SilentGateway(TestGateway):
    def refund(self, **kwargs):
        raise GatewayUnavailable("timeout")


def _placed(product, quantity=1, key="key-0001-0001-0001"):
    return services.order_place(shop=product.shop, items={product.pk: quantity},
                                buyer=services.BuyerDetails(**BUYER), checkout_key=key)


# --------------------------------------------------------------------------------------
# One charge per checkout
# --------------------------------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_same_checkout_paid_twice_at_once_charges_once_and_both_get_the_paid_order(settings):
    settings.PAYMENT_GATEWAY = "tests.shops.test_payments.CountingGateway"
    CountingGateway.charges = []
    order = _placed(ProductFactory(stock=5))
    barrier, results = threading.Barrier(2), []

    def pay():
        close_old_connections()
        try:
            barrier.wait()
            results.append(services.order_pay(order=order, card_number=CARD).status)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=pay) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert results == [OS.PAID, OS.PAID]
    assert CountingGateway.charges == [order.checkout_key]
    assert order.audit_entries.filter(to_status=OS.PAID).exclude(from_status=OS.PAID).count() == 1


@pytest.mark.django_db
def test_paying_an_order_that_is_paid_already_returns_it_without_charging(settings):
    settings.PAYMENT_GATEWAY = "tests.shops.test_payments.CountingGateway"
    order = paid_order((ProductFactory(), 1))
    CountingGateway.charges = []
    assert services.order_pay(order=order, card_number=CARD).status == OS.PAID
    assert CountingGateway.charges == []


@pytest.mark.django_db
def test_a_checkout_form_sent_again_after_payment_lands_on_the_order(client):
    product = ProductFactory()
    client.post(reverse("shop:cart_add", args=[product.pk]), {"quantity": 1})
    url = reverse("shop:checkout", args=[product.shop.slug])
    data = {**BUYER, "card_number": CARD, "expiry": "12/39", "cvc": "123",
            "checkout_key": client.get(url).context["form"].initial["checkout_key"]}
    first = client.post(url, data)
    client.post(reverse("shop:cart_add", args=[product.pk]), {"quantity": 1})  # the cart still says so
    second = client.post(url, data)
    order = Order.objects.get()
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == order.get_absolute_url()
    assert order.status == OS.PAID


@pytest.mark.django_db
def test_a_checkout_sent_again_after_a_decline_asks_for_a_new_attempt(client):
    product = ProductFactory()
    client.post(reverse("shop:cart_add", args=[product.pk]), {"quantity": 1})
    url = reverse("shop:checkout", args=[product.shop.slug])
    data = {**BUYER, "card_number": "4000000000000002", "expiry": "12/39", "cvc": "123",
            "checkout_key": client.get(url).context["form"].initial["checkout_key"]}
    client.post(url, data)
    again = client.post(url, data)  # the same form, the same key: the failed order again
    assert again.status_code == 200
    assert "failed" in again.content.decode()
    assert again.context["form"].data["checkout_key"] != data["checkout_key"]
    assert Order.objects.get().status == OS.PAYMENT_FAILED


# --------------------------------------------------------------------------------------
# Refunds: recorded, sent, confirmed or failed
# --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_refund_the_provider_refuses_changes_nothing_and_says_why(settings, django_capture_on_commit_callbacks):
    order = paid_order((ProductFactory(price=D("20.00")), 2))
    line = order.lines.get()
    settings.PAYMENT_GATEWAY = "tests.shops.test_payments.RefusingGateway"
    heard = []
    signals.order_refunded.connect(lambda sender, **kw: heard.append(kw), weak=False, dispatch_uid="t")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            refund = services.order_refund(order=order, by=UserFactory(), quantities={line.pk: 1}, reason="Broken")
    finally:
        signals.order_refunded.disconnect(dispatch_uid="t")
    assert (refund.status, refund.failure_reason) == (Refund.Status.FAILED, "The card account is closed.")
    order.refresh_from_db()
    line.refresh_from_db()
    assert (order.status, order.refunded_total, line.refunded_quantity, line.refunded_amount) == (
        OS.PAID, 0, 0, 0)
    assert heard == []
    assert "failed: The card account is closed." in order.audit_entries.last().reason
    settings.PAYMENT_GATEWAY = "shops.payments.TestGateway"
    again = services.order_refund(order=order, by=UserFactory(), quantities={line.pk: 2}, reason="Broken")
    assert again.status == Refund.Status.SUCCEEDED  # the lines were given back


@pytest.mark.django_db
def test_a_cancellation_the_provider_refuses_leaves_the_order_paid(settings):
    product = ProductFactory(stock=5)
    order = paid_order((product, 2))
    settings.PAYMENT_GATEWAY = "tests.shops.test_payments.RefusingGateway"
    refund = services.order_cancel(order=order, by=UserFactory(), reason="Buyer asked")
    order.refresh_from_db()
    product.refresh_from_db()
    assert refund.status == Refund.Status.FAILED
    assert (order.status, order.refunded_total, product.stock) == (OS.PAID, 0, 3)


@pytest.mark.django_db
def test_a_refund_without_an_answer_stays_pending_then_settles(settings, django_capture_on_commit_callbacks):
    product = ProductFactory(stock=5)
    order = paid_order((product, 1))
    settings.PAYMENT_GATEWAY = "tests.shops.test_payments.SilentGateway"
    refund = services.order_cancel(order=order, by=UserFactory(), reason="Buyer asked")
    order.refresh_from_db()
    assert refund.status == Refund.Status.PENDING and order.status == OS.PAID
    assert order.refunded_total == order.total  # reserved: nothing can be refunded twice
    with pytest.raises(Exception, match="refunded already"):
        services.order_cancel(order=order, by=UserFactory(), reason="Again")
    with pytest.raises(Exception, match="being cancelled"):
        services.order_ship(order=order, by=UserFactory(), tracking_number="T1")
    assert services.refunds_settle_pending() == 0  # younger than two minutes: not yet
    settings.PAYMENT_GATEWAY = "shops.payments.TestGateway"
    Refund.objects.filter(pk=refund.pk).update(created_at=refund.created_at.replace(year=2020))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.refunds_settle_pending() == 1
    refund.refresh_from_db()
    order.refresh_from_db()
    product.refresh_from_db()
    assert refund.status == Refund.Status.SUCCEEDED and refund.reference.startswith("test_re_")
    assert order.status == OS.CANCELLED and product.stock == 5


@pytest.mark.django_db
def test_the_seller_reads_what_became_of_the_refund(client, settings):
    seller = ShopMembershipFactory()
    order = paid_order((ProductFactory(shop=seller.shop), 1))
    client.force_login(seller.user)
    url = reverse("seller:order_detail", args=[order.pk])
    settings.PAYMENT_GATEWAY = "tests.shops.test_payments.RefusingGateway"
    refused = client.post(url, {"action": "cancel", "cancel-reason": "Out of stock"}, follow=True).content.decode()
    assert "refused the refund: The card account is closed." in refused and "not cancelled" in refused
    settings.PAYMENT_GATEWAY = "tests.shops.test_payments.SilentGateway"
    waiting = client.post(url, {"action": "refund", f"refund-line_{order.lines.get().pk}": 1,
                                "refund-reason": "Broken"}, follow=True).content.decode()
    assert "has not answered yet" in waiting and "Sent to the payment provider" in waiting


@pytest.mark.django_db
def test_a_refund_counted_when_the_commission_is_computed_is_not_taken_off_again():
    """Refunded before the computation ran (a quick refund, a slow worker): the commission
    is made on what is left, and applying the refund afterwards changes nothing."""
    program = ProgramFactory()
    product = ProductFactory(shop=program.shop, price=D("40.00"))
    open_product(product, D("10"))
    order = attributed_order(LinkFactory(product=product), 2)
    refund = services.order_refund(order=order, by=UserFactory(), quantities={order.lines.get().pk: 1},
                                   reason="One broke")
    payout_services.commissions_create_for_orders(order_ids=[order.pk])
    commission = Commission.objects.get()
    assert (commission.base, commission.refunded_base, commission.amount) == (D("80.00"), D("40.00"), D("4.00"))
    assert payout_services.commissions_apply_refund(refund_line_ids=[r.pk for r in refund.lines.all()]) == 0
    commission.refresh_from_db()
    assert commission.amount == D("4.00") and commission.audit_entries.count() == 1
