"""Every seller and creator page on a 390 x 844 phone: no page is wider than the screen.
Each page's screenshot is saved under test-results/phone-walk/ for a person to look at."""

import os

import pytest
from django.core.management import call_command
from django.urls import reverse

from affiliates.models import Content, CreatorCode
from config.urls import AREAS
from payouts.models import LedgerEntry
from shops.models import Order, Product, Shop
from tests.browser.conftest import log_in
from tracking.models import Link

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTH, HEIGHT = 390, 844
FOLDER = os.path.join("test-results", "phone-walk")
# The elements that scroll sideways: what overflows a box that lets it scroll.
SIDEWAYS = """[...document.querySelectorAll('body *')].filter(e => e.scrollWidth > e.clientWidth + 1
    && ['auto', 'scroll'].includes(getComputedStyle(e).overflowX))
    .map(e => e.tagName + '.' + [...e.classList].join('.') + ' ' + e.scrollWidth + '>' + e.clientWidth)"""


def _pages(area, arguments):
    """Every page of the area a person opens with GET (not the POST-only actions), with
    the arguments of the routes that take them; a new such route must be added here."""
    urls = []
    for pattern in AREAS[area]:
        view = getattr(pattern.callback, "view_class", None)
        if view is not None and not hasattr(view, "get"):
            continue
        name = f"{area}:{pattern.name}"
        if pattern.pattern.converters:
            assert name in arguments, f"say which object {name} opens in the phone walk"
            if arguments[name] is None:
                continue
            urls.append((name, reverse(name, kwargs=arguments[name])))
        else:
            urls.append((name, reverse(name)))
    return urls


def _walk(page, urls):
    os.makedirs(FOLDER, exist_ok=True)
    too_wide = []
    for name, url in urls:
        response = page.goto(url)
        assert response.status < 400, (name, url, response.status)
        assert response.headers.get("content-type", "").startswith("text/html"), (name, url)
        widths = page.evaluate("[document.scrollingElement.scrollWidth, window.innerWidth]")
        page.screenshot(path=os.path.join(FOLDER, f"{name.replace(':', '-')}.png"), full_page=True)
        if widths[0] > widths[1]:
            too_wide.append((name, url, widths))
        # Nor does anything inside it scroll sideways (a table in a scrolling box, say).
        scrolling = page.evaluate(SIDEWAYS)
        if scrolling:
            too_wide.append((name, url, scrolling))
    assert not too_wide, f"wider than a {WIDTH} px phone: {too_wide}"


def test_every_seller_and_creator_page_fits_a_phone(new_page):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115, PTH123
    shop = Shop.objects.get(slug="tokyo-tea")
    link = Link.objects.filter(creator__handle="mikamakes").order_by("pk").first()
    credit = LedgerEntry.objects.filter(creator__handle="mikamakes").order_by("pk").first()
    seller_arguments = {
        "seller:product_edit": {"pk": Product.objects.filter(shop=shop).order_by("pk").first().pk},
        "seller:order_detail": {"pk": Order.objects.filter(shop=shop).exclude(status="pending_payment")
                                .order_by("pk").first().pk},
        "seller:creator_detail": {"handle": "mikamakes"},
        "seller:code_edit": {"pk": CreatorCode.objects.get(code="MIKA10").pk},
    }
    creator_arguments = {
        "creator:marketplace_product": {"pk": link.product_id},
        "creator:sample_request": {"pk": link.product_id},
        "creator:link_detail": {"code": link.code},
        "creator:content_detail": {"pk": Content.objects.filter(creator__handle="mikamakes").first().pk},
        "creator:payout_statement": None,  # a CSV download, no page
        "creator:statement": {"month": credit.created_at.strftime("%Y-%m"), "currency": credit.currency},
    }
    page = new_page(WIDTH, HEIGHT)
    log_in(page, "tokyo.tea@example.com", "demo-pass-2026")
    _walk(page, _pages("seller", seller_arguments))
    page = new_page(WIDTH, HEIGHT)
    log_in(page, "mika.makes@example.com", "demo-pass-2026")
    _walk(page, _pages("creator", creator_arguments))
