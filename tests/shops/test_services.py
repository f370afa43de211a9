"""The shop's writes: status pipelines, product review, checkout, payment, refunds."""

from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from shops import services, signals
from shops.models import Order, Product, Shop
from tests.factories import (
    BUYER,
    ActiveShopFactory,
    CategoryFactory,
    ProductFactory,
    ShopFactory,
    UserFactory,
    paid_order,
    png_upload,
)

pytestmark = pytest.mark.django_db

S = Shop.Status
P = Product.Status
OS = Order.Status


# --------------------------------------------------------------------------------------
# Status pipelines: every pair of states, allowed exactly when the table says so
# --------------------------------------------------------------------------------------


def test_a_shop_with_missing_profile_cannot_be_submitted():
    shop = ShopFactory(status=S.DRAFT, legal_name="", currency="")
    with pytest.raises(ValidationError, match="legal name"):
        services.shop_submit(shop=shop, by=UserFactory())
    shop.refresh_from_db()
    assert shop.status == S.DRAFT


def test_rejection_needs_a_reason_the_seller_reads():
    shop = ActiveShopFactory(status=S.PENDING)
    with pytest.raises(ValidationError):
        services.shop_reject(shop=shop, by=UserFactory(), reason="  ")
    services.shop_reject(shop=shop, by=UserFactory(), reason="Tax id does not match")
    shop.refresh_from_db()
    assert (shop.status, shop.status_reason) == (S.REJECTED, "Tax id does not match")


def test_currency_is_fixed_once_the_shop_has_products():
    product = ProductFactory()
    with pytest.raises(ValidationError, match="currency"):
        services.shop_update(shop=product.shop, currency="EUR")


# --------------------------------------------------------------------------------------
# Products
# --------------------------------------------------------------------------------------


def test_product_create_sanitises_the_description_and_stores_images():
    shop = ActiveShopFactory()
    product = services.product_create(
        shop=shop, title="Mug", category=CategoryFactory(), kind="physical", price=Decimal("12.00"), stock=3,
        description='<p onclick="x()">Hi<script>alert(1)</script> <a href="javascript:alert(1)">x</a></p>',
        images=[png_upload(), png_upload(color=(1, 2, 3))],
    )
    assert product.status == P.DRAFT
    assert "script" not in product.description and "onclick" not in product.description
    assert "javascript" not in product.description
    assert product.images.count() == 2


def test_services_have_no_stock():
    product = services.product_create(shop=ActiveShopFactory(), title="Lesson", category=CategoryFactory(),
                                      kind="service", price=Decimal("30.00"), stock=5)
    assert product.stock is None


def test_jpy_prices_must_be_whole_yen():
    shop = ActiveShopFactory(currency="JPY", shipping_fee=Decimal("500"))
    with pytest.raises(ValidationError, match="no smaller unit"):
        services.product_create(shop=shop, title="Tea", category=CategoryFactory(), kind="physical",
                                price=Decimal("100.50"), stock=1)


def test_more_than_eight_images_are_refused():
    product = ProductFactory()
    services.product_add_images(product=product, uploads=[png_upload() for _ in range(8)])
    with pytest.raises(ValidationError, match="at most 8"):
        services.product_add_images(product=product, uploads=[png_upload()])


def test_a_physical_product_without_pictures_cannot_be_submitted():
    product = ProductFactory(status=P.DRAFT)
    with pytest.raises(ValidationError, match="picture"):
        services.product_submit(product=product, by=UserFactory())


@pytest.mark.parametrize(("change", "status"), [
    ({"title": "New title"}, P.IN_REVIEW),
    ({"description": "<p>Other words</p>"}, P.IN_REVIEW),
    ({"category": "new"}, P.IN_REVIEW),
    ({"price": Decimal("25.00")}, P.LIVE),
    ({"stock": 99}, P.LIVE),
])
def test_content_edits_of_a_live_product_send_it_back_to_review(change, status):
    product = ProductFactory()
    if change.get("category") == "new":
        change["category"] = CategoryFactory()
    product = services.product_update(product=product, **change)
    assert product.status == status


def test_new_images_on_a_live_product_send_it_back_to_review():
    product = services.product_update(product=ProductFactory(), images=[png_upload()])
    assert product.status == P.IN_REVIEW


# --------------------------------------------------------------------------------------
# Checkout
# --------------------------------------------------------------------------------------


def _place(*lines, key="key-1", buyer=None, **kwargs):
    shop = lines[0][0].shop
    return services.order_place(shop=shop, items={p.pk: q for p, q in lines},
                                buyer=services.BuyerDetails(**(buyer or BUYER)), checkout_key=key, **kwargs)


def test_order_totals_are_decimal_and_read_from_the_database():
    shop = ActiveShopFactory(shipping_fee=Decimal("4.90"), tax_rate=Decimal("8.25"))
    mug = ProductFactory(shop=shop, price=Decimal("29.00"))
    pen = ProductFactory(shop=shop, price=Decimal("3.33"))
    order = _place((mug, 1), (pen, 3))
    lines = {line.product_id: line for line in order.lines.all()}
    assert lines[pen.pk].net_amount == Decimal("9.99")
    assert lines[mug.pk].tax == Decimal("2.39")  # 29.00 x 8.25 % = 2.3925
    assert lines[pen.pk].tax == Decimal("0.82")  # 9.99 x 8.25 % = 0.824175
    assert order.subtotal == Decimal("38.99")
    assert order.shipping == Decimal("4.90")
    assert order.tax == Decimal("3.21")
    assert order.total == Decimal("47.10")
    assert order.status == OS.PENDING_PAYMENT
    mug.refresh_from_db()
    assert mug.stock == 9


def test_jpy_orders_are_whole_yen():
    shop = ActiveShopFactory(currency="JPY", shipping_fee=Decimal("600"), tax_rate=Decimal("8"))
    tea = ProductFactory(shop=shop, price=Decimal("1333"))
    order = _place((tea, 1))
    assert order.tax == Decimal("107")  # 106.64 rounds half-up to 107
    assert order.total == Decimal("2040")


def test_services_and_digital_goods_need_no_address():
    shop = ActiveShopFactory()
    lesson = ProductFactory(shop=shop, kind="service", stock=None)
    order = _place((lesson, 2), buyer={"email": "b@example.net", "name": "B"})
    assert order.shipping == 0 and order.address_line1 == ""


def test_physical_goods_need_an_address():
    with pytest.raises(services.CheckoutError, match="shipping address"):
        _place((ProductFactory(), 1), buyer={"email": "b@example.net", "name": "B"})


def test_ordering_more_than_the_stock_is_refused_and_nothing_is_stored():
    product = ProductFactory(stock=2)
    with pytest.raises(services.CheckoutError, match="Only 2"):
        _place((product, 3))
    assert Order.objects.count() == 0
    product.refresh_from_db()
    assert product.stock == 2


def test_a_sold_out_product_says_so():
    with pytest.raises(services.CheckoutError, match="sold out"):
        _place((ProductFactory(stock=0), 1))


@pytest.mark.parametrize("status", [P.DRAFT, P.IN_REVIEW, P.ARCHIVED, P.REJECTED])
def test_products_that_are_not_live_cannot_be_bought(status):
    with pytest.raises(services.CheckoutError, match="no longer for sale"):
        _place((ProductFactory(status=status), 1))


def test_a_suspended_shop_takes_no_orders():
    product = ProductFactory(shop=ActiveShopFactory(status=S.SUSPENDED))
    with pytest.raises(services.CheckoutError, match="not taking orders"):
        _place((product, 1))


def test_zero_quantities_are_refused():
    with pytest.raises(services.CheckoutError):
        _place((ProductFactory(), 0))


def test_the_same_checkout_submitted_twice_makes_one_order():
    product = ProductFactory(stock=5)
    first = _place((product, 2), key="same")
    second = _place((product, 2), key="same")
    assert first.pk == second.pk
    assert Order.objects.count() == 1
    product.refresh_from_db()
    assert product.stock == 3


def test_paying_marks_the_order_paid_and_emails_the_buyer(django_capture_on_commit_callbacks):
    product = ProductFactory()
    paid = []
    signals.order_paid.connect(lambda sender, order, **kw: paid.append(order.pk), weak=False, dispatch_uid="t")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            order = paid_order((product, 2))
    finally:
        signals.order_paid.disconnect(dispatch_uid="t")
    assert order.status == OS.PAID and order.paid_at and order.payment_reference.startswith("test_ch_")
    assert paid == [order.pk]
    assert mail.outbox[-1].to == ["buyer@example.net"]
    assert order.number in mail.outbox[-1].subject
    product.refresh_from_db()
    assert product.units_sold == 2


def test_order_placed_is_sent_with_the_request_after_commit(django_capture_on_commit_callbacks, rf):
    seen = []
    signals.order_placed.connect(lambda sender, order, request, **kw: seen.append((order.pk, request)),
                                 weak=False, dispatch_uid="t")
    request = rf.get("/")
    try:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            order = _place((ProductFactory(), 1), request=request)
        assert seen == []  # nothing before commit
        for callback in callbacks:
            callback()
    finally:
        signals.order_placed.disconnect(dispatch_uid="t")
    assert seen == [(order.pk, request)]


def test_a_declined_card_fails_the_order_and_returns_the_stock():
    product = ProductFactory(stock=1)
    order = _place((product, 1))
    with pytest.raises(services.CheckoutError, match="declined"):
        services.order_pay(order=order, card_number="4000000000000002")
    order.refresh_from_db()
    product.refresh_from_db()
    assert order.status == OS.PAYMENT_FAILED
    assert product.stock == 1


# --------------------------------------------------------------------------------------
# After payment: shipping, cancelling, refunds
# --------------------------------------------------------------------------------------


def test_ship_then_deliver_records_each_step():
    seller = UserFactory()
    order = paid_order((ProductFactory(), 1))
    with pytest.raises(ValidationError):
        services.order_ship(order=order, by=seller, tracking_number=" ")
    order = services.order_ship(order=order, by=seller, tracking_number="TRK1")
    order = services.order_deliver(order=order, by=seller)
    order.refresh_from_db()
    assert (order.status, order.tracking_number) == (OS.DELIVERED, "TRK1")
    assert list(order.audit_entries.values_list("to_status", flat=True)) == [
        OS.PENDING_PAYMENT, OS.PAID, OS.SHIPPED, OS.DELIVERED]


def test_cancel_refunds_everything_and_restocks(django_capture_on_commit_callbacks):
    product = ProductFactory(stock=5)
    order = paid_order((product, 2))
    cancelled = []
    signals.order_cancelled.connect(lambda sender, order, **kw: cancelled.append(order.pk), weak=False,
                                    dispatch_uid="t")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            services.order_cancel(order=order, by=UserFactory(), reason="Buyer asked")
    finally:
        signals.order_cancelled.disconnect(dispatch_uid="t")
    order.refresh_from_db()
    product.refresh_from_db()
    assert order.status == OS.CANCELLED and order.refunded_total == order.total
    assert product.stock == 5
    assert cancelled == [order.pk]


def test_a_shipped_order_cannot_be_cancelled():
    order = paid_order((ProductFactory(), 1))
    order = services.order_ship(order=order, by=UserFactory(), tracking_number="T")
    with pytest.raises(ValidationError):
        services.order_cancel(order=order, by=UserFactory(), reason="late")


def test_partial_then_full_refund_adds_up_to_the_total(django_capture_on_commit_callbacks):
    shop = ActiveShopFactory(shipping_fee=Decimal("5.00"), tax_rate=Decimal("10"))
    a = ProductFactory(shop=shop, price=Decimal("10.00"))
    b = ProductFactory(shop=shop, price=Decimal("3.33"))
    order = paid_order((a, 3), (b, 1))
    line_a = order.lines.get(product=a)
    line_b = order.lines.get(product=b)
    refunded = []
    signals.order_refunded.connect(lambda sender, order, lines, **kw: refunded.append(
        [(r.line_id, r.quantity, r.net_amount) for r in lines]), weak=False, dispatch_uid="t")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            first = services.order_refund(order=order, by=UserFactory(), quantities={line_a.pk: 1}, reason="damaged")
        assert first.amount == Decimal("11.00")  # 10.00 net + 1.00 tax, no shipping yet
        order.refresh_from_db()
        assert order.status == OS.PAID
        with django_capture_on_commit_callbacks(execute=True):
            services.order_refund(order=order, by=UserFactory(), quantities={line_a.pk: 2, line_b.pk: 1},
                                  reason="all of it")
    finally:
        signals.order_refunded.disconnect(dispatch_uid="t")
    order.refresh_from_db()
    assert order.status == OS.REFUNDED
    assert order.refunded_total == order.total
    assert refunded[0] == [(line_a.pk, 1, Decimal("10.00"))]
    assert sorted(refunded[1]) == sorted([(line_a.pk, 2, Decimal("20.00")), (line_b.pk, 1, Decimal("3.33"))])


def test_refunding_thirds_leaves_no_cent_behind():
    product = ProductFactory(price=Decimal("3.33"))
    order = paid_order((product, 3))
    line = order.lines.get()
    Order.objects.filter(pk=order.pk)
    for _ in range(3):
        services.order_refund(order=order, by=UserFactory(), quantities={line.pk: 1}, reason="r")
    order.refresh_from_db()
    line.refresh_from_db()
    assert line.refunded_amount == line.net_amount + line.tax
    assert order.refunded_total == order.total


@pytest.mark.parametrize("quantities", [{"line": 3}, {"line": -1}, {}, {"other": 1}])
def test_bad_refunds_are_refused_and_change_nothing(quantities):
    order = paid_order((ProductFactory(), 2))
    other = paid_order((ProductFactory(), 1)).lines.get()
    line = order.lines.get()
    mapped = {(line.pk if k == "line" else other.pk): v for k, v in quantities.items()}
    with pytest.raises(ValidationError):
        services.order_refund(order=order, by=UserFactory(), quantities=mapped, reason="r")
    order.refresh_from_db()
    assert order.refunded_total == 0


def test_refund_needs_a_reason():
    order = paid_order((ProductFactory(), 1))
    with pytest.raises(ValidationError, match="why"):
        services.order_refund(order=order, by=UserFactory(), quantities={order.lines.get().pk: 1}, reason="")
