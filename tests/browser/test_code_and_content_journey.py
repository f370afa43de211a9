"""A creator registers a post and copies its link; a buyer follows it, enters the creator's
code, sees the discount and pays; the seller and the creator see the order under that
post and that code."""

from decimal import Decimal

import pytest

from affiliates import services as affiliate_services
from tests.browser.conftest import log_in, open_context
from tests.browser.test_tracking_journey import PHONE_UA
from tests.factories import (
    PASSWORD,
    CreatorFactory,
    LinkFactory,
    ProductFactory,
    ProgramFactory,
    ShopMembershipFactory,
    open_product,
)
from tracking.models import Conversion

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
D = Decimal


def test_post_link_code_discount_and_reports(browser, live_server, new_page, screenshots):
    program = ProgramFactory(shop__currency="USD", default_rate=D("10"))
    lamp = ProductFactory(shop=program.shop, title="Journey Lamp", price=D("40.00"))
    open_product(lamp)
    creator = CreatorFactory(handle="journeymika")
    LinkFactory(creator=creator, product=lamp)
    code = affiliate_services.code_create(creator=creator, program=program, code="JOURNEY10")
    seller = ShopMembershipFactory(shop=program.shop).user
    affiliate_services.code_update(code=code, by=seller, discount_kind="percent", discount_value=D("10"),
                                   discount_cap=None, starts_on=None, ends_on=None, usage_limit=None, is_active=True)

    studio = new_page(390, 844)
    log_in(studio, creator.user.email, PASSWORD)
    studio.goto("/creator/content/")
    studio.locator("#id_url").fill("https://www.tiktok.com/@journeymika/video/42")
    studio.locator("#id_title").fill("Lamp unboxing")
    studio.get_by_label("Journey Lamp").check()
    studio.get_by_role("button", name="Register and get its links").click()
    studio.get_by_role("heading", name="Lamp unboxing").wait_for()
    post_link = studio.locator("#content-links [data-copy]").first.get_attribute("data-copy")
    assert "/r/" in post_link
    screenshots(studio, "post-links")

    context = open_context(browser, live_server, 390, 844, user_agent=PHONE_UA)  # headless Chromium reads as a bot
    shopper = context.new_page()
    try:
        shopper.goto(post_link.replace(post_link.split("/r/")[0], live_server.url))
        assert shopper.url.endswith(f"/p/{lamp.pk}/")
        shopper.get_by_role("button", name="Add to cart").click()
        shopper.get_by_placeholder("Creator code").fill("journey10")
        shopper.get_by_role("button", name="Apply").click()
        shopper.locator("#code-applied").wait_for()
        shopper.get_by_role("link", name=f"Check out with {program.shop.name}").click()
        assert shopper.locator("#checkout-discount").inner_text().endswith("-$4.00")
        screenshots(shopper, "checkout-with-code")
        for field, value in {"email": "bea@example.net", "name": "Bea Buyer", "address_line1": "1 Main St",
                             "postal_code": "12345", "city": "Springfield", "card_number": "4242424242424242",
                             "expiry": "12/39", "cvc": "123"}.items():
            shopper.locator(f"#id_{field}").fill(value)
        shopper.locator("#id_country").select_option("US")
        shopper.get_by_role("button", name="Pay and place order").click()
        shopper.get_by_role("heading", name="Thank you, Bea Buyer!").wait_for()
        assert "Discount (code JOURNEY10)" in shopper.content()
    finally:
        context.close()

    conversion = Conversion.objects.get()
    assert (conversion.via, conversion.code, conversion.content.title) == ("code", code, "Lamp unboxing")

    desk = new_page(1280, 900)
    log_in(desk, seller.email, PASSWORD)
    desk.goto("/seller/affiliates/orders/")
    assert "Code JOURNEY10" in desk.locator("table").inner_text()
    desk.goto("/seller/affiliates/performance/?by=content")
    row = desk.locator("tbody tr").first.inner_text()
    assert "Lamp unboxing" in row and "@journeymika" in row
    desk.goto("/seller/affiliates/codes/")
    assert "JOURNEY10" in desk.locator("#codes-table").inner_text()
    screenshots(desk, "seller-codes")

    studio.goto("/creator/content/")
    row = studio.locator("#content-table tbody tr").first.inner_text()
    assert "Lamp unboxing" in row and "$3.60" in row  # 10 % of the $36.00 the buyer paid
    studio.goto("/creator/codes/")
    assert "JOURNEY10" in studio.locator("#codes-table").inner_text()
    screenshots(studio, "creator-codes")
