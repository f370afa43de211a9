"""Creator codes at checkout (validation, discount maths per currency, precedence over a
link click, self-referral, the usage limit under concurrency), content pieces with their
own links through /r/, per-content reports against the raw rows, and samples fulfilled
by registered content."""

import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import close_old_connections
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from affiliates import selectors as affiliate_selectors
from affiliates import services as affiliate_services
from affiliates.models import CreatorCode, SampleRequest
from payouts import services as payout_services
from payouts.models import Commission
from shops import services as shop_services
from shops.codes import code_book
from shops.models import Order
from tests.factories import (
    BUYER,
    CreatorFactory,
    LinkFactory,
    ProductFactory,
    ProgramFactory,
    ShopMembershipFactory,
    open_product,
)
from tests.tracking.test_attribution import CHROME
from tracking import selectors, services
from tracking.models import Click, ContentDaily, Conversion
from tracking.periods import Period
from tracking.redirect import CookieClick

pytestmark = pytest.mark.django_db
D = Decimal
TODAY = timezone.now().date()


def _program(currency="USD", **kwargs):
    return ProgramFactory(shop__currency=currency, **kwargs)


@pytest.fixture
def world():
    """A USD shop with two products open at 10 %, a creator with links and a code MIKA10
    giving 10 % off, at most $15."""
    program = _program()
    lamp = ProductFactory(shop=program.shop, price=D("40.00"), title="Lamp")
    mug = ProductFactory(shop=program.shop, price=D("7.99"), title="Mug")
    open_product(lamp)
    open_product(mug)
    creator = CreatorFactory(handle="mika")
    link = LinkFactory(creator=creator, product=lamp)
    code = affiliate_services.code_create(creator=creator, program=program, code="mika10")
    code = _terms(code, kind="percent", value="10", cap="15")
    return {"program": program, "lamp": lamp, "mug": mug, "creator": creator, "link": link, "code": code,
            "seller": ShopMembershipFactory(shop=program.shop).user}


def _terms(code, *, kind="percent", value="10", cap=None, starts=None, ends=None, limit=None, active=True):
    return affiliate_services.code_update(
        code=code, by=code.creator.user, discount_kind=kind, discount_value=D(value),
        discount_cap=D(cap) if cap else None, starts_on=starts, ends_on=ends, usage_limit=limit, is_active=active)


def _order(product_lines, *, code="", cookie=(), email=BUYER["email"], key=None, pay=True):
    shop = product_lines[0][0].shop
    order = shop_services.order_place(shop=shop, items={p.pk: q for p, q in product_lines}, code=code,
                                      buyer=shop_services.BuyerDetails(**{**BUYER, "email": email}),
                                      checkout_key=key or f"k{timezone.now().timestamp()}{id(product_lines)}")
    if pay:
        order = shop_services.order_pay(order=order, card_number="4242424242424242")
    services.order_attribute(order=Order.objects.get(pk=order.pk), cookie_clicks=list(cookie))
    return Order.objects.get(pk=order.pk)


# --------------------------------------------------------------------------------------
# Codes: what a buyer may type
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["MIKA10", "mika10", " Mika10 ", "mi ka10", "\tMIKA10\n"])
def test_a_code_is_case_and_space_insensitive(world, typed):
    assert code_book().offer(shop_id=world["program"].shop_id, text=typed).code == "MIKA10"


@pytest.mark.parametrize(("setup", "message"), [
    ("unknown", "There is no code NOPE10 at this shop."),
    ("expired", "ended on"),
    ("not yet", "works from"),
    ("over limit", "used as often as the shop allows"),
    ("switched off", "no longer valid"),
    ("other shop", "There is no code MIKA10 at this shop."),
    ("bad shape", "codes are 4 to 20 letters and digits"),
    ("nul", "codes are 4 to 20 letters and digits"),
    ("suspended creator", "no longer valid"),
])
def test_codes_that_give_nothing_say_why_and_store_nothing(world, setup, message):
    code, shop, typed = world["code"], world["program"].shop, "MIKA10"
    if setup == "unknown":
        typed = "nope10"
    elif setup == "expired":
        _terms(code, ends=TODAY - timedelta(days=1))
    elif setup == "not yet":
        _terms(code, starts=TODAY + timedelta(days=1))
    elif setup == "over limit":
        CreatorCode.objects.filter(pk=code.pk).update(uses=2, usage_limit=2)
    elif setup == "switched off":
        _terms(code, active=False)
    elif setup == "other shop":
        shop = _program().shop
    elif setup == "bad shape":
        typed = "M!"
    elif setup == "nul":
        typed = "MIKA\x0010"
    elif setup == "suspended creator":
        affiliate_services.creator_suspend(creator=world["creator"], by=world["seller"], reason="Fraud")
    with pytest.raises(ValidationError) as refused:
        code_book().offer(shop_id=shop.pk, text=typed)
    assert message in " ".join(refused.value.messages)
    if setup != "other shop":
        with pytest.raises(shop_services.CheckoutError):
            _order([(world["lamp"], 1)], code=typed)
        assert not Order.objects.exists()
        assert CreatorCode.objects.get(pk=code.pk).uses == (2 if setup == "over limit" else 0)


def test_creators_choose_or_get_a_code_unique_per_shop(world):
    other = CreatorFactory(handle="leo-lifts")
    LinkFactory(creator=other, product=world["lamp"])
    with pytest.raises(ValidationError, match="taken"):
        affiliate_services.code_create(creator=other, program=world["program"], code="Mika10")
    with pytest.raises(ValidationError, match="letters and digits"):
        affiliate_services.code_create(creator=other, program=world["program"], code="<b>x</b>")
    made = affiliate_services.code_create(creator=other, program=world["program"])
    assert made.code == "LEOLIFTS10"
    with pytest.raises(ValidationError, match="already have a code"):
        affiliate_services.code_create(creator=other, program=world["program"], code="LEO2")
    stranger = CreatorFactory()
    closed = _program(requires_approval=True)
    with pytest.raises(ValidationError, match="apply first"):
        affiliate_services.code_create(creator=stranger, program=closed)


# --------------------------------------------------------------------------------------
# Discount maths
# --------------------------------------------------------------------------------------


def test_a_percent_code_discounts_the_items_split_over_the_lines(world):
    order = _order([(world["lamp"], 1), (world["mug"], 3)], code="mika10")  # 40.00 + 23.97 = 63.97
    lines = {line.title: line for line in order.lines.all()}
    assert order.discount == D("6.40") and order.code == "MIKA10"  # 10 % of 63.97 = 6.397, rounded once
    assert lines["Lamp"].discount + lines["Mug"].discount == order.discount
    assert lines["Lamp"].discount == D("4.00") and lines["Mug"].discount == D("2.40")
    assert order.total == order.subtotal - order.discount + order.shipping + order.tax
    assert lines["Lamp"].net_amount == D("36.00") and lines["Mug"].net_amount == D("21.57")
    assert CreatorCode.objects.get(pk=world["code"].pk).uses == 1


def test_the_cap_limits_a_percent_discount(world):
    order = _order([(world["lamp"], 5)], code="MIKA10")  # 10 % of 200 = 20, capped at 15
    assert order.discount == D("15.00") and order.lines.get().net_amount == D("185.00")


def test_yen_discounts_are_whole_yen():
    program = _program("JPY")
    tea = ProductFactory(shop=program.shop, price=D("1086"))
    cup = ProductFactory(shop=program.shop, price=D("333"))
    open_product(tea)
    creator = CreatorFactory()
    LinkFactory(creator=creator, product=tea)
    code = _terms(affiliate_services.code_create(creator=creator, program=program, code="YEN7"), value="7")
    order = _order([(tea, 1), (cup, 1)], code=code.code)  # 7 % of 1,419 = 99.33 -> 99
    discounts = [line.discount for line in order.lines.order_by("pk")]
    assert order.discount == D("99") and sum(discounts) == D("99") and all(d == d.to_integral() for d in discounts)


def test_a_fixed_discount_never_exceeds_the_items(world):
    _terms(world["code"], kind="fixed", value="100")
    order = _order([(world["mug"], 1)], code="MIKA10")
    assert order.discount == D("7.99") and order.lines.get().net_amount == D("0.00")


def test_commission_is_on_what_the_buyer_paid_after_the_discount(world):
    order = _order([(world["lamp"], 1)], code="MIKA10")
    payout_services.commissions_create_for_orders(order_ids=[order.pk])
    commission = Commission.objects.get(order=order)
    assert commission.base == D("36.00") and commission.amount == D("3.60")


# --------------------------------------------------------------------------------------
# Attribution: the code wins
# --------------------------------------------------------------------------------------


def _clicked(client, link, tag=""):
    path = f"/r/{link.code}/{tag}" if tag else f"/r/{link.code}"
    assert client.get(path, HTTP_USER_AGENT=CHROME).status_code == 302
    click = Click.objects.filter(link=link).latest("at")
    return [CookieClick(click_id=click.pk.hex, link_id=link.pk, at=int(click.at.timestamp()))]


def test_the_code_wins_over_another_creators_link_click(client, world):
    rival = LinkFactory(product=world["lamp"])
    order = _order([(world["lamp"], 1)], code="MIKA10", cookie=_clicked(client, rival))
    conversion = order.conversion
    assert conversion.outcome == Conversion.Outcome.ATTRIBUTED and conversion.via == Conversion.Via.CODE
    assert conversion.creator == world["creator"] and conversion.code == world["code"]
    assert "MIKA10" in conversion.note and "wins over any link click" in conversion.note
    client.force_login(world["seller"])
    assert "Code MIKA10" in client.get(reverse("seller:affiliate_orders")).content.decode()


def test_without_a_code_the_click_still_decides(client, world):
    rival = LinkFactory(product=world["lamp"])
    conversion = _order([(world["lamp"], 1)], cookie=_clicked(client, rival)).conversion
    assert conversion.via == Conversion.Via.LINK and conversion.creator == rival.creator


def test_a_creator_using_their_own_code_earns_nothing(world):
    order = _order([(world["lamp"], 1)], code="MIKA10", email=world["creator"].user.email)
    conversion = order.conversion
    assert conversion.outcome != Conversion.Outcome.ATTRIBUTED and conversion.creator is None
    assert "the buyer is the creator" in conversion.note
    payout_services.commissions_create_for_orders(order_ids=[order.pk])
    assert not Commission.objects.exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_checkouts_at_the_usage_limit_never_overshoot():
    program = _program()
    products = [ProductFactory(shop=program.shop, price=D("10.00")) for _ in range(8)]
    for product in products:
        open_product(product)
    creator = CreatorFactory()
    LinkFactory(creator=creator, product=products[0])
    code = _terms(affiliate_services.code_create(creator=creator, program=program, code="RUSH"), limit=3)
    barrier, results = threading.Barrier(len(products)), []

    def buy(product, index):
        close_old_connections()
        try:
            barrier.wait()
            shop_services.order_place(shop=program.shop, items={product.pk: 1}, code="rush",
                                      buyer=shop_services.BuyerDetails(**BUYER), checkout_key=f"rush-{index}")
            results.append("ok")
        except shop_services.CheckoutError as exc:
            results.append(exc.messages[0])
        except Exception as exc:  # noqa: BLE001 - anything else is the failure to see
            results.append(repr(exc))
        finally:
            close_old_connections()

    threads = [threading.Thread(target=buy, args=(product, index)) for index, product in enumerate(products)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert results.count("ok") == 3 and len(results) == 8, results
    assert all("used as often as the shop allows" in result for result in results if result != "ok"), results
    assert CreatorCode.objects.get(pk=code.pk).uses == 3 == Order.objects.filter(code="RUSH").count()


def test_a_failed_payment_gives_the_use_back(world):
    _terms(world["code"], limit=1)
    order = shop_services.order_place(shop=world["program"].shop, items={world["lamp"].pk: 1}, code="MIKA10",
                                      buyer=shop_services.BuyerDetails(**BUYER), checkout_key="declined")
    assert CreatorCode.objects.get(pk=world["code"].pk).uses == 1
    with pytest.raises(shop_services.CheckoutError):
        shop_services.order_pay(order=order, card_number="4000000000000002")
    assert CreatorCode.objects.get(pk=world["code"].pk).uses == 0


# --------------------------------------------------------------------------------------
# Content pieces
# --------------------------------------------------------------------------------------


@pytest.fixture
def post(world):
    content = services.content_register(creator=world["creator"], url="https://www.tiktok.com/@mika/video/1",
                                        title="Desk tour", products=[world["lamp"], world["mug"]])
    return content


def test_registering_a_post_makes_its_links_with_the_posts_tag(world, post):
    assert post.platform == "TikTok"
    links = selectors.content_links(content=post)
    assert [(product.title, path) for product, path in links] == [
        ("Lamp", f"/r/{world['link'].code}/{post.tag}"),
        ("Mug", f"/r/{world['creator'].links.get(product=world['mug']).code}/{post.tag}")]


def test_clicks_and_orders_through_a_post_add_up_per_post(client, world, post):
    cookie = _clicked(client, world["link"], post.tag)
    for _ in range(2):
        client.cookies.clear()
        _clicked(client, world["link"], post.tag)
    _clicked(client, world["link"])  # the plain link: not the post's
    order = _order([(world["lamp"], 2)], cookie=cookie)
    payout_services.commissions_create_for_orders(order_ids=[order.pk])
    assert order.conversion.content == post
    raw_clicks = Click.objects.filter(content=post).count()
    raw_orders = Conversion.objects.filter(content=post, outcome=Conversion.Outcome.ATTRIBUTED)
    raw_gmv = sum(line.net_amount for c in raw_orders for line in c.order.lines.all())
    raw_commission = sum(c.amount for c in Commission.objects.filter(order__conversion__content=post))
    [row] = selectors.content_report(scope=Q(shop=world["program"].shop), period=_period())
    assert (row["clicks"], row["orders"], row["gmv"], row["commission"]) == (
        raw_clicks, raw_orders.count(), raw_gmv, raw_commission) == (3, 1, D("80.00"), D("8.00"))
    assert ContentDaily.objects.get().creator == world["creator"]


def _period():
    return Period(start=TODAY - timedelta(days=29), end=TODAY)


def test_another_creators_tag_is_dropped_but_the_click_counts(client, world):
    theirs = services.content_register(creator=(other := CreatorFactory()), url="https://youtu.be/x",
                                       title="Theirs", products=[LinkFactory(creator=other).product])
    _clicked(client, world["link"], theirs.tag)
    _clicked(client, world["link"], "zzzzzzzzzz")  # not even a tag
    assert Click.objects.filter(link=world["link"]).count() == 2
    assert not Click.objects.filter(content__isnull=False).exists()


def test_a_code_order_after_the_creators_post_counts_for_both(client, world, post):
    cookie = _clicked(client, world["link"], post.tag)
    conversion = _order([(world["lamp"], 1)], code="MIKA10", cookie=cookie).conversion
    assert conversion.via == Conversion.Via.CODE and conversion.content == post


def test_orders_by_code_count_in_the_rollups_and_the_migration_backfills_them(client, world, post):
    """Dashboards read orders by link and by code from the rollups; the migration that added
    those counters counted the orders before it, on the same rows."""
    import importlib

    from django.apps import apps

    from tracking.models import DailyLinkStats, ShopAffiliateDaily

    by_code = [_order([(world["lamp"], 2)], code="MIKA10", cookie=_clicked(client, world["link"], post.tag)),
               _order([(world["mug"], 1), (world["lamp"], 1)], code="mika10", email="b2@example.net")]
    by_link = _order([(world["lamp"], 1)], cookie=_clicked(client, world["link"]), email="b3@example.net")
    assert {o.conversion.via for o in by_code} == {"code"} and by_link.conversion.via == "link"
    code_gmv = sum(line.net_amount for order in by_code for line in order.lines.all())
    period = Period(start=TODAY, end=TODAY)
    expected = {"link": {"orders": 1, "gmv": sum(line.net_amount for line in by_link.lines.all())},
                "code": {"orders": 2, "gmv": code_gmv}}
    shop = Q(shop=world["program"].shop)
    assert selectors.orders_by_channel(scope=shop, period=period, model=ShopAffiliateDaily) == expected
    assert selectors.orders_by_channel(scope=Q(creator=world["creator"]), period=period) == expected
    assert ContentDaily.objects.get(content=post).code_orders == 1

    for model in (DailyLinkStats, ShopAffiliateDaily, ContentDaily):
        model.objects.update(code_orders=0, code_gmv=0)
    importlib.import_module("tracking.migrations.0009_code_orders_in_rollups").backfill(apps, None)
    assert selectors.orders_by_channel(scope=shop, period=period, model=ShopAffiliateDaily) == expected
    assert ContentDaily.objects.get(content=post).code_orders == 1


@pytest.mark.parametrize(("field", "value", "error"), [
    ("url", "javascript:alert(1)", "web address"), ("url", "", "web address"), ("title", "  ", "title"),
])
def test_bad_posts_are_refused_and_nothing_stored(world, field, value, error):
    data = {"url": "https://x.com/mika/1", "title": "Post", "products": [world["lamp"]], field: value}
    with pytest.raises(ValidationError, match=error):
        services.content_register(creator=world["creator"], **data)
    assert not world["creator"].contents.exists()


def test_a_post_cannot_feature_a_product_the_creator_may_not_promote(world):
    closed = ProductFactory(shop=world["program"].shop)  # not open
    with pytest.raises(ValidationError, match="cannot promote"):
        services.content_register(creator=world["creator"], url="https://x.com/1", title="P", products=[closed])


# --------------------------------------------------------------------------------------
# Samples fulfilled by content
# --------------------------------------------------------------------------------------


def _delivered_sample(world):
    sample = affiliate_services.sample_request_create(creator=world["creator"], product=world["lamp"],
                                                      shipping_address="1 Main St")
    sample = affiliate_services.sample_approve(sample=sample, by=world["seller"])
    sample = affiliate_services.sample_ship(sample=sample, by=world["seller"], tracking_number="T1")
    return affiliate_services.sample_mark_delivered(sample=sample, by=world["creator"].user)


def test_registering_a_post_with_the_samples_product_fulfils_it(world):
    sample = _delivered_sample(world)
    post = services.content_register(creator=world["creator"], url="https://x.com/mika/9", title="Review",
                                     products=[world["lamp"]])
    sample.refresh_from_db()
    assert sample.status == SampleRequest.Status.FULFILLED and sample.content == post
    assert sample.content_url == post.url


def test_the_fulfilment_rate_counts_only_samples_fulfilled_by_content(world):
    _delivered_sample(world)
    services.content_register(creator=world["creator"], url="https://x.com/mika/9", title="Review",
                              products=[world["lamp"]])
    second = _delivered_sample(world)
    SampleRequest.objects.filter(pk=second.pk).update(status=SampleRequest.Status.FULFILLED)  # no content
    creator = affiliate_selectors.creators_for_sellers().get(pk=world["creator"].pk)
    assert creator.samples_fulfilled == 1


def test_posting_a_samples_content_from_the_inbox_registers_the_post(client, world):
    sample = _delivered_sample(world)
    client.force_login(world["creator"].user)
    client.post(reverse("creator:sample_update", args=[sample.pk, "content"]),
                {"content_url": "https://www.instagram.com/p/abc/"})
    sample.refresh_from_db()
    assert sample.status == SampleRequest.Status.FULFILLED
    assert sample.content.platform == "Instagram" and list(sample.content.products.all()) == [world["lamp"]]
