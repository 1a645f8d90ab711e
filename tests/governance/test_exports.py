"""Exports of the register of members and the share ledger: CSV content (formula-safe) and printable PDFs."""

from __future__ import annotations

import csv
import io

import pytest
from pypdf import PdfReader

from app.extensions import db
from app.governance import exports, operations, pdf
from app.voting import timing
from tests.governance.conftest import admitted

TODAY = timing.today()
INJECTION = '=HYPERLINK("http://evil.example","click")'


@pytest.fixture(autouse=True)
def _inside(in_council):
    """Rows the app's commits expired reload in the council's context."""


@pytest.fixture
def register(gov):
    """Meg (number 1), an injection attempt in a name (2), and a member who left (3)."""
    admitted(gov, name=INJECTION, address="+44 Road", email="")
    gone = admitted(gov, name="Gwen Gone")
    operations.issue_shares(gone, 2, by_user=None)
    operations.cease(gone, "left", ceased_on=TODAY, by_user=None)
    db.session.commit()
    return gov


def _rows(body: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body.decode("utf-8"))))


def test_the_register_csv_has_the_acts_columns_and_every_member(register):
    rows = _rows(exports.register_csv(register.society))
    assert rows[0] == [
        "Membership number",
        "Name",
        "Address",
        "Postcode",
        "Email",
        "Class",
        "Date admitted",
        "Shares held",
        "Amount paid (£)",
        "Date ceased",
        "Reason ceased",
    ]
    assert [r[0] for r in rows[1:]] == ["1", "2", "3"]
    meg = rows[1]
    assert meg[1:2] + meg[4:9] == ["Meg Member", "meg.member@example.org", "Tenants", meg[6], "1", "1.00"]
    gone = rows[3]
    assert (gone[7], gone[9], gone[10]) == ("0", TODAY.isoformat(), "Left")


def test_csv_cells_that_look_like_formulas_are_text(register):
    rows = _rows(exports.register_csv(register.society))
    assert rows[2][1] == "'" + INJECTION
    assert rows[2][2] == "'+44 Road"
    ledger = _rows(exports.ledger_csv(register.society))
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in ledger for cell in row)


def test_the_ledger_csv_lists_every_line_in_order(register):
    rows = _rows(exports.ledger_csv(register.society))
    assert rows[0] == ["Line", "Date", "Membership number", "Name", "Entry", "Shares", "Amount (£)", "Note"]
    entries = [(r[2], r[4], r[5], r[6]) for r in rows[1:]]
    assert entries == [
        ("1", "Issue", "1", "1.00"),
        ("2", "Issue", "1", "1.00"),
        ("3", "Issue", "1", "1.00"),
        ("3", "Issue", "2", "2.00"),
        ("3", "Withdrawal", "3", "3.00"),
    ]
    assert rows[-1][7] == "Withdrawn when the membership ended"


def _pdf_text(body: bytes) -> tuple[PdfReader, str]:
    assert body.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(body))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


def test_the_register_pdf_is_headed_with_the_society_and_lists_the_members(register):
    reader, text = _pdf_text(pdf.register_pdf(register.society))
    width, height = (float(v) for v in reader.pages[0].mediabox.upper_right)
    assert (round(width), round(height)) == (842, 595)  # A4 landscape, in points
    for expected in (
        "Cobden Tenants Co-operative",
        "Registration number: 31234R",
        "Register of members",
        "Meg Member",
        "Gwen Gone",
        "Page 1",
    ):
        assert expected in text, expected
    assert "meg.member@example.org" not in text  # the printed register keeps what the Act asks for


def test_a_long_register_runs_over_pages_with_the_heading_repeated(gov):
    for n in range(70):
        admitted(gov, name=f"Member Number {n:02d}")
    db.session.flush()
    reader, text = _pdf_text(pdf.register_pdf(gov.society))
    assert len(reader.pages) >= 2
    assert all("Membership" in page.extract_text() and "Postcode" in page.extract_text() for page in reader.pages)
    assert "Member Number 69" in text and f"Page {len(reader.pages)}" in text


def test_the_ledger_pdf_and_an_empty_register(register, gov):
    _reader, text = _pdf_text(pdf.ledger_pdf(register.society))
    assert "Share ledger" in text and "Withdrawn when the membership ended" in text
    empty = operations.create_society(name="Empty Co-op", kind="housing_coop", by_user=None)
    _reader, text = _pdf_text(pdf.register_pdf(empty))
    assert "No entries." in text


def test_downloads_are_attachments_for_managers_only(register, client_for):
    url = register.society_url
    response = client_for(register.secretary).get(f"{url}/register.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith(
        'attachment; filename="cobden-tenants-co-operative-register-'
    )
    assert "'" + INJECTION.replace('"', '""') in response.get_data(as_text=True)
    pdf_response = client_for(register.officer).get(f"{url}/shares.pdf")
    assert pdf_response.status_code == 200 and pdf_response.data.startswith(b"%PDF")
    assert client_for(register.member_user).get(f"{url}/register.csv").status_code == 403
    assert client_for(register.scrutineer).get(f"{url}/shares.pdf").status_code == 403


def test_a_name_the_font_cannot_draw_still_prints(gov):
    admitted(gov, name="Siân Ŵyn 李")
    db.session.flush()
    _reader, text = _pdf_text(pdf.register_pdf(gov.society))
    assert "Si" in text
