"""What every part of the demo uses: the demo's clock, its people and its pictures."""

import colorsys
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from io import BytesIO
from unittest import mock

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

HISTORY = timedelta(days=90)  # how far back the demo's affiliate programs go
DEMO_PASSWORD = "demo-pass-2026"  # noqa: S105 - printed for newcomers on purpose
TEST_CARD = "4242424242424242"


@contextmanager
def as_of(moment: datetime):
    """Run services on a clock set to `moment`: the demo writes its past (program joins,
    rate history, collaborations) as it would have happened, instead of rewriting rows."""
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


@dataclass(frozen=True)
class DemoLogin:
    email: str
    role: str


def demo_user(email: str, *, staff: bool = False):
    User = get_user_model()
    user, created = User.objects.get_or_create(username=email, defaults={"email": email})
    if created:
        user.set_password(DEMO_PASSWORD)
        user.is_staff = user.is_superuser = staff
        user.save()
    EmailAddress.objects.update_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
    return user


def demo_picture(seed: int, label: str) -> SimpleUploadedFile:
    """A simple generated product picture: a coloured tile with the product's initials."""
    hue = (seed * 0.137) % 1
    r, g, b = (int(c * 255) for c in colorsys.hsv_to_rgb(hue, 0.45, 0.92))
    image = Image.new("RGB", (600, 600), (r, g, b))
    draw = ImageDraw.Draw(image)
    draw.ellipse((150, 150, 450, 450), fill=(255, 255, 255))
    initials = "".join(word[0] for word in label.split()[:2]).upper()
    draw.text((300, 300), initials, fill=(r // 2, g // 2, b // 2), anchor="mm", font_size=120)
    buffer = BytesIO()
    image.save(buffer, format="PNG")
    return SimpleUploadedFile(f"demo-{seed}.png", buffer.getvalue(), content_type="image/png")
