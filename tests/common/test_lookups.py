"""`field__any_of`: the same rows as `__in`, with one array parameter on PostgreSQL."""

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from shops.models import Product
from tests.factories import LinkFactory, ProductFactory
from tracking.models import Click, Link

pytestmark = pytest.mark.django_db


def test_any_of_finds_what_in_finds_for_ids_foreign_keys_strings_and_uuids():
    products = [ProductFactory() for _ in range(3)]
    links = [LinkFactory(product=product) for product in products]
    wanted = [products[0].pk, products[2].pk, 10**9]
    assert set(Product.objects.filter(pk__any_of=wanted)) == set(Product.objects.filter(pk__in=wanted))
    assert set(Link.objects.filter(product_id__any_of=wanted)) == {links[0], links[2]}
    assert set(Link.objects.filter(product__any_of=wanted)) == {links[0], links[2]}
    assert list(Link.objects.filter(code__any_of={links[1].code})) == [links[1]]
    click = Click.objects.create(id=uuid.uuid4(), link=links[0], at=timezone.now(), visitor_id="v", ip_hash="h")
    assert list(Click.objects.filter(pk__any_of=[click.pk, uuid.uuid4()])) == [click]


def test_any_of_nothing_matches_nothing():
    ProductFactory()
    assert not Product.objects.filter(pk__any_of=[]).exists()


def test_a_long_list_is_one_parameter_on_postgresql():
    ProductFactory()
    with CaptureQueriesContext(connection) as queries:
        list(Product.objects.filter(pk__any_of=range(1, 5001)))
    sql = queries[-1]["sql"]
    if connection.vendor == "postgresql":
        assert "= ANY(" in sql and sql.count(",") < 5000 + 100 and "IN (" not in sql
    else:
        assert " IN (" in sql
