"""Walk every seller and creator URL: anonymous visitors go to login, and another seller's
or creator's objects are 404. A new URL without an entry here fails, so nobody adds a
view without deciding how it is scoped."""

from decimal import Decimal

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from affiliates import services as affiliate_services
from payouts import selectors as payout_selectors
from tests.factories import (
    CreatorFactory,
    LinkFactory,
    ProductFactory,
    ProgramFactory,
    ShopMembershipFactory,
    UserFactory,
    paid_order,
)
from tests.payouts.test_runs import credit, run_month

pytestmark = pytest.mark.django_db

SELLER_NAMESPACES = {"seller"}
CREATOR_NAMESPACES = {"creator"}


def _routes():
    """(full name, kwarg names) of every seller and creator route."""
    found = []

    def walk(patterns, namespace=None):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern) and pattern.name:
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                if namespace in SELLER_NAMESPACES | CREATOR_NAMESPACES:
                    found.append((name, sorted(pattern.pattern.converters)))

    walk(get_resolver().url_patterns)
    return found


@pytest.fixture
def other():
    """A complete world owned by another seller and another creator."""
    program = ProgramFactory()
    product = ProductFactory(shop=program.shop)
    creator = CreatorFactory()
    order = paid_order((product, 1))
    invitation = affiliate_services.invitation_send(program=program, creators=[creator], by=UserFactory(),
                                                    all_products_rate=Decimal("20"))[0]
    collaboration = affiliate_services.invitation_accept(
        invitation=affiliate_services.invitation_send(program=program, creators=[creator], by=UserFactory(),
                                                      all_products_rate=Decimal("21"))[0], by=creator.user)
    application = affiliate_services.application_submit(creator=creator, program=program, product=product)
    sample = affiliate_services.sample_request_create(creator=creator, product=product, shipping_address="x")
    item = affiliate_services.showcase_add(creator=creator, product=product)
    link = LinkFactory(creator=creator, product=product)
    code = affiliate_services.code_create(creator=creator, program=program)
    content = affiliate_services.content_register(creator=creator, url="https://example.com/v/1", title="Haul",
                                                  products=[product])
    credit(creator, "30.00")
    payout = run_month().payouts.get()
    return {"product": product, "order": order, "invitation": invitation, "collaboration": collaboration,
            "application": application, "sample": sample, "item": item, "payout": payout, "creator": creator,
            "link": link, "code": code, "content": content, "elsewhere": ProductFactory()}


# Which object of the other world each route's arguments point at (None: the route has no object).
ARGUMENTS = {
    "seller:join": None, "seller:shop_profile": None, "seller:shop_submit": None, "seller:product_list": None,
    "seller:product_create": None, "seller:order_list": None,
    "seller:product_edit": {"pk": "product"}, "seller:product_action": {"pk": "product", "action": "archive"},
    "seller:order_detail": {"pk": "order"},
    "seller:program": None, "seller:leave": None, "seller:open_products": None,
    "seller:creators": None, "seller:invite": None, "seller:invitations": None,
    "seller:applications": None, "seller:samples": None,
    "seller:creator_detail": {"handle": "pending-handle"}, "seller:rate_cuts": None,
    "seller:codes": None, "seller:code_edit": {"pk": "code"},
    "seller:invitation_withdraw": {"pk": "invitation"},
    "seller:collaboration_end": {"pk": "collaboration"},
    "seller:application_decide": {"pk": "application", "decision": "approve"},
    "seller:sample_action": {"pk": "sample", "action": "approve"},
    "seller:home": None, "seller:performance": None, "seller:statement": None, "seller:affiliate_orders": None,
    "creator:join": None, "creator:profile": None, "creator:marketplace": None, "creator:inbox": None,
    "creator:showcase": None, "creator:home": None,
    "creator:marketplace_product": {"pk": "elsewhere"}, "creator:apply": {"pk": "elsewhere"},
    "creator:sample_request": {"pk": "elsewhere"}, "creator:showcase_add": {"pk": "elsewhere"},
    "creator:invitation_answer": {"pk": "invitation", "answer": "accept"},
    "creator:application_withdraw": {"pk": "application"},
    "creator:sample_update": {"pk": "sample", "action": "received"},
    "creator:showcase_item": {"pk": "item", "action": "remove"},
    "creator:links": None, "creator:link_create": {"product_pk": "elsewhere"},
    "creator:link_detail": {"code": "link"}, "creator:contents": None, "creator:codes": None,
    "creator:content_detail": {"pk": "content"},
    "creator:earnings": None, "creator:early_payout": None,
    "creator:payout_statement": {"pk": "payout"},
    "creator:statement": {"month": "2026-01", "currency": "USD"},
}
# A pending creator's profile is not in the directory: it stands for "not yours to see".
FIXED = {"approve", "archive", "accept", "received", "remove", "pending-handle", "2026-01", "USD"}
# Routes whose arguments name no object: each person reads their own (tested where they live).
OWN = {"creator:statement"}


def _url(name, world):
    spec = ARGUMENTS[name]
    if spec is None:
        return reverse(name)
    kwargs = {key: (value if value in FIXED else getattr(world[value], "code" if key == "code" else "pk"))
              for key, value in spec.items()}
    if "handle" in kwargs:
        kwargs["handle"] = CreatorFactory(status="pending", handle="pending-handle").handle
    return reverse(name, kwargs=kwargs)


def test_every_route_is_in_the_walker():
    missing = [name for name, _ in _routes() if name not in ARGUMENTS]
    assert not missing, f"decide how these routes are scoped and add them to ARGUMENTS: {missing}"


def test_anonymous_visitors_are_sent_to_login(client, other):
    for name, _ in _routes():
        url = _url(name, other)
        for method in (client.get, client.post):
            response = method(url)
            assert response.status_code == 302, (name, method.__name__)
            assert response["Location"].startswith(reverse("account_login")), name


def test_another_seller_gets_404_for_objects_that_are_not_theirs(client, other):
    seller = ShopMembershipFactory(shop=ProgramFactory().shop).user
    client.force_login(seller)
    for name, _ in _routes():
        if name.split(":")[0] not in SELLER_NAMESPACES or ARGUMENTS[name] is None:
            continue
        url = _url(name, other)
        codes = {client.get(url).status_code,
                 client.post(url, {"message": "x", "reason": "x", "tracking_number": "x"}).status_code}
        assert codes <= {404, 405} and 404 in codes, (name, codes)


def test_another_creator_gets_404_for_objects_that_are_not_theirs(client, other):
    client.force_login(CreatorFactory().user)
    for name, _ in _routes():
        if name.split(":")[0] not in CREATOR_NAMESPACES or ARGUMENTS[name] is None:
            continue
        if name in OWN:
            continue
        url = _url(name, other)
        codes = {client.get(url).status_code,
                 client.post(url, {"message": "x", "content_url": "https://x.example"}).status_code}
        assert codes <= {404, 405} and 404 in codes, (name, codes)
    other["invitation"].refresh_from_db()
    assert other["invitation"].status == "pending"
    assert payout_selectors.balances(creator=other["creator"]) == {"USD": Decimal("0.00")}
