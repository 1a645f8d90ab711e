"""Repair photos: checked by content, at most 5 MB and three, re-encoded without metadata."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from app.housing.photos import MAX_BYTES, PhotoError, clean_photo, clean_photos, sniff


def _image(fmt: str, size=(40, 30), **save) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 40, 40)).save(out, fmt, **save)
    return out.getvalue()


def png_bytes() -> bytes:
    return _image("PNG")


def jpeg_with_gps() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    exif[0x8825] = {1: "N", 2: (53.0, 36.0, 0.0)}  # GPS IFD
    return _image("JPEG", exif=exif.tobytes())


@pytest.mark.parametrize(
    ("fmt", "content_type"), [("JPEG", "image/jpeg"), ("PNG", "image/png"), ("WEBP", "image/webp")]
)
def test_each_accepted_format_is_recognised_by_its_bytes(fmt, content_type):
    data = _image(fmt)
    assert sniff(data) == fmt
    cleaned = clean_photo(data, "photo")
    assert cleaned.content_type == content_type
    assert (cleaned.width, cleaned.height) == (40, 30)
    assert sniff(cleaned.data) == fmt


def test_metadata_is_stripped():
    data = jpeg_with_gps()
    assert b"SecretCam" in data
    cleaned = clean_photo(data, "kitchen.jpg")
    assert b"SecretCam" not in cleaned.data
    with Image.open(io.BytesIO(cleaned.data)) as image:
        assert not image.getexif()


def test_a_non_image_with_an_image_name_is_refused():
    with pytest.raises(PhotoError, match=r"damp\.jpg is not a JPEG, PNG or WebP photo"):
        clean_photo(b"<?php echo 'hello'; ?>", "damp.jpg")


def test_a_gif_is_refused_even_though_it_is_an_image():
    with pytest.raises(PhotoError, match="not a JPEG, PNG or WebP"):
        clean_photo(_image("GIF"), "leak.png")


def test_a_file_with_image_magic_but_broken_content_is_refused():
    broken = png_bytes()[:60]
    with pytest.raises(PhotoError, match="could not be read as a photo"):
        clean_photo(broken, "cut.png")


def test_an_oversized_file_is_refused_before_it_is_decoded():
    big = b"\xff\xd8\xff" + b"\0" * MAX_BYTES
    with pytest.raises(PhotoError, match="larger than 5 MB"):
        clean_photo(big, "huge.jpg")


def test_more_than_three_photos_are_refused():
    photo = ("p.png", png_bytes())
    assert len(clean_photos([photo] * 3)) == 3
    with pytest.raises(PhotoError, match="at most 3 photos"):
        clean_photos([photo] * 4)


def test_an_image_with_too_many_pixels_is_refused():
    data = _image("PNG", size=(8000, 6000))  # 48 megapixels of one colour compress to a small file
    assert len(data) < MAX_BYTES
    with pytest.raises(PhotoError, match="at most 40 megapixels"):
        clean_photo(data, "panorama.png")
