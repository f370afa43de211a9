"""The dashboards on a 375 px screen: charts render, the period selector works, CSV downloads."""

import pytest
from django.core.management import call_command

from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_seller_and_creator_homes_on_a_phone(new_page, screenshots, tmp_path):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115, PTH123
    page = new_page(375, 812)
    log_in(page, "tokyo.tea@example.com", "demo-pass-2026")
    page.goto("/seller/")
    page.locator("#id_days").select_option("7")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**/seller/?*days=7*")
    assert page.evaluate("Chart.getChart(document.getElementById('chart-gmv')) !== undefined")
    assert page.evaluate("Chart.getChart(document.getElementById('chart-clicks')) !== undefined")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    screenshots(page, "seller-home")
    page.goto("/seller/affiliates/orders/")
    page.get_by_role("button", name="Filters").click()  # folded on phones
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV", exact=True).click()  # not an order number with CSV in it
    text = open(download.value.path(), encoding="utf-8").read()  # noqa: PTH123, SIM115
    assert text.startswith("Date,Order,Creator") and "@" in text

    page = new_page(375, 812)
    log_in(page, "mika.makes@example.com", "demo-pass-2026")
    page.goto("/creator/")
    assert page.evaluate("Chart.getChart(document.getElementById('chart-creator')) !== undefined")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    screenshots(page, "creator-home")
