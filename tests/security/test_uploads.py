"""Upload limits and file types on every upload page (ASVS 5.0 5.2.1, 5.2.2).

The upload pages are found, not listed: every council POST route whose form
(fetched as whoever may see it) is ``multipart/form-data``. Each must refuse a
request larger than its limit with a 413 page that says how large a file may
be, and a file of the wrong type with a 4xx that says so; neither may write
anything. Only the pages in ``LARGER_LIMITS`` may take more than the app-wide
``MAX_CONTENT_LENGTH``.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

import pytest

from app.housing.photos import MAX_BYTES as PHOTO_BYTES
from app.housing.photos import MAX_PHOTOS
from app.residents.imports import MAX_BYTES as IMPORT_BYTES
from app.residents.models import ImportKind
from app.web.uploads import FORM_OVERHEAD
from tests.fixtures.routes import route_cases
from tests.fixtures.sessions import send

DEFAULT_LIMIT = 2 * 1024 * 1024
# endpoint -> the file size it accepts (the request may be FORM_OVERHEAD larger)
LARGER_LIMITS = {
    "council.housing.new_repair": MAX_PHOTOS * PHOTO_BYTES,
    "council.residents_admin.import_register": IMPORT_BYTES[ImportKind.REGISTER],
    "council.residents_admin.import_postcodes": IMPORT_BYTES[ImportKind.POSTCODES],
}
ROLES = ("officer", "admin", "member", "resident")
FILE_INPUT = re.compile(r'<input[^>]*type="file"[^>]*>')
NAME = re.compile(r'name="([^"]+)"')
# Not any kind of file the pages take: a Windows program, then a web page dressed as a photo or a CSV.
WRONG_FILES = (("report.exe", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64),)
DISGUISED_PHOTO = ("photo.jpg", b"<html><script>alert(1)</script></html>")


@dataclass(frozen=True)
class UploadPage:
    url: str
    endpoint: str
    field: str
    user_id: int


@pytest.fixture(scope="module")
def upload_pages(probe_app, sessions, tenancy_world) -> list[UploadPage]:
    a = tenancy_world["A"]
    pages = []
    for case in route_cases(probe_app, ("POST",)):
        if not case.is_council or "GET" not in (case.rule.methods or ()):
            continue
        url = case.url(a.slug, a.row_id)
        for role in ROLES:
            response = sessions.client(a.users[role]).get(url)
            if response.status_code == 403:  # someone else's page: try the next role
                continue
            if response.status_code != 200:
                break
            html = response.get_data(as_text=True)
            if 'enctype="multipart/form-data"' in html:
                field = NAME.search(FILE_INPUT.search(html).group(0)).group(1)
                pages.append(UploadPage(url, case.endpoint, field, a.users[role]))
            break  # the first person who sees the page sees its form
    return pages


def test_the_upload_pages_are_found(upload_pages):
    """The discovery reaches every page that takes a file (five today), as someone who may use it."""
    found = {p.endpoint for p in upload_pages}
    assert set(LARGER_LIMITS) <= found, f"upload pages not reached: {set(LARGER_LIMITS) - found}"
    assert len(found) >= 5, found


def test_the_request_size_is_capped(probe_app):
    """ASVS 5.0 5.2.1: the app refuses request bodies over MAX_CONTENT_LENGTH (2 MB unless configured)."""
    assert probe_app.config["MAX_CONTENT_LENGTH"] == DEFAULT_LIMIT
    assert all(limit <= 64 * 1024 * 1024 for limit in LARGER_LIMITS.values())


def _post_file(sessions, page: UploadPage, filename: str, data: bytes):
    return send(sessions.client(page.user_id), "POST", page.url, {page.field: (io.BytesIO(data), filename)})


def test_an_over_size_upload_gets_a_413_page_and_writes_nothing(sessions, upload_pages, snapshot):
    """ASVS 5.0 5.2.1: one byte over each page's limit is a 413 saying how large a file may be; nothing is written."""
    before = snapshot.everything()
    wrong = []
    for page in upload_pages:
        limit = LARGER_LIMITS.get(page.endpoint, DEFAULT_LIMIT - FORM_OVERHEAD)
        response = _post_file(sessions, page, "big.csv", b"a" * (limit + FORM_OVERHEAD + 1))
        body = response.get_data(as_text=True)
        megabytes = (limit + FORM_OVERHEAD) // (1024 * 1024)
        if response.status_code != 413:
            wrong.append(f"{page.endpoint}: {response.status_code}")
        elif "The file is too large" not in body or f"The file must be smaller than {megabytes} MB" not in body:
            wrong.append(f"{page.endpoint}: the 413 page does not say how large a file may be")
    assert not wrong, "\n".join(wrong)
    assert snapshot.everything() == before, "an over-size upload wrote something"


def test_a_file_of_the_size_a_page_promises_is_not_refused_as_too_large(sessions, upload_pages):
    """ASVS 5.0 5.2.1: each page's own limit is the one that applies (no 413 below it)."""
    for page in upload_pages:
        if page.endpoint in LARGER_LIMITS:
            response = _post_file(sessions, page, "report.exe", b"a" * (DEFAULT_LIMIT + 1))
            assert response.status_code != 413, page.endpoint


@pytest.mark.parametrize(("filename", "data"), [*WRONG_FILES, DISGUISED_PHOTO], ids=["program", "html-as-photo"])
def test_a_file_of_the_wrong_type_is_refused_and_writes_nothing(sessions, upload_pages, snapshot, filename, data):
    """ASVS 5.0 5.2.2: the extension, and for photos the content, must match what the page takes."""
    before = snapshot.everything()
    pages = upload_pages if filename == "report.exe" else [p for p in upload_pages if p.field == "photos"]
    assert pages
    wrong = []
    for page in pages:
        response = _post_file(sessions, page, filename, data)
        body = response.get_data(as_text=True)
        if response.status_code not in (400, 422):
            wrong.append(f"{page.endpoint}: {response.status_code}")
        elif "govuk-error-summary" not in body:
            wrong.append(f"{page.endpoint}: refused without an error summary")
    assert not wrong, "\n".join(wrong)
    assert snapshot.everything() == before, "a file of the wrong type wrote something"
