"""The buyer's pages: feed, product, shop, cart, checkout and confirmation."""

from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse

from shops.models import Order, Product, Shop
from tests.factories import ActiveShopFactory, CategoryFactory, ProductFactory

pytestmark = pytest.mark.django_db


def test_feed_shows_only_live_products_of_active_shops(client):
    live = ProductFactory(title="Visible mug")
    ProductFactory(title="Draft mug", status=Product.Status.DRAFT)
    ProductFactory(title="Suspended mug", shop=ActiveShopFactory(status=Shop.Status.SUSPENDED))
    html = client.get(reverse("shop:feed")).content.decode()
    assert live.title in html
    assert "Draft mug" not in html and "Suspended mug" not in html


def test_feed_search_category_price_and_sort(client):
    tea = CategoryFactory(slug="tea", name="Tea")
    cheap = ProductFactory(title="Green tea", category=tea, price=Decimal("5.00"))
    dear = ProductFactory(title="Black tea", category=tea, price=Decimal("50.00"), units_sold=9)
    ProductFactory(title="Mug", price=Decimal("8.00"))

    def titles(**params):
        page = client.get(reverse("shop:feed"), params).context["page_obj"]
        return [product.title for product in page]

    assert set(titles(q="tea")) == {cheap.title, dear.title}
    assert set(titles(category="tea")) == {cheap.title, dear.title}
    assert titles(category="tea", min_price="10") == [dear.title]
    assert titles(q="tea", sort="price_low") == [cheap.title, dear.title]
    assert titles(q="tea", sort="price_high") == [dear.title, cheap.title]
    assert titles(sort="popular")[0] == dear.title


@pytest.mark.parametrize("params", [{"min_price": "abc"}, {"category": "nope"}, {"sort": "evil"},
                                    {"page": "999"}, {"q": "<script>" * 50}, {"max_price": "-1"}])
def test_feed_survives_bad_query_strings(client, params):
    ProductFactory()
    response = client.get(reverse("shop:feed"), params)
    assert response.status_code == 200
    assert "<script><script>" not in response.content.decode()


def test_feed_paginates(client):
    shop = ActiveShopFactory()
    ProductFactory.create_batch(30, shop=shop)
    first = client.get(reverse("shop:feed")).context["page_obj"]
    second = client.get(reverse("shop:feed"), {"page": 2}).context["page_obj"]
    assert len(first) == 24 and len(second) == 6


def test_product_page_and_shop_page(client):
    product = ProductFactory(description='<p>Nice<img src=x onerror="alert(1)"></p>')
    response = client.get(product.get_absolute_url())
    assert response.status_code == 200
    assert "onerror" not in response.content.decode()
    assert product.title in client.get(product.shop.get_absolute_url()).content.decode()


@pytest.mark.parametrize("status", [Product.Status.DRAFT, Product.Status.IN_REVIEW, Product.Status.ARCHIVED])
def test_products_that_are_not_live_are_404(client, status):
    assert client.get(ProductFactory(status=status).get_absolute_url()).status_code == 404


def test_a_pending_shop_page_is_404(client):
    shop = ActiveShopFactory(status=Shop.Status.PENDING)
    assert client.get(reverse("shop:shop", args=[shop.slug])).status_code == 404


def test_add_to_cart_checks_the_stock(client):
    product = ProductFactory(stock=2)
    client.post(reverse("shop:cart_add", args=[product.pk]), {"quantity": 2})
    response = client.post(reverse("shop:cart_add", args=[product.pk]), {"quantity": 1}, follow=True)
    assert "Only 2" in response.content.decode()
    assert client.session["cart"] == {str(product.pk): 2}


@pytest.mark.parametrize("quantity", ["0", "-1", "100", "two", ""])
def test_add_to_cart_refuses_bad_quantities(client, quantity):
    product = ProductFactory()
    response = client.post(reverse("shop:cart_add", args=[product.pk]), {"quantity": quantity}, follow=True)
    assert response.status_code == 200
    assert "cart" not in client.session or client.session["cart"] == {}


def test_cart_update_and_remove(client):
    product = ProductFactory(stock=5)
    client.post(reverse("shop:cart_add", args=[product.pk]), {"quantity": 1})
    client.post(reverse("shop:cart_update", args=[product.pk]), {"quantity": 3})
    assert client.session["cart"] == {str(product.pk): 3}
    client.post(reverse("shop:cart_update", args=[product.pk]), {"quantity": 9})
    assert client.session["cart"] == {str(product.pk): 3}
    client.post(reverse("shop:cart_update", args=[product.pk]), {"quantity": 0})
    assert client.session["cart"] == {}


def test_cart_add_needs_post(client):
    assert client.get(reverse("shop:cart_add", args=[ProductFactory().pk])).status_code == 405


def _checkout_data(client, shop, **overrides):
    form = client.get(reverse("shop:checkout", args=[shop.slug])).context["form"]
    data = {
        "email": "guest@example.net", "name": "Gus Guest", "address_line1": "1 Main St", "city": "Springfield",
        "postal_code": "12345", "country": "US", "card_number": "4242 4242 4242 4242", "expiry": "12/39",
        "cvc": "123", "checkout_key": form.initial["checkout_key"],
    }
    data.update(overrides)
    return data


def test_guest_checkout_pays_confirms_and_emails(client, django_capture_on_commit_callbacks):
    product = ProductFactory(stock=3)
    client.post(reverse("shop:cart_add", args=[product.pk]), {"quantity": 2})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("shop:checkout", args=[product.shop.slug]),
                               _checkout_data(client, product.shop))
    order = Order.objects.get()
    assert response.status_code == 302 and response["Location"] == order.get_absolute_url()
    assert order.status == Order.Status.PAID and order.email == "guest@example.net"
    page = client.get(order.get_absolute_url()).content.decode()
    assert "Thank you, Gus Guest" in page and order.number in page
    assert mail.outbox[-1].to == ["guest@example.net"]
    assert client.session["cart"] == {}


def test_double_submitted_checkout_makes_one_order(client):
    product = ProductFactory(stock=3)
    client.post(reverse("shop:cart_add", args=[product.pk]), {"quantity": 1})
    data = _checkout_data(client, product.shop)
    url = reverse("shop:checkout", args=[product.shop.slug])
    client.post(url, data)
    client.post(reverse("shop:cart_add", args=[product.pk]), {"quantity": 1})  # back button, cart refilled
    client.post(url, data)
    assert Order.objects.count() == 1


def test_a_declined_card_keeps_the_buyer_on_checkout_with_a_message(client):
    product = ProductFactory(stock=1)
    client.post(reverse("shop:cart_add", args=[product.pk]), {"quantity": 1})
    response = client.post(reverse("shop:checkout", args=[product.shop.slug]),
                           _checkout_data(client, product.shop, card_number="4000000000000002"))
    assert response.status_code == 200
    assert "Your card was declined." in response.content.decode()
    product.refresh_from_db()
    assert product.stock == 1
    assert not Order.objects.filter(status=Order.Status.PAID).exists()
    # Trying again with a good card works: a fresh checkout key, a new order.
    retry = response.context["form"].data.copy()
    retry["card_number"] = "4242424242424242"
    assert client.post(reverse("shop:checkout", args=[product.shop.slug]), retry).status_code == 302
    assert Order.objects.filter(status=Order.Status.PAID).count() == 1


@pytest.mark.parametrize(("field", "value"), [
    ("email", "not-an-email"), ("name", ""), ("address_line1", ""), ("country", "XX"),
    ("card_number", "1234"), ("card_number", "4242abcd42424242"), ("expiry", "13/30"), ("expiry", "01/20"),
    ("cvc", "12"), ("checkout_key", ""), ("name", "x" * 500),
])
def test_checkout_bad_input_is_refused_and_nothing_stored(client, field, value):
    product = ProductFactory()
    client.post(reverse("shop:cart_add", args=[product.pk]), {"quantity": 1})
    response = client.post(reverse("shop:checkout", args=[product.shop.slug]),
                           _checkout_data(client, product.shop, **{field: value}))
    assert response.status_code == 200
    assert response.context["form"].errors
    assert Order.objects.count() == 0


def test_checkout_with_an_empty_cart_goes_back_to_the_cart(client):
    shop = ProductFactory().shop
    assert client.get(reverse("shop:checkout", args=[shop.slug]))["Location"] == reverse("shop:cart")


def test_a_digital_only_checkout_asks_no_address(client):
    product = ProductFactory(kind="digital")
    client.post(reverse("shop:cart_add", args=[product.pk]), {"quantity": 1})
    form = client.get(reverse("shop:checkout", args=[product.shop.slug])).context["form"]
    assert "address_line1" not in form.fields


def test_confirmation_needs_the_token(client):
    assert client.get(reverse("shop:order_confirmation", args=["guess"])).status_code == 404
