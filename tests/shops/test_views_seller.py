"""The seller centre: who may see what, the forms' bad input, and the order actions."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from shops.models import Order, Product, Shop
from tests.factories import (
    ActiveShopFactory,
    CategoryFactory,
    CreatorFactory,
    ProductFactory,
    ShopMembershipFactory,
    paid_order,
    png_upload,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def seller(client):
    """A signed-in seller of an active USD shop."""
    membership = ShopMembershipFactory(shop=ActiveShopFactory())
    client.force_login(membership.user)
    return membership


@pytest.fixture
def other_shop_objects():
    product = ProductFactory()
    return {"product": product, "order": paid_order((product, 1))}


def _urls(product, order):
    return [
        reverse("seller:product_edit", args=[product.pk]),
        reverse("seller:order_detail", args=[order.pk]),
    ]


OWN_PAGES = ["seller:home", "seller:shop_profile", "seller:product_list", "seller:product_create",
             "seller:order_list"]


@pytest.mark.parametrize("name", OWN_PAGES)
def test_anonymous_visitors_go_to_login(client, name):
    assert client.get(reverse(name))["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("name", OWN_PAGES)
def test_creators_without_a_shop_are_offered_the_seller_role(client, name):
    client.force_login(CreatorFactory().user)
    response = client.get(reverse(name))
    assert response.status_code == 403
    assert reverse("seller:join") in response.content.decode()


@pytest.mark.parametrize("name", OWN_PAGES)
def test_owner_sees_own_pages(client, seller, name):
    assert client.get(reverse(name)).status_code == 200


def test_another_sellers_product_and_order_are_404(client, seller, other_shop_objects):
    for url in _urls(**other_shop_objects):
        assert client.get(url).status_code == 404
        assert client.post(url, {"action": "deliver", "title": "hijack"}).status_code == 404
    product = other_shop_objects["product"]
    for action in ("submit", "archive", "unarchive"):
        assert client.post(reverse("seller:product_action", args=[product.pk, action])).status_code == 404
    product.refresh_from_db()
    assert product.status == Product.Status.LIVE


def test_lists_show_only_own_rows(client, seller, other_shop_objects):
    mine = ProductFactory(shop=seller.shop, title="Mine")
    paid_order((mine, 1))
    products = client.get(reverse("seller:product_list")).content.decode()
    orders = client.get(reverse("seller:order_list")).context["table"].data
    assert "Mine" in products and other_shop_objects["product"].title not in products
    assert [order.shop_id for order in orders] == [seller.shop.pk]


# --------------------------------------------------------------------------------------
# Shop profile and submission
# --------------------------------------------------------------------------------------

PROFILE = {
    "name": "Kettle Co", "slug": "kettle-co", "description": "", "legal_name": "Kettle Co Ltd", "country": "GB",
    "currency": "GBP", "contact_email": "hi@kettle.example", "tax_id": "", "return_window_days": "14",
    "shipping_fee": "3.50", "tax_rate": "20",
}


def test_new_seller_completes_profile_and_submits(client):
    membership = ShopMembershipFactory(shop=Shop.objects.create())
    client.force_login(membership.user)
    home = client.get(reverse("seller:home")).content.decode()
    assert "the business&#x27;s legal name" in home
    response = client.post(reverse("seller:shop_profile"), {**PROFILE, "logo": png_upload()})
    assert response.status_code == 302
    client.post(reverse("seller:shop_submit"))
    shop = Shop.objects.get(pk=membership.shop.pk)
    assert (shop.name, shop.currency, shop.status) == ("Kettle Co", "GBP", Shop.Status.PENDING)
    assert shop.logo


def test_submitting_an_incomplete_shop_says_what_is_missing(client):
    membership = ShopMembershipFactory(shop=Shop.objects.create())
    client.force_login(membership.user)
    response = client.post(reverse("seller:shop_submit"), follow=True)
    assert "add a shop name" in response.content.decode()
    assert Shop.objects.get(pk=membership.shop.pk).status == Shop.Status.DRAFT


@pytest.mark.parametrize(("field", "value"), [
    ("shipping_fee", "-1"), ("shipping_fee", "99999999999"), ("shipping_fee", "abc"), ("tax_rate", "51"),
    ("tax_rate", "-5"), ("return_window_days", "91"), ("currency", "XYZ"), ("country", "ZZ"),
    ("slug", "Not A Slug"), ("slug", "admin"), ("contact_email", "nope"), ("name", ""), ("name", "x" * 81),
])
def test_shop_profile_bad_input_is_refused_and_nothing_stored(client, field, value):
    membership = ShopMembershipFactory(shop=Shop.objects.create())
    client.force_login(membership.user)
    response = client.post(reverse("seller:shop_profile"), {**PROFILE, field: value})
    assert response.status_code == 400
    assert response.context["form"].errors
    assert Shop.objects.get(pk=membership.shop.pk).name == ""


def test_jpy_shipping_fee_must_be_whole_yen(client):
    membership = ShopMembershipFactory(shop=Shop.objects.create())
    client.force_login(membership.user)
    response = client.post(reverse("seller:shop_profile"), {**PROFILE, "currency": "JPY", "shipping_fee": "500.5"})
    assert "no smaller unit" in response.content.decode()


def test_a_broken_logo_is_refused(client):
    membership = ShopMembershipFactory(shop=Shop.objects.create())
    client.force_login(membership.user)
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = SimpleUploadedFile("logo.png", b"\x89PNG\r\n\x1a\nbroken", content_type="image/png")
    response = client.post(reverse("seller:shop_profile"), {**PROFILE, "logo": bad})
    assert response.status_code == 400
    assert not Shop.objects.get(pk=membership.shop.pk).logo


# --------------------------------------------------------------------------------------
# Products
# --------------------------------------------------------------------------------------


def _product_data(**overrides):
    data = {"title": "Kettle", "description": "Boils water.", "category": CategoryFactory().pk,
            "kind": "physical", "price": "25.00", "compare_at_price": "", "stock": "4"}
    data.update(overrides)
    return data


def test_create_product_with_pictures_then_submit(client, seller):
    response = client.post(reverse("seller:product_create"),
                           {**_product_data(), "images": [png_upload(), png_upload(color=(0, 0, 0))]})
    product = Product.objects.get(shop=seller.shop)
    assert response["Location"] == reverse("seller:product_edit", args=[product.pk])
    assert product.images.count() == 2 and product.status == Product.Status.DRAFT
    client.post(reverse("seller:product_action", args=[product.pk, "submit"]))
    product.refresh_from_db()
    assert product.status == Product.Status.IN_REVIEW


def test_the_products_list_shows_each_products_thumbnail(client, seller):
    client.post(reverse("seller:product_create"), {**_product_data(), "images": [png_upload()]})
    bare = ProductFactory(shop=seller.shop)
    product = Product.objects.get(shop=seller.shop, images__isnull=False)
    response = client.get(reverse("seller:product_list"))
    page = response.content.decode()
    assert f'src="{product.cover.thumbnail.url}"' in page
    assert 'title="No picture yet"' in page and bare.title in page
    export = client.get(reverse("seller:product_list"), {"export": "csv"})
    header = next(csv.reader(io.StringIO(b"".join(export.streaming_content).decode())))
    assert "Picture" not in header  # a picture is no number for a spreadsheet


@pytest.mark.parametrize(("field", "value"), [
    ("price", "0"), ("price", "-1"), ("price", "10000000.01"), ("price", "1e9"), ("price", "ten"),
    ("price", "1.005"), ("compare_at_price", "20.00"), ("compare_at_price", "-3"), ("stock", "-1"),
    ("stock", "2000000"), ("stock", ""), ("title", ""), ("title", "x" * 121), ("category", "999999"),
    ("kind", "weapon"),
])
def test_product_bad_input_is_refused_and_nothing_stored(client, seller, field, value):
    response = client.post(reverse("seller:product_create"), _product_data(**{field: value}))
    assert response.status_code == 400
    assert response.context["form"].errors
    assert not Product.objects.filter(shop=seller.shop).exists()


def test_a_broken_picture_is_refused_with_its_name(client, seller):
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = SimpleUploadedFile("cat.jpg", b"GIF89a not really", content_type="image/jpeg")
    response = client.post(reverse("seller:product_create"), {**_product_data(), "images": [bad]})
    assert response.status_code == 400
    assert response.context["form"].errors["images"]
    assert not Product.objects.exists()


def test_xss_in_a_description_is_stored_inert(client, seller):
    payload = '<p>Hi</p><script>alert("x")</script><img src=x onerror=alert(1)><a href="javascript:alert(1)">a</a>'
    client.post(reverse("seller:product_create"), _product_data(description=payload))
    product = Product.objects.get(shop=seller.shop)
    assert "<script" not in product.description and "onerror" not in product.description
    assert "javascript:" not in product.description
    assert product.description.startswith("<p>Hi</p>")


def test_editing_a_live_products_title_sends_it_back_to_review(client, seller):
    product = ProductFactory(shop=seller.shop)
    response = client.post(reverse("seller:product_edit", args=[product.pk]),
                           _product_data(title="Renamed", category=product.category_id), follow=True)
    product.refresh_from_db()
    assert product.status == Product.Status.IN_REVIEW
    assert "back in review" in response.content.decode()


def test_editing_a_live_products_price_keeps_it_live(client, seller):
    product = ProductFactory(shop=seller.shop, title="Kettle", description="Boils water.")
    client.post(reverse("seller:product_edit", args=[product.pk]),
                _product_data(price="30.00", stock="8", category=product.category_id))
    product.refresh_from_db()
    assert (product.status, product.price, product.stock) == (Product.Status.LIVE, Decimal("30.00"), 8)


def test_archive_and_restore(client, seller):
    product = ProductFactory(shop=seller.shop)
    client.post(reverse("seller:product_action", args=[product.pk, "archive"]))
    product.refresh_from_db()
    assert product.status == Product.Status.ARCHIVED
    client.post(reverse("seller:product_action", args=[product.pk, "unarchive"]))
    product.refresh_from_db()
    assert product.status == Product.Status.DRAFT


# --------------------------------------------------------------------------------------
# Orders
# --------------------------------------------------------------------------------------


def test_order_list_filters_and_exports_csv_with_formula_cells_escaped(client, seller):
    product = ProductFactory(shop=seller.shop)
    paid_order((product, 1), buyer={"email": "a@example.net", "name": "=HYPERLINK(\"http://x\")",
                                   "address_line1": "1", "city": "c", "postal_code": "1", "country": "US"})
    paid_order((product, 1), buyer={"email": "b@example.net", "name": "Bob", "address_line1": "1",
                                   "city": "c", "postal_code": "1", "country": "US"})
    table = client.get(reverse("seller:order_list"), {"q": "b@example"}).context["table"]
    assert [order.email for order in table.data] == ["b@example.net"]
    response = client.get(reverse("seller:order_list"), {"export": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:4] == ["order", "placed", "buyer name", "buyer email"]
    names = [row[2] for row in rows[1:]]
    assert "'=HYPERLINK(\"http://x\")" in names and "Bob" in names


@pytest.mark.parametrize("params", [{"placed_from": "yesterday"}, {"status": "bogus"}, {"sort": "nope"}])
def test_order_list_survives_bad_filters(client, seller, params):
    assert client.get(reverse("seller:order_list"), params).status_code == 200


def test_ship_deliver_and_refund_from_the_order_page(client, seller):
    product = ProductFactory(shop=seller.shop, price=Decimal("10.00"))
    order = paid_order((product, 2))
    url = reverse("seller:order_detail", args=[order.pk])
    assert client.post(url, {"action": "ship", "tracking_number": ""}).status_code == 400
    client.post(url, {"action": "ship", "tracking_number": "TRK9"})
    client.post(url, {"action": "deliver"})
    line = order.lines.get()
    response = client.post(url, {"action": "refund", f"refund-line_{line.pk}": "1", "refund-reason": "Scratched"},
                           follow=True)
    order.refresh_from_db()
    assert order.status == Order.Status.DELIVERED
    assert order.refunded_total == Decimal("11.00")
    assert "Refunded $11.00" in response.content.decode()


@pytest.mark.parametrize("quantity", ["3", "-1", "x", "0"])
def test_refund_bad_quantities_are_refused(client, seller, quantity):
    order = paid_order((ProductFactory(shop=seller.shop), 2))
    line = order.lines.get()
    response = client.post(reverse("seller:order_detail", args=[order.pk]),
                           {"action": "refund", f"refund-line_{line.pk}": quantity, "refund-reason": "r"})
    assert response.status_code == 400
    order.refresh_from_db()
    assert order.refunded_total == 0


def test_cancel_needs_a_reason_then_refunds(client, seller):
    order = paid_order((ProductFactory(shop=seller.shop), 1))
    url = reverse("seller:order_detail", args=[order.pk])
    assert client.post(url, {"action": "cancel", "cancel-reason": ""}).status_code == 400
    client.post(url, {"action": "cancel", "cancel-reason": "Out of stock after all"})
    order.refresh_from_db()
    assert order.status == Order.Status.CANCELLED and order.refunded_total == order.total


def test_an_impossible_action_says_why(client, seller):
    order = paid_order((ProductFactory(shop=seller.shop), 1))
    url = reverse("seller:order_detail", args=[order.pk])
    client.post(url, {"action": "ship", "tracking_number": "T1"})
    response = client.post(url, {"action": "cancel", "cancel-reason": "too late"}, follow=True)
    assert "cannot become cancelled" in response.content.decode()
