"""A seller joins the program, opens two products at different rates, finds a creator by
niche and followers and invites them at a higher rate; the creator accepts, sees the
higher rate with its reason in the marketplace and requests a sample; the seller
approves and ships it."""

import re
from decimal import Decimal

import pytest

from affiliates.models import SampleRequest
from tests.browser.conftest import log_in
from tests.factories import (
    ActiveShopFactory,
    CategoryFactory,
    CreatorFactory,
    ProductFactory,
    ShopMembershipFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_program_invitation_and_sample(new_page, screenshots):
    tea = CategoryFactory(name="Tea", slug="tea")
    shop = ActiveShopFactory(name="Leaf & Co", return_window_days=14)
    seller_user = ShopMembershipFactory(shop=shop).user
    sencha = ProductFactory(shop=shop, title="Sencha", category=tea, price=Decimal("18.00"))
    matcha = ProductFactory(shop=shop, title="Matcha", category=tea, price=Decimal("32.00"))
    creator = CreatorFactory(handle="mika", display_name="Mika", followers=84_000)
    creator.niches.add(tea)
    CreatorFactory(handle="tiny", followers=900).niches.add(tea)
    CreatorFactory(handle="gymbro", followers=300_000)

    seller = new_page()
    log_in(seller, seller_user.email)
    seller.get_by_role("link", name="Affiliates").click()
    seller.locator("#id_default_rate").fill("10")
    seller.get_by_role("button", name="Join the program").click()
    seller.get_by_text("Welcome to the affiliate program").wait_for()

    seller.get_by_role("link", name="Open products").click()
    for product, rate in ((sencha, "12"), (matcha, "15")):
        seller.locator(f"#id_open_{product.pk}").check()
        seller.locator(f"#id_rate_{product.pk}").fill(rate)
    seller.get_by_role("button", name="Save").click()
    seller.get_by_text("Open collaboration saved").wait_for()
    screenshots(seller, "seller-open-products")

    seller.get_by_role("link", name="Find creators").click()
    seller.locator("#id_niche").select_option(label="Tea")
    seller.locator("#id_followers_min").fill("10000")
    seller.get_by_role("button", name="Filter").click()
    assert seller.get_by_role("link", name="@mika").is_visible()
    assert seller.get_by_role("link", name="@tiny").count() == 0
    assert seller.get_by_role("link", name="@gymbro").count() == 0
    seller.locator(f"input[name=creator][value='{creator.pk}']").check()
    seller.get_by_role("button", name="Invite selected creators").click()
    seller.locator("#id_message").fill("We love your matcha videos.")
    seller.locator("#id_all_products_rate").fill("25")
    screenshots(seller, "seller-invite")
    seller.get_by_role("button", name="Send invitation").click()
    seller.get_by_text("Sent 1 invitation(s)").wait_for()

    phone = new_page(375, 812)
    log_in(phone, creator.user.email)
    phone.goto("/creator/inbox/")
    phone.get_by_role("button", name="Accept").click()
    phone.get_by_text("You now collaborate with Leaf & Co").wait_for()
    phone.goto("/creator/marketplace/")
    screenshots(phone, "creator-marketplace")
    phone.get_by_role("link", name=re.compile("Matcha")).click()
    assert phone.get_by_text("25 %").is_visible()
    assert phone.get_by_text("Why: Your collaboration with Leaf & Co.").is_visible()
    phone.get_by_role("link", name="Request a sample").click()
    phone.locator("#id_shipping_address").fill("1-2-3 Example Street, Tokyo")
    phone.get_by_role("button", name="Request sample").click()
    phone.get_by_text("Sample requested").wait_for()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    screenshots(phone, "creator-inbox")

    seller.goto("/seller/affiliates/samples/")
    seller.get_by_role("button", name="Approve").click()
    seller.locator("input[name=tracking_number]").fill("JP123")
    seller.get_by_role("button", name="Shipped").click()
    seller.get_by_text("shipped").first.wait_for()
    screenshots(seller, "seller-samples")
    sample = SampleRequest.objects.get()
    assert (sample.status, sample.tracking_number) == (SampleRequest.Status.SHIPPED, "JP123")
