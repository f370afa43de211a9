"""Sign-up as seller and as creator in real Chromium on a phone-sized screen."""

import re

import pytest
from django.core import mail

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(("role_label", "area", "heading"), [
    ("I sell", "/seller/", "Your new shop"),
    ("I create", "/creator/", "Hello"),
])
def test_sign_up_verify_and_land(phone, live_server, screenshots, role_label, area, heading):
    phone.goto("/accounts/signup/")
    phone.locator("#id_email").fill("newcomer@example.com")
    phone.get_by_label(re.compile(role_label)).check()
    phone.locator("#id_password1").fill("a-long-new-passphrase")
    phone.locator("#id_password2").fill("a-long-new-passphrase")
    screenshots(phone, "signup")
    phone.get_by_role("button", name="Sign Up").click()
    phone.get_by_text("Verify Your Email Address").first.wait_for()

    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mail.outbox[-1].body).group(0)
    phone.goto(link)
    phone.get_by_role("button", name="Confirm").click()

    phone.wait_for_url(f"**{area}")
    assert phone.get_by_role("heading", name=heading).is_visible()
    # The page fits a phone: nothing wider than the viewport.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    screenshots(phone, "landing")
