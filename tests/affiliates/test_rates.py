"""The rate rule, table by table: precedence, collaboration lifetimes, and the 30-day
protection of link holders from rate cuts."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from affiliates import selectors
from affiliates.models import Application, Collaboration, RateChange
from affiliates.rates import Source, rate_at, rate_for
from tests.factories import CreatorFactory, ProductFactory, ProgramFactory, collaboration, open_product

pytestmark = pytest.mark.django_db
D = Decimal
T0 = timezone.now().replace(microsecond=0) - timedelta(days=60)
DAY = timedelta(days=1)


@pytest.fixture
def setup():
    program = ProgramFactory(default_rate=D("10"))
    product = ProductFactory(shop=program.shop)
    other = ProductFactory(shop=program.shop)
    return program, product, other, CreatorFactory()


@pytest.mark.parametrize(("case", "rate", "source"), [
    ("nothing open", D("10"), Source.DEFAULT),
    ("open at default", D("10"), Source.DEFAULT),
    ("open at 15", D("15"), Source.OPEN),
    ("targeted all 20 beats open 15", D("20"), Source.TARGETED),
    ("targeted product 25 beats its all-products 20", D("25"), Source.TARGETED),
    ("targeted for another product only", D("15"), Source.OPEN),
    ("targeted ended", D("15"), Source.OPEN),
    ("targeted past its end date", D("15"), Source.OPEN),
    ("two collaborations: best wins", D("30"), Source.TARGETED),
])
def test_precedence(setup, case, rate, source):
    program, product, other, creator = setup
    if case != "nothing open" and case != "open at default":
        open_product(product, D("15"))
    if case == "open at default":
        open_product(product)
    if case.startswith("targeted all 20"):
        collaboration(creator, program, all_products_rate=D("20"))
    if case.startswith("targeted product 25"):
        collaboration(creator, program, product_rates={product: D("25")})
        collaboration(creator, program, all_products_rate=D("20"))
    if case == "targeted for another product only":
        collaboration(creator, program, product_rates={other: D("40")})
    if case == "targeted ended":
        collaboration(creator, program, all_products_rate=D("20"), status=Collaboration.Status.ENDED,
                      ended_at=timezone.now() - DAY)
    if case == "targeted past its end date":
        collaboration(creator, program, all_products_rate=D("20"), ends_on=(timezone.now() - DAY).date())
    if case == "two collaborations: best wins":
        collaboration(creator, program, all_products_rate=D("20"))
        collaboration(creator, program, product_rates={product: D("30")})
    quote = rate_for(creator=creator, product=product)
    assert (quote.rate, quote.source) == (rate, source)
    assert quote.reason


def test_a_collaboration_counts_from_its_start_to_its_end(setup):
    program, product, _, creator = setup
    collab = collaboration(creator, program, all_products_rate=D("20"), started_at=T0)
    collab.status, collab.ended_at = Collaboration.Status.ENDED, T0 + 10 * DAY
    collab.save()
    assert rate_for(creator=creator, product=product, at=T0 - DAY).source == Source.DEFAULT
    assert rate_for(creator=creator, product=product, at=T0 + DAY).rate == D("20")
    assert rate_for(creator=creator, product=product, at=T0 + 10 * DAY).source == Source.DEFAULT


def test_no_rate_outside_the_program(setup):
    program, product, _, creator = setup
    assert rate_for(creator=creator, product=product, at=program.joined_at - DAY) is None
    program.status, program.left_at = "left", timezone.now() - DAY
    program.save()
    assert rate_for(creator=creator, product=product) is None
    assert rate_for(creator=creator, product=product, at=timezone.now() - 2 * DAY) is not None


def test_permission_needs_openness_or_approval(setup):
    program, product, _, creator = setup
    assert rate_for(creator=creator, product=product).allowed is False
    open_product(product)
    assert rate_for(creator=creator, product=product).allowed is True
    program.requires_approval = True
    program.save()
    assert rate_for(creator=creator, product=product).allowed is False
    Application.objects.create(program=program, creator=creator, status="approved", created_at=timezone.now())
    assert rate_for(creator=creator, product=product).allowed is True


# --------------------------------------------------------------------------------------
# The 30-day protection, on the history alone
# --------------------------------------------------------------------------------------


def _history(*steps):
    """steps: (day offset from T0, new rate); the first is the opening rate."""
    changes, old = [], None
    for offset, new in steps:
        changes.append(RateChange(old_rate=old, new_rate=new, changed_at=T0 + offset * DAY))
        old = new
    return changes


CUT = _history((0, D("20")), (10, D("12")))


@pytest.mark.parametrize(("at", "link_since", "expected"), [
    (T0 + 5 * DAY, None, D("20")),                                  # before the cut
    (T0 + 10 * DAY, None, D("12")),                                 # new creator: the cut applies at once
    (T0 + 10 * DAY, T0 + 10 * DAY, D("12")),                        # link made the moment of the cut
    (T0 + 10 * DAY, T0 + 10 * DAY - timedelta(seconds=1), D("20")),  # link a second earlier: protected
    (T0 + 39 * DAY, T0 + DAY, D("20")),                             # link holder, 29 days later
    (T0 + 40 * DAY - timedelta(seconds=1), T0 + DAY, D("20")),      # the last second of protection
    (T0 + 40 * DAY, T0 + DAY, D("12")),                             # exactly 30 days: the cut arrives
    (T0 + 45 * DAY, T0 + 20 * DAY, D("12")),                        # link made after the cut
])
def test_cut_reaches_link_holders_after_30_days(at, link_since, expected):
    rate, _ = rate_at(CUT, at=at, link_since=link_since)
    assert rate == expected


def test_a_raise_reaches_link_holders_at_once():
    history = _history((0, D("10")), (10, D("15")))
    assert rate_at(history, at=T0 + 10 * DAY, link_since=T0 + DAY)[0] == D("15")


def test_a_raise_after_a_cut_wins_at_once():
    history = _history((0, D("20")), (10, D("5")), (15, D("8")))
    link = T0 + DAY
    assert rate_at(history, at=T0 + 12 * DAY, link_since=link)[0] == D("20")
    assert rate_at(history, at=T0 + 15 * DAY, link_since=link)[0] == D("8")
    assert rate_at(history, at=T0 + 50 * DAY, link_since=link)[0] == D("8")


def test_the_pending_cut_is_reported_until_it_applies():
    rate, pending = rate_at(CUT, at=T0 + 20 * DAY, link_since=T0 + DAY)
    assert rate == D("20")
    assert (pending.rate, pending.applies_at) == (D("12"), T0 + 40 * DAY)
    assert rate_at(CUT, at=T0 + 41 * DAY, link_since=T0 + DAY)[1] is None


def test_closing_an_open_rate_is_a_protected_cut_to_the_default(setup):
    program, product, _, creator = setup
    open_product(product, D("18"), at=T0)
    RateChange.objects.create(program=program, product=product, old_rate=D("18"), new_rate=None,
                              changed_at=T0 + 10 * DAY)
    assert rate_for(creator=creator, product=product, at=T0 + 20 * DAY, link_since=T0 + DAY).rate == D("18")
    assert rate_for(creator=creator, product=product, at=T0 + 20 * DAY).rate == D("10")
    assert rate_for(creator=creator, product=product, at=T0 + 41 * DAY, link_since=T0 + DAY).rate == D("10")


def test_a_default_rate_cut_is_protected_too(setup):
    program, product, _, creator = setup
    open_product(product)
    RateChange.objects.create(program=program, old_rate=D("10"), new_rate=D("6"), changed_at=T0)
    assert rate_for(creator=creator, product=product, at=T0 + DAY, link_since=T0 - DAY).rate == D("10")
    assert rate_for(creator=creator, product=product, at=T0 + DAY).rate == D("6")


# --------------------------------------------------------------------------------------
# The marketplace's set-based rates agree with the rule
# --------------------------------------------------------------------------------------


def test_marketplace_rates_agree_with_rate_for(setup):
    program, product, other, creator = setup
    third = ProductFactory(shop=program.shop)
    open_product(product, D("15"))
    open_product(other)
    collaboration(creator, program, product_rates={third: D("33")})
    collaboration(creator, program, all_products_rate=D("21"), status=Collaboration.Status.ENDED,
                  ended_at=timezone.now() - DAY)
    elsewhere = ProductFactory()  # a shop without a program: not in the marketplace
    rows = {p.pk: p for p in selectors.marketplace_products(creator=creator)}
    assert elsewhere.pk not in rows
    for candidate in (product, other, third):
        quote = rate_for(creator=creator, product=candidate)
        row = rows[candidate.pk]
        assert (row.current_rate, row.rate_source, row.can_promote) == (quote.rate, quote.source, quote.allowed)
