import pytest

from .stack import collect_static


@pytest.fixture(scope="session")
def static_root(tmp_path_factory):
    """collectstatic once per session for every stack that production settings start."""
    target = tmp_path_factory.mktemp("static")
    collect_static(target)
    return target
