"""Schemathesis (property-based, from the served OpenAPI schema) sends generated requests
to every operation, as a seller and as a creator with read-and-write tokens: no answer
is a 5xx, and every answer matches the schema (content type and body)."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import content_type_conformance, not_a_server_error, response_schema_conformance

from api import services
from api.auth import TokenRateThrottle
from config.wsgi import application
from tests.factories import LinkFactory, ProductFactory, ProgramFactory, open_product
from tests.payouts.test_commissions import attributed_order

pytestmark = pytest.mark.django_db
EXAMPLES = 30
CHECKS = [not_a_server_error, content_type_conformance, response_schema_conformance]


def test_generated_requests_never_get_a_5xx_or_an_answer_off_schema(seller_token, monkeypatch):
    monkeypatch.setattr(TokenRateThrottle, "THROTTLE_RATES", {"token": "100000/min"})
    membership, _ = seller_token
    product = ProductFactory(shop=membership.shop)
    ProgramFactory(shop=membership.shop)
    open_product(product)
    link = LinkFactory(product=product)
    attributed_order(link)
    tokens = {"seller": services.token_create(user=membership.user, name="st", scope="write")[1],
              "creator": services.token_create(user=link.creator.user, name="st", scope="write")[1]}
    # The WSGI app is called in this thread: keep the test's database connection open
    # between requests, as Django's test client does.
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    try:
        _run_all(tokens)
    finally:
        for signal in (request_started, request_finished):
            signal.connect(close_old_connections)


def _run_all(tokens):
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", application)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 16
    for operation in operations:
        role = "creator" if "/creator/" in operation.path else "seller"
        _fuzz(operation, {"Authorization": f"Bearer {tokens[role]}"})


def _fuzz(operation, headers):
    @given(case=operation.as_strategy())
    @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    def check(case):
        response = case.call(headers=headers)
        case.validate_response(response, checks=CHECKS, headers=headers)

    check()
