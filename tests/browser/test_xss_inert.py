"""XSS payloads stored where people type (shop and product names, descriptions, creator
names and bios, messages, reasons, buyer names and addresses) and reflected in searches
stay inert in real Chromium: no script runs, no dialog opens, and the payload reads as
text where a person typed it. tests/security/test_bad_input.py sends the same payloads
through every form; this test looks at the pages the way a person sees them.

The browser here ignores the Content-Security-Policy (which would block inline scripts
on its own), so what is tested is the escaping; CSP is the second line, tested in
tests/security/test_headers.py."""

from decimal import Decimal

import pytest
from django.urls import reverse

from affiliates import services as affiliate_services
from shops import services as shop_services
from tests.factories import (
    BUYER,
    CreatorFactory,
    ProductFactory,
    ProgramFactory,
    ShopMembershipFactory,
    UserFactory,
    open_product,
    paid_order,
)

from .conftest import log_in, open_context

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PAYLOAD = '<script>window.__xss=1;alert(1)</script><img src=x onerror="window.__xss=1;alert(2)">'


@pytest.fixture
def world():
    program = ProgramFactory(shop__name=f"Tea {PAYLOAD}"[:80])
    seller = ShopMembershipFactory(shop=program.shop).user
    product = ProductFactory(shop=program.shop, title=f"Cup {PAYLOAD}",
                             description=f"<p>A good cup.</p>{PAYLOAD}<a href=\"javascript:alert(3)\">more</a>")
    open_product(product, Decimal("12"))
    creator = CreatorFactory(display_name=f"Leo {PAYLOAD}"[:80], bio=f"Hi {PAYLOAD}")
    affiliate_services.showcase_add(creator=creator, product=product)
    affiliate_services.invitation_send(program=program, creators=[creator], by=seller, message=f"Join {PAYLOAD}",
                                       all_products_rate=Decimal("15"))
    affiliate_services.application_submit(creator=CreatorFactory(), program=program, product=product,
                                          message=f"Pick me {PAYLOAD}")
    order = paid_order((product, 1), buyer={**BUYER, "name": f"Bea {PAYLOAD}"[:100],
                                            "address_line1": f"1 {PAYLOAD}"[:200]})
    rejected = ProductFactory(shop=program.shop, status="in_review", title="Plain pot")
    staff = UserFactory(is_staff=True, is_superuser=True)
    shop_services.product_reject(product=rejected, by=staff, reason=f"Blurry {PAYLOAD}")
    return {"seller": seller, "creator": creator, "staff": staff, "product": product, "order": order}


@pytest.fixture
def watched(browser, live_server):
    """Pages that ignore CSP and record (and dismiss) every dialog they open; one context each."""
    contexts = []

    def make(width=1280, height=900):
        context = open_context(browser, live_server, width, height, bypass_csp=True)
        contexts.append(context)
        page = context.new_page()
        page.dialogs = []
        page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
        return page

    yield make
    for context in contexts:
        context.close()


def _inert(page, path, *, shows_text=True):
    """Open the page; nothing ran, and (where a person typed it) the payload is visible text."""
    page.goto(path)
    page.wait_for_load_state("load")
    assert page.evaluate("() => window.__xss") is None, f"a payload ran on {path}"
    assert page.dialogs == [], f"a payload opened a dialog on {path}: {page.dialogs}"
    if shows_text:
        assert page.get_by_text("<script>window.__xss=1;alert(1)</script>", exact=False).count() > 0, path


def test_payloads_are_inert_for_buyers_sellers_creators_and_staff(watched, world, screenshots):
    product, creator, order = world["product"], world["creator"], world["order"]

    buyer = watched(375, 812)
    _inert(buyer, reverse("shop:product", args=[product.pk]))
    screenshots(buyer, "product")
    _inert(buyer, reverse("shop:shop", args=[product.shop.slug]))
    _inert(buyer, f"/@{creator.handle}/")
    _inert(buyer, reverse("shop:feed") + "?q=" + PAYLOAD.replace("&", "%26"), shows_text=False)

    seller = watched()
    log_in(seller, world["seller"].email)
    for path in [reverse("seller:product_list"), reverse("seller:order_detail", args=[order.pk]),
                 reverse("seller:applications"), reverse("seller:invitations"),
                 reverse("seller:creator_detail", args=[creator.handle])]:
        _inert(seller, path)
    screenshots(seller, "seller-creator-detail")

    creator_page = watched()
    log_in(creator_page, creator.user.email)
    for path in [reverse("creator:inbox"), reverse("creator:marketplace_product", args=[product.pk]),
                 reverse("creator:profile"), reverse("creator:home")]:
        _inert(creator_page, path)

    ops = watched()
    log_in(ops, world["staff"].email)
    for path in [reverse("admin:shops_order_change", args=[order.pk]), reverse("admin:affiliates_creator_changelist"),
                 reverse("admin:shops_product_changelist"), reverse("admin:affiliates_application_changelist")]:
        _inert(ops, path)
    screenshots(ops, "ops-order")


def test_what_a_creator_typed_into_a_help_text_stays_text(watched, screenshots):
    """The profile's help text repeats the saved payout account (masked). Markup typed
    into the account was rendered as markup there: a live <img> on the creator's page."""
    creator = CreatorFactory(payout_method="bank")
    page = watched()
    log_in(page, creator.user.email)
    page.goto(reverse("creator:profile"))
    page.locator("#id_payout_method").select_option("bank")
    page.locator("#id_payout_account").fill('a@<img src=x onerror="window.__xss=1">')
    page.get_by_role("button", name="Save").click()
    _inert(page, reverse("creator:profile"), shows_text=False)
    help_text = page.locator("#id_payout_account_help")
    assert help_text.locator("img").count() == 0
    assert "<img src=x" in help_text.inner_text()
    screenshots(page, "profile-help-text")
