"""Uploaded images: validated with Pillow, re-encoded (dropping metadata and anything
hidden in the file), and shrunk to a size limit with a thumbnail."""

from dataclasses import dataclass
from io import BytesIO

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000
MIN_SIDE = 200
MAX_SIDE = 1600
THUMB_SIDE = 400
ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}


@dataclass(frozen=True)
class CleanImage:
    image: ContentFile
    thumbnail: ContentFile
    width: int
    height: int


def _encode(picture: Image.Image, name: str) -> ContentFile:
    buffer = BytesIO()
    picture.save(buffer, format="WEBP", quality=85, method=4)
    return ContentFile(buffer.getvalue(), name=name)


def clean_image(upload, *, name: str = "image") -> CleanImage:
    """Check an upload is a real picture within the limits; return it re-encoded as WebP."""
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(f"Images may be at most {MAX_UPLOAD_BYTES // (1024 * 1024)} MB.")
    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            if probe.format not in ACCEPTED_FORMATS:
                raise ValidationError("Upload a JPEG, PNG, WebP or GIF image.")
            if probe.width * probe.height > MAX_PIXELS:
                raise ValidationError("This image has too many pixels; upload one under 40 megapixels.")
            probe.verify()
        upload.seek(0)
        with Image.open(upload) as picture:
            picture.load()
            picture = ImageOps.exif_transpose(picture)
            picture = picture.convert("RGBA" if picture.mode in ("RGBA", "LA", "P") else "RGB")
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise ValidationError("This file is not an image we can read. Upload a JPEG, PNG, WebP or GIF.") from exc
    if min(picture.size) < MIN_SIDE:
        raise ValidationError(f"Images must be at least {MIN_SIDE} x {MIN_SIDE} pixels.")
    picture.thumbnail((MAX_SIDE, MAX_SIDE))
    thumb = ImageOps.fit(picture, (THUMB_SIDE, THUMB_SIDE))
    return CleanImage(
        image=_encode(picture, f"{name}.webp"),
        thumbnail=_encode(thumb, f"{name}-thumb.webp"),
        width=picture.width,
        height=picture.height,
    )
