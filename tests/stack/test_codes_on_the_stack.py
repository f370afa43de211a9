"""Creator codes and content links on the production stack: buyers follow a creator's post
and another creator's link, enter the first creator's code and pay at the same time over
HTTP; the worker attributes. The code wins over the other creator's click, the post gets
its orders, the usage limit holds under concurrency, and every commission arrives."""

import random
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest

from affiliates import services as affiliate_services
from common.money import money_round
from payouts.models import Commission
from shops.models import Order
from tests.factories import (
    ActiveShopFactory,
    CreatorFactory,
    LinkFactory,
    ProductFactory,
    ProgramFactory,
    open_product,
)
from tracking import services as tracking_services
from tracking.models import ContentDaily, Conversion

from .stack import Browser, production_stack, wait_for

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]
D = Decimal
LIMIT, CODE_BUYERS, LINK_BUYERS = 6, 9, 4


@pytest.fixture
def stack(static_root):
    with production_stack(static_root=static_root) as running:
        yield running


def test_codes_win_hold_their_limit_and_posts_get_their_orders(stack):
    shop = ActiveShopFactory(return_window_days=0, shipping_fee=D("0"), tax_rate=D("0"))
    ProgramFactory(shop=shop, default_rate=D("10"), hold_days=0)
    lamp = ProductFactory(shop=shop, title="Stack Lamp", price=D("40.00"), stock=1000)
    open_product(lamp)
    mika, rival = CreatorFactory(handle="stackmika"), CreatorFactory(handle="stackrival")
    mika_link, rival_link = LinkFactory(creator=mika, product=lamp), LinkFactory(creator=rival, product=lamp)
    code = affiliate_services.code_create(creator=mika, program=shop.affiliate_program, code="STACK10")
    affiliate_services.code_update(code=code, by=mika.user, discount_kind="percent", discount_value=D("10"),
                                   discount_cap=None, starts_on=None, ends_on=None, usage_limit=LIMIT,
                                   is_active=True)
    post = tracking_services.content_register(creator=mika, url="https://www.tiktok.com/@stackmika/video/1",
                                              title="Stack post", products=[lamp])
    rng = random.Random(3)
    # Code buyers come through Mika's post or through the rival's link; link buyers use Mika's post only.
    plan = ([(i, rng.choice([f"/r/{mika_link.code}/{post.tag}", f"/r/{rival_link.code}"]), "stack10")
             for i in range(CODE_BUYERS)]
            + [(CODE_BUYERS + i, f"/r/{mika_link.code}/{post.tag}", "") for i in range(LINK_BUYERS)])

    def buyer(args):
        i, path, typed = args
        browser = Browser(stack.base, ip=f"10.2.0.{i + 1}")
        assert browser.get(path).status == 200
        page = browser.buy(product_id=lamp.pk, shop_slug=shop.slug, email=f"code.buyer{i}@example.net", code=typed)
        return i, page

    with ThreadPoolExecutor(max_workers=4) as pool:
        pages = dict(pool.map(buyer, plan))

    orders = {order.email: order for order in Order.objects.filter(shop=shop)}
    with_code = [order for order in orders.values() if order.code == "STACK10"]
    assert len(with_code) == LIMIT  # never more than the limit
    # Buyers past the limit are told at checkout, or find the code gone from their cart (it
    # was used up while they shopped) and buy without it.
    refused = [i for i, page in pages.items() if "Thank you" not in page.body]
    assert all("used as often as the shop allows" in pages[i].body for i in refused)
    assert len(orders) == LIMIT + LINK_BUYERS + (CODE_BUYERS - LIMIT - len(refused))
    for order in with_code:
        assert order.discount == D("4.00") and order.total == D("36.00")

    wait_for(lambda: Commission.objects.filter(shop=shop).count() == len(orders), seconds=15, stack=stack,
             message=lambda: f"{Commission.objects.filter(shop=shop).count()} of {len(orders)} commissions")
    conversions = {c.order_id: c for c in Conversion.objects.filter(order__shop=shop)}
    for order in with_code:
        conversion = conversions[order.pk]
        assert (conversion.via, conversion.creator_id, conversion.code_id) == ("code", mika.pk, code.pk)
    # Without the code, the click decides: Mika's post, or the rival's link.
    clicked = {f"code.buyer{i}@example.net": path for i, path, _ in plan}
    for order in orders.values():
        if not order.code:
            owner = mika if clicked[order.email].startswith(f"/r/{mika_link.code}") else rival
            assert (conversions[order.pk].via, conversions[order.pk].creator_id) == ("link", owner.pk)
    assert all(c.amount == money_round(c.base * D("0.10"), "USD") for c in Commission.objects.filter(shop=shop))
    through_post = [c for c in conversions.values() if c.content_id == post.pk]
    expected_post_orders = sum(1 for email, order in orders.items() if post.tag in clicked[email])
    assert len(through_post) == expected_post_orders >= LINK_BUYERS
    row = ContentDaily.objects.get(content=post)
    assert row.orders == expected_post_orders
    assert row.commission == sum(c.amount for c in Commission.objects.filter(order__conversion__content=post))
