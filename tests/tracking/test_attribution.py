"""Who gets the credit for an order: the last eligible click in the buyer's cookie."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from affiliates import services as affiliate_services
from affiliates.models import Collaboration
from shops import services as shop_services
from tests.factories import (
    BUYER,
    CreatorFactory,
    LinkFactory,
    ProductFactory,
    ProgramFactory,
    UserFactory,
    collaboration,
    open_product,
)
from tracking import redirect, services, signals
from tracking.models import Click, Conversion, DailyLinkStats

pytestmark = pytest.mark.django_db
O = Conversion.Outcome  # noqa: E741
CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36"


@pytest.fixture
def shop_product():
    program = ProgramFactory(attribution_window_days=14)
    product = ProductFactory(shop=program.shop, price=Decimal("40.00"))
    open_product(product, Decimal("10"))
    return program, product


def _click(link, *, ago, **flags):
    return Click.objects.create(link=link, at=timezone.now() - ago, visitor_id="v" * 32, ip_hash="h", **flags)


def _entry(click):
    return redirect.CookieClick(click_id=click.id.hex, link_id=click.link_id, at=int(click.at.timestamp()))


def _order(product, *, buyer=None, email="buyer@example.net", quantity=2):
    return shop_services.order_place(
        shop=product.shop, items={product.pk: quantity}, user=buyer,
        buyer=shop_services.BuyerDetails(**{**BUYER, "email": email}), checkout_key=f"k-{timezone.now().timestamp()}",
    )


def test_last_click_wins_across_two_creators(shop_product):
    _, product = shop_product
    first, second = LinkFactory(product=product), LinkFactory(product=product)
    older, newer = _click(first, ago=timedelta(days=3)), _click(second, ago=timedelta(hours=2))
    order = _order(product)
    conversion = services.order_attribute(order=order, cookie_clicks=[_entry(older), _entry(newer)])
    assert (conversion.outcome, conversion.creator, conversion.click_id) == (O.ATTRIBUTED, second.creator, newer.id)
    stats = DailyLinkStats.objects.get(link=second)
    assert (stats.orders, stats.items, stats.gmv) == (1, 2, Decimal("80.00"))


def test_attributing_twice_keeps_the_first_answer(shop_product):
    _, product = shop_product
    link = LinkFactory(product=product)
    entry = _entry(_click(link, ago=timedelta(hours=1)))
    order = _order(product)
    first = services.order_attribute(order=order, cookie_clicks=[entry])
    again = services.order_attribute(order=order, cookie_clicks=[])
    assert first.pk == again.pk and again.outcome == O.ATTRIBUTED
    assert DailyLinkStats.objects.get(link=link).orders == 1


@pytest.mark.parametrize(("ago", "outcome"), [
    (timedelta(days=13, hours=23), O.ATTRIBUTED),
    (timedelta(days=14, minutes=1), O.OUTSIDE_WINDOW),
])
def test_the_attribution_window(shop_product, ago, outcome):
    _, product = shop_product
    click = _click(LinkFactory(product=product), ago=ago)
    assert services.order_attribute(order=_order(product), cookie_clicks=[_entry(click)]).outcome == outcome


def test_a_newer_flagged_click_gives_way_to_an_older_clean_one(shop_product):
    _, product = shop_product
    clean_link, bot_link = LinkFactory(product=product), LinkFactory(product=product)
    clean = _click(clean_link, ago=timedelta(days=1))
    bot = _click(bot_link, ago=timedelta(hours=1), is_bot=True)
    conversion = services.order_attribute(order=_order(product), cookie_clicks=[_entry(clean), _entry(bot)])
    assert conversion.creator == clean_link.creator


@pytest.mark.parametrize("flag", ["is_bot", "is_prefetch", "is_burst"])
def test_only_flagged_clicks_attribute_nothing(shop_product, flag):
    _, product = shop_product
    click = _click(LinkFactory(product=product), ago=timedelta(hours=1), **{flag: True})
    assert services.order_attribute(order=_order(product), cookie_clicks=[_entry(click)]).outcome == O.FLAGGED


def test_the_creator_buying_through_their_own_link_earns_nothing(shop_product):
    _, product = shop_product
    link = LinkFactory(product=product)
    click = _click(link, ago=timedelta(hours=1))
    by_user = services.order_attribute(order=_order(product, buyer=link.creator.user, email="other@example.net"),
                                       cookie_clicks=[_entry(click)])
    by_email = services.order_attribute(order=_order(product, email=link.creator.user.email.upper()),
                                        cookie_clicks=[_entry(click)])
    assert by_user.outcome == by_email.outcome == O.SELF_REFERRAL


def test_a_collaboration_ended_before_the_click_attributes_nothing():
    program = ProgramFactory()
    product = ProductFactory(shop=program.shop)  # not open: only the collaboration allows it
    creator = CreatorFactory()
    collab = collaboration(creator, program, all_products_rate=Decimal("20"),
                           started_at=timezone.now() - timedelta(days=30))
    link = LinkFactory(product=product, creator=creator)
    before_end = _click(link, ago=timedelta(days=5))
    Collaboration.objects.filter(pk=collab.pk).update(status="ended", ended_at=timezone.now() - timedelta(days=3))
    after_end = _click(link, ago=timedelta(days=1))
    assert services.order_attribute(order=_order(product), cookie_clicks=[_entry(after_end)]).outcome == O.NOT_ELIGIBLE
    assert services.order_attribute(order=_order(product), cookie_clicks=[_entry(before_end)]).outcome == O.ATTRIBUTED


def test_a_suspended_creators_links_resolve_but_attribute_nothing(client, shop_product):
    _, product = shop_product
    link = LinkFactory(product=product)
    affiliate_services.creator_suspend(creator=link.creator, by=UserFactory(), reason="fraud")
    assert client.get(f"/r/{link.code}", HTTP_USER_AGENT=CHROME).status_code == 302
    click = Click.objects.get()
    assert services.order_attribute(order=_order(product), cookie_clicks=[_entry(click)]).outcome == O.NOT_ELIGIBLE


def test_a_program_left_before_the_click_attributes_nothing(shop_product):
    program, product = shop_product
    link = LinkFactory(product=product)
    affiliate_services.program_leave(program=program, by=UserFactory())
    program.__class__.objects.filter(pk=program.pk).update(left_at=timezone.now() - timedelta(hours=1))
    click = _click(link, ago=timedelta(minutes=10))
    assert services.order_attribute(order=_order(product), cookie_clicks=[_entry(click)]).outcome == O.NOT_ELIGIBLE


def test_clicks_on_another_shops_links_are_not_this_orders(shop_product):
    _, product = shop_product
    elsewhere = _click(LinkFactory(), ago=timedelta(hours=1))
    assert services.order_attribute(order=_order(product), cookie_clicks=[_entry(elsewhere)]).outcome == O.NO_CLICK


def test_a_forged_cookie_entry_for_someone_elses_click_counts_nothing(shop_product):
    _, product = shop_product
    real = _click(LinkFactory(product=product), ago=timedelta(hours=1))
    other_link = LinkFactory(product=product)
    forged = redirect.CookieClick(click_id=real.id.hex, link_id=other_link.pk, at=int(real.at.timestamp()))
    assert services.order_attribute(order=_order(product), cookie_clicks=[forged]).outcome != O.ATTRIBUTED


def test_from_link_to_checkout_through_the_site(client, shop_product, django_capture_on_commit_callbacks):
    """The whole path: click the link, add to cart, check out; the order is attributed."""
    _, product = shop_product
    link = LinkFactory(product=product)
    created = []
    signals.conversion_created.connect(lambda sender, conversion, **kw: created.append(conversion.pk),
                                       weak=False, dispatch_uid="t")
    try:
        assert client.get(f"/r/{link.code}", HTTP_USER_AGENT=CHROME)["Location"] == f"/p/{product.pk}/"
        client.post(reverse("shop:cart_add", args=[product.pk]), {"quantity": 1})
        form = client.get(reverse("shop:checkout", args=[product.shop.slug])).context["form"]
        data = {**BUYER, "card_number": "4242424242424242", "expiry": "12/39", "cvc": "123",
                "checkout_key": form.initial["checkout_key"]}
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("shop:checkout", args=[product.shop.slug]), data)
    finally:
        signals.conversion_created.disconnect(dispatch_uid="t")
    conversion = Conversion.objects.get()
    assert (conversion.outcome, conversion.link) == (O.ATTRIBUTED, link)
    assert created == [conversion.pk]
    stats = DailyLinkStats.objects.get(link=link)
    assert (stats.clicks, stats.unique_clicks, stats.orders, stats.gmv) == (1, 1, 1, Decimal("40.00"))


def test_an_order_without_the_cookie_is_recorded_as_organic(client, django_capture_on_commit_callbacks):
    product = ProductFactory()
    client.post(reverse("shop:cart_add", args=[product.pk]), {"quantity": 1})
    form = client.get(reverse("shop:checkout", args=[product.shop.slug])).context["form"]
    data = {**BUYER, "card_number": "4242424242424242", "expiry": "12/39", "cvc": "123",
            "checkout_key": form.initial["checkout_key"]}
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("shop:checkout", args=[product.shop.slug]), data)
    assert Conversion.objects.get().outcome == O.NO_CLICK


def test_the_cookie_survives_login_during_checkout(client, shop_product, django_capture_on_commit_callbacks):
    _, product = shop_product
    link = LinkFactory(product=product)
    client.get(f"/r/{link.code}", HTTP_USER_AGENT=CHROME)
    buyer = UserFactory()
    client.post(reverse("account_login"), {"login": buyer.email, "password": "correct-horse-battery"})
    assert redirect.ATTRIBUTION_COOKIE in client.cookies
    client.post(reverse("shop:cart_add", args=[product.pk]), {"quantity": 1})
    form = client.get(reverse("shop:checkout", args=[product.shop.slug])).context["form"]
    data = {**BUYER, "email": buyer.email, "card_number": "4242424242424242", "expiry": "12/39", "cvc": "123",
            "checkout_key": form.initial["checkout_key"]}
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("shop:checkout", args=[product.shop.slug]), data)
    assert Conversion.objects.get().outcome == O.ATTRIBUTED


def test_old_raw_clicks_are_pruned_but_rollups_stay(settings):
    settings.TRACKING_CLICK_RETENTION_DAYS = 180
    link = LinkFactory()
    from tracking.clicks import ClickData, clicks_store

    # Old enough that its whole month is past retention: PostgreSQL drops clicks by month
    # (tests/tracking/test_partitions.py has a month only partly past it).
    old = timezone.now() - timedelta(days=250)
    clicks_store([ClickData(id="a" * 32, link_id=link.pk, at=old.timestamp(), visitor_id="v", ip_hash="h",
                            user_agent=CHROME, referrer="", is_bot=False, is_prefetch=False)])
    _click(link, ago=timedelta(days=1))
    assert services.clicks_prune() == 1
    assert Click.objects.count() == 1
    assert DailyLinkStats.objects.get(day=old.date()).clicks == 1
