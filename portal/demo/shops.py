"""The demo's shops, their products and their buyers' orders."""

import random
from decimal import Decimal

from shops import services as shop_services
from shops.models import Category, Order, Product, Shop

from .base import TEST_CARD, demo_picture, demo_user

SHOPS = [
    {
        "owner": "tokyo.tea@example.com",
        "profile": {
            "name": "Tokyo Tea House", "slug": "tokyo-tea", "legal_name": "Tokyo Tea House K.K.", "country": "JP",
            "currency": "JPY", "contact_email": "hello@tokyotea.example",
            "description": "Loose-leaf teas from Shizuoka.",
            "shipping_fee": Decimal("600"), "tax_rate": Decimal("10"), "return_window_days": 14,
        },
        "products": [
            ("Sencha Green Tea 100 g", "food", "1800", None, 400),
            ("Hojicha Roasted Tea 80 g", "food", "1500", "1900", 250),
            ("Matcha Ceremonial Grade 30 g", "food", "3200", None, 120),
            ("Cast Iron Teapot", "home", "8900", None, 3),
            ("Tea Tasting Class (online)", "services", "4500", None, None),
        ],
    },
    {
        "owner": "north.knits@example.com",
        "profile": {
            "name": "North Knits", "slug": "north-knits", "legal_name": "North Knits LLC", "country": "US",
            "currency": "USD", "contact_email": "care@northknits.example", "description": "Warm things, made slowly.",
            "shipping_fee": Decimal("4.90"), "tax_rate": Decimal("8.25"), "return_window_days": 30,
        },
        "products": [
            ("Merino Beanie", "fashion", "29.00", "35.00", 500),
            ("Chunky Wool Scarf", "fashion", "49.50", None, 300),
            ("Alpaca Socks (2 pairs)", "fashion", "24.00", None, 800),
            ("Knitting Pattern: Fisherman Sweater", "books", "8.99", None, 1000),
            ("Cable Knit Throw Blanket", "home", "119.00", "149.00", 1),
        ],
    },
]


def seed_shop(spec: dict, staff) -> Shop:
    owner = demo_user(spec["owner"])
    shop = shop_services.seller_register(user=owner).shop
    if shop.status != Shop.Status.DRAFT:
        return shop
    shop_services.shop_update(shop=shop, **spec["profile"])
    shop_services.shop_submit(shop=shop, by=owner)
    shop_services.shop_approve(shop=shop, by=staff)
    shop.refresh_from_db()
    for index, (title, category, price, compare, stock) in enumerate(spec["products"]):
        kind = Product.Kind.SERVICE if stock is None else (
            Product.Kind.DIGITAL if category == "books" else Product.Kind.PHYSICAL)
        product = shop_services.product_create(
            shop=shop, title=title, category=Category.objects.get(slug=category), kind=kind,
            description=f"<p>{title}, from {shop.name}.</p><p>Loved by our customers.</p>",
            price=Decimal(price), compare_at_price=Decimal(compare) if compare else None, stock=stock,
            images=[demo_picture(index + len(shop.name), title), demo_picture(index + 7, title)],
        )
        shop_services.product_submit(product=product, by=owner)
        shop_services.product_approve(product=product, by=staff)
    return shop


def seed_orders(shop: Shop) -> None:
    """A few orders in different states, placed as a guest would."""
    if Order.objects.filter(shop=shop).exists():
        return
    rng = random.Random(shop.pk)  # noqa: S311 - demo data, not security
    products = list(shop.products.filter(status=Product.Status.LIVE).order_by("pk"))
    buyers = [("Aiko Tanaka", "aiko@example.net"), ("Ben Carter", "ben@example.net"),
              ("Chloe Martin", "chloe@example.net"), ("Diego Ruiz", "diego@example.net")]
    address = {"address_line1": "1-2-3 Example Street", "city": "Springfield", "postal_code": "12345", "country": "US"}
    for index, (name, email) in enumerate(buyers):
        product = products[index % 3]
        order = shop_services.order_place(
            shop=shop, items={product.pk: rng.randint(1, 2)},
            buyer=shop_services.BuyerDetails(email=email, name=name, **address),
            checkout_key=f"demo-{shop.slug}-{index}",
        )
        order = shop_services.order_pay(order=order, card_number=TEST_CARD)
        owner = shop.memberships.first().user
        if index >= 1:
            order = shop_services.order_ship(order=order, by=owner, tracking_number=f"TRK{shop.pk}{index:04d}")
        if index >= 2:
            order = shop_services.order_deliver(order=order, by=owner)
        if index == 3:
            line = order.lines.first()
            shop_services.order_refund(order=order, by=owner, quantities={line.pk: 1}, reason="Arrived damaged")
