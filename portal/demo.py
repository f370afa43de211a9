"""Demo data for `manage.py seed_demo`: idempotent, so it can run on every `make run`.

It grows with the product: each section seeds one app through that app's services,
so the demo shows what real use produces.
"""

import colorsys
import random
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from io import BytesIO
from unittest import mock

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw

from affiliates import services as aff
from affiliates.models import AffiliateProgram, Creator, CreatorCode, SampleRequest
from payouts import selectors as pay_selectors
from payouts import services as pay
from payouts.models import Commission, PayoutRun
from payouts.months import previous_month
from payouts.rules import payout_minimum
from shops import services as shop_services
from shops.categories import ensure_starter_categories
from shops.models import Category, Order, Product, Shop
from tracking import services as track_services
from tracking.clicks import ClickData, clicks_store
from tracking.models import Click, Conversion, Link
from tracking.redirect import CookieClick

HISTORY = timedelta(days=90)  # how far back the demo's affiliate programs go
DEMO_PASSWORD = "demo-pass-2026"  # noqa: S105 - printed for newcomers on purpose
TEST_CARD = "4242424242424242"


@contextmanager
def _as_of(moment: datetime):
    """Run services on a clock set to `moment`: the demo writes its past (program joins,
    rate history, collaborations) as it would have happened, instead of rewriting rows."""
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


@dataclass(frozen=True)
class DemoLogin:
    email: str
    role: str


def _user(email: str, *, staff: bool = False):
    User = get_user_model()
    user, created = User.objects.get_or_create(username=email, defaults={"email": email})
    if created:
        user.set_password(DEMO_PASSWORD)
        user.is_staff = user.is_superuser = staff
        user.save()
    EmailAddress.objects.update_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
    return user


def _picture(seed: int, label: str) -> SimpleUploadedFile:
    """A simple generated product picture: a coloured tile with the product's initials."""
    hue = (seed * 0.137) % 1
    r, g, b = (int(c * 255) for c in colorsys.hsv_to_rgb(hue, 0.45, 0.92))
    image = Image.new("RGB", (600, 600), (r, g, b))
    draw = ImageDraw.Draw(image)
    draw.ellipse((150, 150, 450, 450), fill=(255, 255, 255))
    initials = "".join(word[0] for word in label.split()[:2]).upper()
    draw.text((300, 300), initials, fill=(r // 2, g // 2, b // 2), anchor="mm", font_size=120)
    buffer = BytesIO()
    image.save(buffer, format="PNG")
    return SimpleUploadedFile(f"demo-{seed}.png", buffer.getvalue(), content_type="image/png")


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


def _seed_shop(spec: dict, staff) -> Shop:
    owner = _user(spec["owner"])
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
            images=[_picture(index + len(shop.name), title), _picture(index + 7, title)],
        )
        shop_services.product_submit(product=product, by=owner)
        shop_services.product_approve(product=product, by=staff)
    return shop


def _seed_orders(shop: Shop) -> None:
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


CREATORS = [
    # email, handle, name, niches, followers, engagement, country, female %, male %, age, status
    ("mika.makes@example.com", "mikamakes", "Mika Makes", ["food", "home"], 84_000, "6.2", "JP", 72, 26, "25-34",
     "approved"),
    ("leo.lifts@example.com", "leolifts", "Leo Lifts", ["fitness", "fashion"], 240_000, "3.1", "US", 30, 68, "18-24",
     "approved"),
    ("ana.eats@example.com", "anaeats", "Ana Eats", ["food"], 9_500, "8.9", "GB", 64, 34, "25-34", "pending"),
    ("sam.both@example.com", "samboth", "Sam Both", ["home", "books"], 3_200, "5.0", "US", 50, 48, "35-44",
     "approved"),
]
EXTRA_CREATORS = [
    ("chloe.cozy", "Chloe Cozy", ["home", "fashion"], 56_000, "4.4", "US", 81, 18, "25-34"),
    ("kenji.brews", "Kenji Brews", ["food"], 18_000, "7.5", "JP", 40, 58, "35-44"),
    ("nora.knits", "Nora Knits", ["fashion", "books"], 120_000, "2.8", "GB", 90, 9, "45-54"),
    ("omar.outdoors", "Omar Outdoors", ["fitness"], 410_000, "1.9", "AE", 22, 77, "18-24"),
    ("lina.learns", "Lina Learns", ["books", "kids"], 7_800, "9.6", "DE", 70, 28, "25-34"),
    ("theo.tech", "Theo Tech", ["tech"], 980_000, "1.2", "US", 15, 84, "18-24"),
]


def _creator(email, handle, name, niches, followers, engagement, country, female, male, age, staff, status="approved"):
    creator = aff.creator_register(user=_user(email))
    if creator.handle:
        return creator
    aff.creator_update(
        creator=creator, niches=Category.objects.filter(slug__in=niches), handle=handle, display_name=name,
        bio=f"{name}: honest reviews and everyday favourites.", social_url=f"https://social.example/@{handle}",
        followers=followers, average_views=followers // 5, engagement_rate=Decimal(engagement),
        audience_top_country=country, audience_female_pct=female, audience_male_pct=male, audience_top_age=age,
        payout_method="paypal", payout_account=email,
    )
    if status == "approved":
        creator = aff.creator_approve(creator=creator, by=staff)
    return creator


def _seed_programs(tea, knits, tea_owner, knits_owner, mika):
    """Both programs with their open products and rates, and Mika's collaboration."""
    tea_program = aff.program_join(shop=tea, by=tea_owner, default_rate=Decimal("8"), hold_days=30,
                                   terms="Show the tea being brewed. No discount codes.")
    knits_program = aff.program_join(shop=knits, by=knits_owner, default_rate=Decimal("12"), hold_days=30,
                                     requires_approval=True, min_followers=50_000)
    tea_products = list(tea.products.order_by("pk"))
    knit_products = list(knits.products.order_by("pk"))
    aff.open_products_set(program=tea_program, by=tea_owner,
                          rates={tea_products[0].pk: Decimal("15"), tea_products[1].pk: Decimal("20"),
                                 tea_products[2].pk: None})
    aff.open_products_set(program=knits_program, by=knits_owner,
                          rates={p.pk: Decimal("18") for p in knit_products[:3]})
    # A targeted collaboration Mika accepted.
    invitation = aff.invitation_send(program=tea_program, creators=[mika], by=tea_owner,
                                     message="Your matcha videos are lovely. Try our teas?",
                                     product_rates={tea_products[0]: Decimal("25"), tea_products[2]: Decimal("22")})
    aff.invitation_accept(invitation=invitation[0], by=mika.user)
    return tea_program, knits_program, tea_products, knit_products


def _seed_affiliates(staff, creators: dict[str, Creator]) -> None:
    """Both shops run programs: open products at their own rates, targeted collaborations,
    applications and sample requests in every state."""
    tea = Shop.objects.get(slug="tokyo-tea")
    knits = Shop.objects.get(slug="north-knits")
    if AffiliateProgram.objects.filter(shop__in=[tea, knits]).exists():
        return
    tea_owner, knits_owner = (shop.memberships.first().user for shop in (tea, knits))
    mika, leo, sam = creators["mikamakes"], creators["leolifts"], creators["samboth"]
    with _as_of(timezone.now() - HISTORY):  # the programs began three months ago
        tea_program, knits_program, tea_products, knit_products = _seed_programs(tea, knits, tea_owner,
                                                                                 knits_owner, mika)
    # An invitation waiting for Leo's answer.
    aff.invitation_send(program=knits_program, creators=[leo], by=knits_owner, all_products_rate=Decimal("20"),
                        message="Winter gym look?")
    # Applications: auto-approved (followers above the minimum), pending, declined.
    aff.application_submit(creator=leo, program=knits_program, message="Gym to street")
    aff.application_submit(creator=sam, program=knits_program, product=knit_products[0],
                           message="Would pair with my cosy-home posts")
    declined = aff.application_submit(creator=Creator.objects.get(handle="kenji-brews"), program=knits_program,
                                      message="Hi!")
    aff.application_decline(application=declined, by=knits_owner, message="Not this season, sorry.")
    # Samples in every state.
    address = "1-2-3 Example Street, Springfield 12345"
    steps = {
        "requested": [],
        "approved": ["approve"],
        "declined": ["decline"],
        "shipped": ["approve", "ship"],
        "delivered": ["approve", "ship", "deliver"],
        "fulfilled": ["approve", "ship", "deliver", "content"],
    }
    for index, actions in enumerate(steps.values()):
        product = tea_products[index % 4]
        creator = [mika, sam, leo][index % 3]
        sample = aff.sample_request_create(creator=creator, product=product, shipping_address=address,
                                           message="For a review video")
        for action in actions:
            if action == "approve":
                sample = aff.sample_approve(sample=sample, by=tea_owner)
            elif action == "decline":
                sample = aff.sample_decline(sample=sample, by=tea_owner, reason="Out of samples this month")
            elif action == "ship":
                sample = aff.sample_ship(sample=sample, by=tea_owner, tracking_number=f"SMP{index:04d}")
            elif action == "deliver":
                sample = aff.sample_mark_delivered(sample=sample, by=creator.user)
            elif action == "content":
                sample = aff.sample_post_content(sample=sample, by=creator.user,
                                                 content_url=f"https://social.example/@{creator.handle}/{index}")
    # One overdue and one expired, as the hourly task would leave them.
    late = aff.sample_request_create(creator=leo, product=tea_products[3], shipping_address=address)
    late = aff.sample_ship(sample=aff.sample_approve(sample=late, by=tea_owner), by=tea_owner, tracking_number="SMP9")
    late = aff.sample_mark_delivered(sample=late, by=leo.user)
    SampleRequest.objects.filter(pk=late.pk).update(content_due=timezone.now())
    stale = aff.sample_request_create(creator=leo, product=tea_products[0], shipping_address=address)
    SampleRequest.objects.filter(pk=stale.pk).update(answer_by=timezone.now())
    aff.samples_expire()
    # Showcases.
    for product in tea_products[:3]:
        aff.showcase_add(creator=mika, product=product)
    for product in knit_products[:2]:
        aff.showcase_add(creator=leo, product=product)


def _seed_tracking() -> None:
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


def _seed_codes_and_content() -> None:
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
            _demo_order(product, rng, placed=min(click.at + timedelta(minutes=rng.randint(2, 300)), now),
                        cookie=[CookieClick(click_id=click.pk.hex, link_id=link.pk, at=int(click.at.timestamp()))])
    for code in codes.values():
        products = list(Product.objects.filter(shop=code.program.shop, status=Product.Status.LIVE).order_by("pk")[:3])
        for day in rng.sample(range(1, 25), k=5):
            _demo_order(rng.choice(products), rng, placed=now - timedelta(days=day, hours=rng.randint(0, 20)),
                        code=code.code)
    track_services.creators_performance_refresh()


def _demo_order(product, rng, *, placed, cookie=(), code="") -> None:
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


def _seed_payouts(staff) -> None:
    """Commissions as the tasks leave them: last month's approved ones paid in a run that
    finance approved and paid, this month's approved or still in hold, one early payout
    request, and a refund after payout that shows as a clawback."""
    if PayoutRun.objects.exists():
        return
    # The signals queued these after commit; with a real worker they may not have run yet.
    pay.commissions_create_for_orders(order_ids=Conversion.objects.filter(
        outcome=Conversion.Outcome.ATTRIBUTED).values_list("order_id", flat=True))
    this_month = timezone.now().date().replace(day=1)
    last_second_of_last_month = datetime.combine(this_month, datetime.min.time(), tzinfo=UTC) - timedelta(seconds=1)
    # Last month's run pays what was approved by its end, but at least two weeks ago, so
    # whatever today's date, some approved money is left for this month (and Leo's request).
    pay.commissions_approve_due(now=min(last_second_of_last_month, timezone.now() - timedelta(days=14)))
    run, _ = pay.payout_run_start(period=previous_month(this_month), by=staff)
    run = pay.payout_run_compute(run=run)
    pay.payout_run_approve(run=run, by=staff)
    pay.payouts_mark_paid(payouts=run.payouts.all(), by=staff, reference="DEMO-PAYPAL-BATCH-1")
    pay.commissions_approve_due()
    paid = Commission.objects.filter(status=Commission.Status.PAID).select_related("order").first()
    if paid is not None:
        line = paid.order_line
        refund = shop_services.order_refund(order=paid.order, by=paid.shop.memberships.first().user,
                                            quantities={line.pk: 1}, reason="Arrived damaged")
        pay.commissions_apply_refund(refund_line_ids=list(refund.lines.values_list("pk", flat=True)))
    leo = Creator.objects.get(handle="leolifts")
    for currency, balance in pay_selectors.balances(creator=leo).items():
        if balance >= payout_minimum(currency):
            pay.early_payout_request(creator=leo, currency=currency)


def seed() -> list[DemoLogin]:
    ensure_starter_categories(Category)  # made by a migration; here too for databases that were flushed
    logins = [DemoLogin("ops@example.com", "staff (superuser): /ops/")]
    staff = _user("ops@example.com", staff=True)

    for spec in SHOPS:
        with transaction.atomic():
            shop = _seed_shop(spec, staff)
        _seed_orders(shop)
        logins.append(DemoLogin(spec["owner"], f"seller ({shop.name}, {shop.currency}): /seller/"))

    creators = {}
    with transaction.atomic():
        for email, handle, name, niches, followers, engagement, country, female, male, age, status in CREATORS:
            creators[handle] = _creator(email, handle, name, niches, followers, engagement, country, female, male,
                                        age, staff, status)
            if email != "sam.both@example.com":
                logins.append(DemoLogin(email, f"creator @{handle} ({status}): /creator/"))
        for handle, name, niches, followers, engagement, country, female, male, age in EXTRA_CREATORS:
            _creator(f"{handle}@example.com", handle.replace(".", "-"), name, niches, followers, engagement, country,
                     female, male, age, staff)
        shop_services.seller_register(user=creators["samboth"].user)
        logins.append(DemoLogin("sam.both@example.com", "seller (draft shop) and creator @samboth: chooser"))
        _seed_affiliates(staff, creators)
    with transaction.atomic():
        _seed_tracking()
    with transaction.atomic():
        _seed_codes_and_content()
    with transaction.atomic():
        _seed_payouts(staff)
    _seed_api_token()
    return logins


def _seed_api_token() -> None:
    """A token Tokyo Tea House made for its bookkeeping (its secret is not kept, as ever)."""
    from api import services as api_services
    from api.models import ApiToken

    owner = Shop.objects.get(slug="tokyo-tea").memberships.first().user
    if not ApiToken.objects.filter(user=owner).exists():
        api_services.token_create(user=owner, name="Bookkeeping sync", scope="read")
