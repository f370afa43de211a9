"""A seller opens a shop and lists a product; staff approve both in /ops/; a buyer on a
phone finds it, pays with the test card and gets the confirmation page and email; the
seller sees the order and refunds one line."""

import re
from decimal import Decimal

import pytest
from django.core import mail

from shops.models import Order, Product, Shop
from tests.browser.conftest import admin_action, log_in
from tests.factories import CategoryFactory, ShopMembershipFactory, UserFactory, png_upload

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_open_shop_sell_and_refund(new_page, live_server, screenshots, tmp_path):
    CategoryFactory(name="Kitchen", slug="kitchen")
    membership = ShopMembershipFactory(shop=Shop.objects.create())
    staff = UserFactory(is_staff=True, is_superuser=True)
    picture = tmp_path / "kettle.png"
    picture.write_bytes(png_upload().read())

    # The seller completes the shop profile and sends it for approval.
    seller = new_page()
    log_in(seller, membership.user.email)
    seller.get_by_role("link", name="Complete the shop profile").click()
    for field, value in {"name": "Kettle Co", "slug": "kettle-co", "legal_name": "Kettle Co Ltd",
                         "contact_email": "hi@kettle.example", "shipping_fee": "3.50", "tax_rate": "20"}.items():
        seller.locator(f"#id_{field}").fill(value)
    seller.locator("#id_country").select_option("GB")
    seller.locator("#id_currency").select_option("GBP")
    seller.get_by_role("button", name="Save").click()
    seller.get_by_role("button", name="Send for approval").click()
    assert seller.get_by_text("Your shop is waiting for approval").is_visible()
    screenshots(seller, "seller-shop-pending")

    # The seller adds a product with a picture and sends it to review.
    seller.get_by_role("link", name="Products", exact=True).click()
    seller.get_by_role("link", name="Add a product").click()
    seller.locator("#id_title").fill("Copper Kettle")
    seller.locator("#id_description").fill("Whistles when it boils.")
    seller.locator("#id_category").select_option(label="Kitchen")
    seller.locator("#id_price").fill("45.00")
    seller.locator("#id_stock").fill("3")
    seller.locator("#id_images").set_input_files(str(picture))
    seller.get_by_role("button", name="Save").click()
    seller.get_by_role("button", name="Send for review").click()
    assert seller.get_by_text("In review.").is_visible()
    screenshots(seller, "seller-product-in-review")

    # Staff approve the shop and the product in /ops/.
    ops = new_page()
    log_in(ops, staff.email)
    shop = Shop.objects.get(pk=membership.shop.pk)
    product = Product.objects.get(shop=shop)
    admin_action(ops, "/ops/shops/shop/?status__exact=pending", [shop.pk], "Approve selected shops")
    assert ops.get_by_text("1 changed").is_visible()
    admin_action(ops, "/ops/shops/product/?status__exact=in_review", [product.pk], "Approve selected products")
    screenshots(ops, "ops-approved")

    # An anonymous buyer on a phone finds it, buys it with the test card.
    buyer = new_page(375, 812)
    buyer.goto("/")
    buyer.locator("#id_q").fill("kettle")
    buyer.get_by_role("button", name="Show").click()
    buyer.get_by_role("link", name=re.compile("Copper Kettle")).click()
    screenshots(buyer, "buyer-product")
    buyer.locator("#id_quantity").fill("2")
    buyer.get_by_role("button", name="Add to cart").click()
    buyer.get_by_role("link", name="Check out with Kettle Co").click()
    for field, value in {"email": "bea@example.net", "name": "Bea Buyer", "address_line1": "1 High St",
                         "postal_code": "SW1A 1AA", "city": "London", "card_number": "4242 4242 4242 4242",
                         "expiry": "12/39", "cvc": "123"}.items():
        buyer.locator(f"#id_{field}").fill(value)
    buyer.locator("#id_country").select_option("GB")
    screenshots(buyer, "buyer-checkout")
    buyer.get_by_role("button", name="Pay and place order").click()
    buyer.get_by_role("heading", name="Thank you, Bea Buyer!").wait_for()
    assert buyer.evaluate("document.documentElement.scrollWidth") <= 375
    screenshots(buyer, "buyer-confirmation")
    order = Order.objects.get()
    assert order.total == Decimal("111.50")  # 90.00 + 3.50 shipping + 18.00 tax
    assert any(order.number in message.subject and message.to == ["bea@example.net"] for message in mail.outbox)

    # The seller sees the order and refunds one kettle.
    seller.get_by_role("link", name="Orders", exact=True).click()
    seller.get_by_role("link", name=order.number).click()
    line = order.lines.get()
    seller.locator(f"#id_refund-line_{line.pk}").fill("1")
    seller.locator("#id_refund-reason").fill("Dented lid")
    seller.get_by_role("button", name="Refund").click()
    assert seller.get_by_text("Refunded £54.00").is_visible()
    screenshots(seller, "seller-refunded")
    order.refresh_from_db()
    assert order.refunded_total == Decimal("54.00")
