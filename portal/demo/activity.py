"""The demo's traffic: clicks on creators' links, posts and codes, and the orders they bring."""

import random
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from affiliates import services as aff
from affiliates.models import AffiliateProgram, Creator, CreatorCode
from shops import services as shop_services
from shops.models import Order, Product
from tracking import services as track_services
from tracking.clicks import ClickData, clicks_store
from tracking.models import Click, Link
from tracking.redirect import CookieClick

from .base import HISTORY, TEST_CARD


def seed_tracking() -> None:
    """A month of clicks on Mika's and Leo's links, and orders they brought, attributed the
    way a real checkout is: through the buyer's cookie entries and order_attribute."""
    if Click.objects.exists():
        return
    rng = random.Random(7)  # noqa: S311 - demo data, not security
    now = timezone.now()
    back = HISTORY - timedelta(days=1)  # links made just after the programs began
    pairs = [("mikamakes", "tokyo-tea", 3), ("leolifts", "north-knits", 3), ("samboth", "tokyo-tea", 1)]
    for handle, shop_slug, count in pairs:
        creator = Creator.objects.get(handle=handle)
        products = list(Product.objects.filter(shop__slug=shop_slug, status=Product.Status.LIVE).order_by("pk"))
        for product in products[:count]:
            link = track_services.link_get_or_create(creator=creator, product=product, check=False)
            Link.objects.filter(pk=link.pk).update(created_at=now - back)
            batch = []
            for day in range(75, -1, -1):
                for _ in range(rng.randint(3, 25)):
                    at = now - timedelta(days=day, seconds=rng.randint(0, 80_000))
                    visitor = f"{rng.getrandbits(128):032x}"
                    batch.append(ClickData(
                        id=f"{rng.getrandbits(128):032x}", link_id=link.pk, at=at.timestamp(), visitor_id=visitor,
                        ip_hash=f"{rng.getrandbits(64):016x}", user_agent="Mozilla/5.0 (iPhone) Mobile Safari",
                        referrer="https://social.example/", is_bot=rng.random() < 0.05, is_prefetch=False))
            clicks_store(batch)
            clean = list(Click.objects.filter(link=link, is_bot=False).order_by("at"))
            for click in rng.sample(clean, k=min(len(clean), rng.randint(8, 16))):
                order = shop_services.order_place(
                    shop=product.shop, items={product.pk: rng.randint(1, 2)},
                    buyer=shop_services.BuyerDetails(email=f"buyer{click.pk.hex[:6]}@example.net", name="Demo Buyer",
                                                     address_line1="1 Main St", city="Springfield",
                                                     postal_code="12345", country="US"),
                    checkout_key=f"demo-{click.pk.hex}",
                )
                placed = min(click.at + timedelta(minutes=rng.randint(2, 300)), now)
                Order.objects.filter(pk=order.pk).update(placed_at=placed)
                order.refresh_from_db()
                shop_services.order_pay(order=order, card_number=TEST_CARD)
                Order.objects.filter(pk=order.pk).update(paid_at=placed)
                track_services.order_attribute(order=order, cookie_clicks=[
                    CookieClick(click_id=click.pk.hex, link_id=link.pk, at=int(click.at.timestamp()))])
    Link.objects.update(created_at=now - back)
    track_services.creators_performance_refresh()


def seed_codes_and_content() -> None:
    """Creator codes (Mika's MIKA10 gives 10 % off at Tokyo Tea House, at most ¥1,000; Leo's
    LEO5OFF $5 at North Knits), a post of Mika's with its own links, and orders through
    both, attributed as a real checkout is."""
    if CreatorCode.objects.exists():
        return
    rng = random.Random(11)  # noqa: S311 - demo data, not security
    now = timezone.now()
    terms = {"mikamakes": ("tokyo-tea", "MIKA10", CreatorCode.Discount.PERCENT, Decimal("10"), Decimal("1000")),
             "leolifts": ("north-knits", "LEO5OFF", CreatorCode.Discount.FIXED, Decimal("5"), None)}
    codes = {}
    for handle, (slug, text, kind, value, cap) in terms.items():
        creator = Creator.objects.get(handle=handle)
        code = aff.code_create(creator=creator, program=AffiliateProgram.objects.get(shop__slug=slug), code=text)
        seller = code.program.shop.memberships.first().user
        codes[handle] = aff.code_update(code=code, by=seller, discount_kind=kind, discount_value=value,
                                        discount_cap=cap, starts_on=None, ends_on=None, usage_limit=500,
                                        is_active=True)
    mika = Creator.objects.get(handle="mikamakes")
    teas = [link.product for link in Link.objects.filter(creator=mika, product__shop__slug="tokyo-tea")
            .select_related("product__shop").order_by("product_id")[:2]]
    content = track_services.content_register(creator=mika, url="https://www.tiktok.com/@mikamakes/video/7301",
                                              title="Matcha morning routine", products=teas)
    for product in teas:
        link = Link.objects.get(creator=mika, product=product)
        batch = [ClickData(id=f"{rng.getrandbits(128):032x}", link_id=link.pk,
                           at=(now - timedelta(days=day, seconds=rng.randint(0, 80_000))).timestamp(),
                           visitor_id=f"{rng.getrandbits(128):032x}", ip_hash=f"{rng.getrandbits(64):016x}",
                           user_agent="Mozilla/5.0 (iPhone) Mobile Safari", referrer="https://www.tiktok.com/",
                           is_bot=False, is_prefetch=False, content_id=content.pk)
                 for day in range(20, -1, -1) for _ in range(rng.randint(2, 9))]
        clicks_store(batch)
        for click in rng.sample(list(Click.objects.filter(content=content, link=link)), k=4):
            demo_order(product, rng, placed=min(click.at + timedelta(minutes=rng.randint(2, 300)), now),
                        cookie=[CookieClick(click_id=click.pk.hex, link_id=link.pk, at=int(click.at.timestamp()))])
    for code in codes.values():
        products = list(Product.objects.filter(shop=code.program.shop, status=Product.Status.LIVE).order_by("pk")[:3])
        for day in rng.sample(range(1, 25), k=5):
            demo_order(rng.choice(products), rng, placed=now - timedelta(days=day, hours=rng.randint(0, 20)),
                        code=code.code)
    track_services.creators_performance_refresh()


def demo_order(product, rng, *, placed, cookie=(), code="") -> None:
    order = shop_services.order_place(
        shop=product.shop, items={product.pk: rng.randint(1, 2)}, code=code,
        buyer=shop_services.BuyerDetails(email=f"buyer{rng.getrandbits(24):06x}@example.net", name="Demo Buyer",
                                         address_line1="1 Main St", city="Springfield", postal_code="12345",
                                         country="US"),
        checkout_key=f"demo-{rng.getrandbits(64):016x}")
    Order.objects.filter(pk=order.pk).update(placed_at=placed)
    order.refresh_from_db()
    shop_services.order_pay(order=order, card_number=TEST_CARD)
    Order.objects.filter(pk=order.pk).update(paid_at=placed)
    track_services.order_attribute(order=order, cookie_clicks=list(cookie))
