"""Webhooks on the production stack: buyers pay over HTTP at the same time, the worker
attributes and computes, and the worker delivers each event, signed, to a receiver on
127.0.0.1, exactly once per event."""

import json
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest

from api import services, webhooks
from api.models import WebhookDelivery
from tests.api.test_webhooks import Receiver
from tests.factories import (
    ActiveShopFactory,
    LinkFactory,
    ProductFactory,
    ProgramFactory,
    ShopMembershipFactory,
    open_product,
)

from .stack import Browser, production_stack, wait_for

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]
BUYERS = 6


def test_the_worker_delivers_each_event_signed_once(static_root):
    receiver = Receiver()
    shop = ActiveShopFactory(return_window_days=0, shipping_fee=Decimal("0"), tax_rate=Decimal("0"))
    ProgramFactory(shop=shop, default_rate=Decimal("10"), hold_days=0)
    lamp = ProductFactory(shop=shop, price=Decimal("30.00"), stock=100)
    open_product(lamp)
    link = LinkFactory(product=lamp)
    seller = ShopMembershipFactory(shop=shop).user
    endpoint = services.endpoint_create(user=seller, area="seller", url=receiver.url,
                                        events=["order.attributed", "commission.created"])
    try:
        with production_stack(static_root=static_root,
                              extra_env={"WEBHOOKS_ALLOW_PRIVATE_TARGETS": "True"}) as stack:

            def buyer(i):
                browser = Browser(stack.base, ip=f"10.3.0.{i + 1}")
                assert browser.get(f"/r/{link.code}").status == 200
                page = browser.buy(product_id=lamp.pk, shop_slug=shop.slug, email=f"hook.buyer{i}@example.net")
                assert "Thank you" in page.body
                return i

            with ThreadPoolExecutor(max_workers=3) as pool:
                assert sorted(pool.map(buyer, range(BUYERS))) == list(range(BUYERS))
            wait_for(lambda: len(receiver.received) >= 2 * BUYERS, seconds=20, stack=stack,
                     message=lambda: f"{len(receiver.received)} deliveries of {2 * BUYERS}: "
                                     f"{list(WebhookDelivery.objects.values_list('event', 'status', 'error'))}")
    finally:
        receiver.close()
    bodies = [body for _, body in receiver.received]
    assert all(webhooks.verify(endpoint.secret, body, headers["Kinship-Signature"])
               for headers, body in receiver.received)
    events = Counter(json.loads(body)["type"] for body in bodies)
    assert events == {"order.attributed": BUYERS, "commission.created": BUYERS}
    assert len({json.loads(body)["id"] for body in bodies}) == 2 * BUYERS  # each event once
    assert set(WebhookDelivery.objects.values_list("status", flat=True)) == {"succeeded"}
