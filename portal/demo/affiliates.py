"""The demo's creators and the shops' affiliate programs, invitations, samples and collaborations."""

from decimal import Decimal

from django.utils import timezone

from affiliates import services as aff
from affiliates.models import AffiliateProgram, Creator, SampleRequest
from shops.models import Category, Shop

from .base import HISTORY, as_of, demo_user

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


def demo_creator(email, handle, name, niches, followers, engagement, country, female, male, age, staff,
                 status="approved"):
    creator = aff.creator_register(user=demo_user(email))
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


def seed_programs(tea, knits, tea_owner, knits_owner, mika):
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


def seed_affiliates(staff, creators: dict[str, Creator]) -> None:
    """Both shops run programs: open products at their own rates, targeted collaborations,
    applications and sample requests in every state."""
    tea = Shop.objects.get(slug="tokyo-tea")
    knits = Shop.objects.get(slug="north-knits")
    if AffiliateProgram.objects.filter(shop__in=[tea, knits]).exists():
        return
    tea_owner, knits_owner = (shop.memberships.first().user for shop in (tea, knits))
    mika, leo, sam = creators["mikamakes"], creators["leolifts"], creators["samboth"]
    with as_of(timezone.now() - HISTORY):  # the programs began three months ago
        tea_program, knits_program, tea_products, knit_products = seed_programs(tea, knits, tea_owner,
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
