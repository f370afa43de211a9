import pytest

from tracking import clicks, redirect


@pytest.fixture(autouse=True)
def _fresh_tracking_state():
    """The code cache and the Redis breaker live in the process: no test inherits them."""
    redirect.forget_local_cache()
    clicks.reset_breaker()
    yield
    redirect.forget_local_cache()
    clicks.reset_breaker()
