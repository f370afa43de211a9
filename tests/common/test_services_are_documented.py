"""Every public service says what it promises (HackSoft's rule, and ours)."""

import importlib
import inspect

import pytest

APPS = ["shops", "affiliates", "tracking", "payouts"]


def _services():
    for app in APPS:
        package = importlib.import_module(f"{app}.services")
        for name in getattr(package, "__all__", None) or dir(package):
            function = getattr(package, name)
            if not name.startswith("_") and inspect.isfunction(function) and function.__module__.startswith(app):
                yield f"{app}.services.{name}", function


@pytest.mark.parametrize(("name", "function"), list(_services()), ids=lambda value: value if isinstance(value, str)
                         else "")
def test_every_public_service_has_a_docstring(name, function):
    assert (function.__doc__ or "").strip(), f"{name} says nothing of what it promises"
