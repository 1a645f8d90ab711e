"""What one voting-code letter says: the small record the PDF and the mail-merge CSV are made from."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

MAX_ADDRESS_LINES = 5  # what fits in a DL envelope's window beside the name and postcode


@dataclass(frozen=True, slots=True)
class Letter:
    """One resident's letter. ``code`` is the plain code (it exists only while letters are made)."""

    reference: str
    name: str
    address_lines: tuple[str, ...]
    postcode: str
    code: str
    url: str
    expires_on: date

    def __post_init__(self) -> None:
        # Accept any sequence of lines but keep the record hashable and immutable.
        object.__setattr__(self, "address_lines", tuple(line for line in self.address_lines if line.strip()))

    @property
    def envelope_address(self) -> tuple[str, ...]:
        """At most ``MAX_ADDRESS_LINES`` lines: a longer address has its last lines joined with commas."""
        lines = self.address_lines
        if len(lines) <= MAX_ADDRESS_LINES:
            return lines
        return (*lines[: MAX_ADDRESS_LINES - 1], ", ".join(lines[MAX_ADDRESS_LINES - 1 :]))

    @property
    def prefilled_url(self) -> str:
        """The verification URL with the code filled in (what the QR code opens)."""
        return prefilled_url(self.url, self.code)


def prefilled_url(url: str, code: str) -> str:
    """``url`` with ``code=<code>`` added to its query (any existing ``code`` is replaced)."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "code"]
    query.append(("code", code))
    return urlunsplit(parts._replace(query=urlencode(query)))
