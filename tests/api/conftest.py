import pytest
from django.core.cache import cache

from api import services
from tests.factories import CreatorFactory, ShopMembershipFactory


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()  # the per-token counters live in the cache
    yield
    cache.clear()


def bearer(raw: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.fixture
def seller_token():
    membership = ShopMembershipFactory(shop__currency="USD")
    token, raw = services.token_create(user=membership.user, name="Books", scope="write")
    return membership, bearer(raw)


@pytest.fixture
def creator_token():
    creator = CreatorFactory()
    token, raw = services.token_create(user=creator.user, name="Sheet", scope="read")
    return creator, bearer(raw)
