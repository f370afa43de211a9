from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from common import images
from tests.factories import png_upload


def test_a_real_picture_is_re_encoded_as_webp_with_a_thumbnail():
    cleaned = images.clean_image(png_upload(size=(2000, 1000)))
    assert cleaned.image.name.endswith(".webp")
    assert (cleaned.width, cleaned.height) == (1600, 800)
    with Image.open(BytesIO(cleaned.thumbnail.read())) as thumb:
        assert thumb.format == "WEBP" and thumb.size == (400, 400)


@pytest.mark.parametrize("upload", [
    SimpleUploadedFile("fake.png", b"not an image at all", content_type="image/png"),
    SimpleUploadedFile("truncated.png", png_upload().read()[:200], content_type="image/png"),
    SimpleUploadedFile("empty.png", b"", content_type="image/png"),
], ids=["garbage", "truncated", "empty"])
def test_broken_files_are_refused_with_a_clear_message(upload):
    with pytest.raises(ValidationError, match="not an image we can read"):
        images.clean_image(upload)


def test_unsupported_formats_are_refused():
    with pytest.raises(ValidationError, match="JPEG, PNG, WebP or GIF"):
        images.clean_image(png_upload(name="x.bmp", fmt="BMP"))


def test_tiny_pictures_are_refused():
    with pytest.raises(ValidationError, match="at least 200"):
        images.clean_image(png_upload(size=(100, 100)))


def test_pixel_bombs_are_refused(monkeypatch):
    monkeypatch.setattr(images, "MAX_PIXELS", 300 * 300 - 1)
    with pytest.raises(ValidationError, match="too many pixels"):
        images.clean_image(png_upload(size=(300, 300)))


def test_oversized_files_are_refused(monkeypatch):
    monkeypatch.setattr(images, "MAX_UPLOAD_BYTES", 100)
    with pytest.raises(ValidationError, match="at most"):
        images.clean_image(png_upload())
