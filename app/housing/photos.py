"""Checking and cleaning repair photos before anything is stored. Pure: bytes in, cleaned photos out.

A photo is accepted only when its *content* is a JPEG, PNG or WebP image:
the file name and the browser's content type are ignored, the first bytes
must carry the format's signature and Pillow must decode the whole image as
that same format. Each upload is at most 5 MB, a repair has at most three,
and an image is at most 40 megapixels (a small file can hold a huge image
that would exhaust memory when decoded). Accepted photos are re-encoded from
their pixels in the same format, which drops EXIF (GPS position, camera,
time) and any other metadata or trailing data; the orientation tag is applied
to the pixels first, so the photo still shows the right way up.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

from app.i18n import gettext as _

MAX_PHOTOS = 3
MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000

# Pillow format name -> (content type, magic-byte check)
FORMATS = {
    "JPEG": "image/jpeg",
    "PNG": "image/png",
    "WEBP": "image/webp",
}


class PhotoError(ValueError):
    """A photo that cannot be accepted; the message names the file and says why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class CleanPhoto:
    content_type: str
    width: int
    height: int
    data: bytes


def sniff(data: bytes) -> str | None:
    """The format the first bytes announce (``JPEG``, ``PNG``, ``WEBP``), or None."""
    if data.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if len(data) >= 12 and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    return None


def clean_photo(data: bytes, filename: str) -> CleanPhoto:
    """The photo re-encoded without metadata, or :class:`PhotoError` saying what is wrong with ``filename``."""
    name = filename or _("The photo")
    if not data:
        raise PhotoError(_("%(name)s is empty. Choose a photo to upload.", name=name))
    if len(data) > MAX_BYTES:
        raise PhotoError(_("%(name)s is larger than 5 MB. Choose a smaller photo.", name=name))
    announced = sniff(data)
    if announced is None:
        raise PhotoError(
            _("%(name)s is not a JPEG, PNG or WebP photo. Choose a photo in one of those formats.", name=name)
        )
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format != announced:
                raise PhotoError(
                    _("%(name)s is not a JPEG, PNG or WebP photo. Choose a photo in one of those formats.", name=name)
                )
            if probe.width * probe.height > MAX_PIXELS:
                raise PhotoError(
                    _("%(name)s is too large an image. Choose a photo of at most 40 megapixels.", name=name)
                )
            probe.load()  # decodes every byte: a truncated or corrupt file fails here
            image = ImageOps.exif_transpose(probe)
    except PhotoError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError, SyntaxError):
        raise PhotoError(_("%(name)s could not be read as a photo. Choose another photo.", name=name)) from None
    out = io.BytesIO()
    if announced == "JPEG":
        image.convert("RGB").save(out, "JPEG", quality=88, optimize=True)
    elif announced == "PNG":
        keep = image if image.mode in ("1", "L", "LA", "P", "RGB", "RGBA") else image.convert("RGBA")
        keep.save(out, "PNG", optimize=True)
    else:
        keep = image if image.mode in ("RGB", "RGBA") else image.convert("RGBA")
        keep.save(out, "WEBP", quality=88)
    cleaned = out.getvalue()
    if len(cleaned) > MAX_BYTES:
        raise PhotoError(_("%(name)s is larger than 5 MB. Choose a smaller photo.", name=name))
    return CleanPhoto(FORMATS[announced], image.width, image.height, cleaned)


def clean_photos(files: list[tuple[str, bytes]]) -> list[CleanPhoto]:
    """Every photo cleaned, or :class:`PhotoError` for the first problem (so nothing is stored)."""
    files = [(name, data) for name, data in files if name or data]
    if len(files) > MAX_PHOTOS:
        raise PhotoError(_("Upload at most %(most)s photos.", most=MAX_PHOTOS))
    return [clean_photo(data, name) for name, data in files]
