"""Playwright in the machine's Chromium (no browser download), against live_server."""

import os
import re
import shutil

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests
# make between browser steps are still synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    executable = shutil.which("chromium")
    if executable is None:
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail("REQUIRE_SERVICES=1 but chromium is not installed (apt-get install chromium)")
        pytest.skip("chromium is not installed (apt-get install chromium)")
    return {
        **browser_type_launch_args,
        "executable_path": executable,
        "args": ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    }


def open_context(browser, live_server, width, height, **options):
    """A browser context on the live server, as every test here opens one.

    Motion is reduced, as a user may ask for: Bootstrap then drops its transitions, so
    a button inside a panel that is still unfolding does not move under the click
    (on a busy machine Playwright could click where the button was a frame earlier).
    """
    context = browser.new_context(viewport={"width": width, "height": height}, base_url=live_server.url,
                                  reduced_motion="reduce", **options)
    context.set_default_timeout(10_000)
    return context


@pytest.fixture
def phone(browser, live_server):
    """A phone-sized page (375 px wide) on the live server."""
    context = open_context(browser, live_server, 375, 812)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def screenshots(request):
    """Save a full-page screenshot of a key page under test-results/screenshots/."""
    folder = os.path.join("test-results", "screenshots", re.sub(r"[^\w.-]+", "_", request.node.name))
    os.makedirs(folder, exist_ok=True)

    def shoot(page, name):
        page.screenshot(path=os.path.join(folder, f"{name}.png"), full_page=True)

    return shoot


@pytest.fixture
def desktop(browser, live_server):
    """A laptop-sized page on the live server, for sellers and staff."""
    context = open_context(browser, live_server, 1280, 900)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def new_page(browser, live_server):
    """Open more pages, each in its own context (its own cookies): one per person."""
    contexts = []

    def make(width=1280, height=900):
        context = open_context(browser, live_server, width, height)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def log_in(page, email, password="correct-horse-battery"):
    page.goto("/accounts/login/")
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(password)
    page.locator("form button[type=submit]").click()
    page.wait_for_load_state()


def admin_action(page, changelist_url, pks, action_label, reason=None):
    """Run a bulk action in /ops/ on the given rows, answering the reason page if one comes."""
    page.goto(changelist_url)
    for pk in pks:
        page.locator(f"input[name=_selected_action][value='{pk}']").check()
    page.locator("select[name=action]").select_option(label=action_label)
    page.locator("button[name=index]").click()
    if reason is not None:
        page.locator("#reason").fill(reason)
        page.locator("input[type=submit]").click()
    page.wait_for_load_state()
