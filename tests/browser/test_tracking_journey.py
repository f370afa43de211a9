"""A buyer on a phone follows a creator's link and pays: one click, one conversion, and
rollups that add up."""

from decimal import Decimal

import pytest

from tests.browser.conftest import open_context
from tests.factories import LinkFactory
from tracking.models import Click, Conversion, DailyLinkStats

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE_UA = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
            "Version/17.0 Mobile/15E148 Safari/604.1")


def test_link_to_paid_order(browser, live_server, screenshots):
    link = LinkFactory()
    product = link.product
    context = open_context(browser, live_server, 375, 812, user_agent=PHONE_UA)
    page = context.new_page()
    try:
        page.goto(f"/r/{link.code}")
        assert page.url.endswith(f"/p/{product.pk}/")
        screenshots(page, "product-from-link")
        page.get_by_role("button", name="Add to cart").click()
        page.get_by_role("link", name=f"Check out with {product.shop.name}").click()
        for field, value in {"email": "bea@example.net", "name": "Bea Buyer", "address_line1": "1 Main St",
                             "postal_code": "12345", "city": "Springfield", "card_number": "4242424242424242",
                             "expiry": "12/39", "cvc": "123"}.items():
            page.locator(f"#id_{field}").fill(value)
        page.locator("#id_country").select_option("US")
        page.get_by_role("button", name="Pay and place order").click()
        page.get_by_role("heading", name="Thank you, Bea Buyer!").wait_for()
        screenshots(page, "confirmation")
    finally:
        context.close()
    click = Click.objects.get()
    conversion = Conversion.objects.get()
    assert (click.link, click.is_bot, conversion.outcome, conversion.click_id) == (link, False, "attributed", click.pk)
    stats = DailyLinkStats.objects.get(link=link)
    assert (stats.clicks, stats.unique_clicks, stats.orders, stats.items) == (1, 1, 1, 1)
    assert stats.gmv == product.price == Decimal("20.00")
