"""factory_boy factories for every model the tests build."""

import uuid
from datetime import timedelta
from decimal import Decimal
from io import BytesIO

import factory
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from affiliates.models import Creator
from shops.models import Shop, ShopMembership

PASSWORD = "correct-horse-battery"  # noqa: S105


class UserFactory(factory.django.DjangoModelFactory):
    """A person with a verified primary email, able to log in with PASSWORD."""

    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    username = factory.SelfAttribute("email")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def verified_email(obj, create, extracted, **kwargs):
        if create:
            EmailAddress.objects.create(user=obj, email=obj.email, verified=True, primary=True)


class ShopFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Shop

    name = factory.Sequence(lambda n: f"Shop {n}")
    slug = factory.Sequence(lambda n: f"shop-{n}")
    status = Shop.Status.ACTIVE
    currency = "USD"  # an active shop has chosen its currency


class ShopMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ShopMembership

    shop = factory.SubFactory(ShopFactory)
    user = factory.SubFactory(UserFactory)


class CreatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Creator

    user = factory.SubFactory(UserFactory)
    handle = factory.Sequence(lambda n: f"creator{n}")
    display_name = factory.Sequence(lambda n: f"Creator {n}")
    status = Creator.Status.APPROVED


def seller_user(**shop_kwargs):
    """A user who owns a shop; returns (user, shop)."""
    membership = ShopMembershipFactory(shop=ShopFactory(**shop_kwargs))
    return membership.user, membership.shop


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "shops.Category"
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Category {n}")
    slug = factory.Sequence(lambda n: f"category-{n}")


class ActiveShopFactory(ShopFactory):
    """An approved shop selling in USD with shipping and tax, ready to take orders."""

    legal_name = factory.LazyAttribute(lambda o: f"{o.name} LLC")
    country = "US"
    currency = "USD"
    contact_email = factory.Sequence(lambda n: f"shop{n}@example.com")
    shipping_fee = Decimal("5.00")
    tax_rate = Decimal("10.00")


class ProductFactory(factory.django.DjangoModelFactory):
    """A live physical product with stock, in an active shop."""

    class Meta:
        model = "shops.Product"

    shop = factory.SubFactory(ActiveShopFactory)
    title = factory.Sequence(lambda n: f"Product {n}")
    description = "<p>Good.</p>"
    category = factory.SubFactory(CategoryFactory)
    kind = "physical"
    price = Decimal("20.00")
    stock = 10
    status = "live"
    published_at = factory.LazyFunction(timezone.now)


def png_upload(name="picture.png", size=(300, 300), fmt="PNG", color=(200, 80, 80)):
    """A real image file as a browser would upload it."""
    buffer = BytesIO()
    Image.new("RGB", size, color).save(buffer, format=fmt)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{fmt.lower()}")


BUYER = {"email": "buyer@example.net", "name": "Bea Buyer", "address_line1": "1 Main St", "city": "Springfield",
         "postal_code": "12345", "country": "US"}


def paid_order(*lines, buyer=None, **kwargs):
    """Place and pay an order through the real services: lines are (product, quantity)."""
    from shops import services

    shop = lines[0][0].shop
    order = services.order_place(
        shop=shop, items={product.pk: quantity for product, quantity in lines},
        buyer=services.BuyerDetails(**(buyer or BUYER)), checkout_key=uuid.uuid4().hex,
        **kwargs,
    )
    return services.order_pay(order=order, card_number="4242424242424242")


class ProgramFactory(factory.django.DjangoModelFactory):
    """An active affiliate program of an active shop, at 10 %, open to nobody yet."""

    class Meta:
        model = "affiliates.AffiliateProgram"
        skip_postgeneration_save = True

    shop = factory.SubFactory(ActiveShopFactory)
    default_rate = Decimal("10.00")
    hold_days = 30
    joined_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=365))

    @factory.post_generation
    def rate_history(obj, create, extracted, **kwargs):
        if create:
            from affiliates.models import RateChange

            RateChange.objects.create(program=obj, new_rate=obj.default_rate, changed_at=obj.joined_at)


def open_product(product, rate=None, *, at=None):
    """Open a product of a program's shop to every creator, with its rate history."""
    from affiliates.models import OpenProduct, RateChange

    at = at or timezone.now() - timedelta(days=300)
    program = product.shop.affiliate_program
    OpenProduct.objects.create(program=program, product=product, rate=rate, opened_at=at)
    if rate is not None:
        RateChange.objects.create(program=program, product=product, new_rate=rate, changed_at=at)


def collaboration(creator, program, *, all_products_rate=None, product_rates=None, started_at=None, **kwargs):
    from affiliates.models import Collaboration, CollaborationProduct

    collab = Collaboration.objects.create(program=program, creator=creator, all_products_rate=all_products_rate,
                                          started_at=started_at or timezone.now() - timedelta(days=100), **kwargs)
    for product, rate in (product_rates or {}).items():
        CollaborationProduct.objects.create(collaboration=collab, product=product, rate=rate)
    return collab


class LinkFactory(factory.django.DjangoModelFactory):
    """A creator's link to a product of a shop in the affiliate program (opened at the default rate)."""

    class Meta:
        model = "tracking.Link"

    creator = factory.SubFactory(CreatorFactory)
    product = factory.LazyFunction(lambda: _program_product())
    created_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=2))


def _program_product():
    program = ProgramFactory()
    product = ProductFactory(shop=program.shop)
    open_product(product)
    return product
