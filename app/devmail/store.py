"""Caught emails as files: one ``<id>.eml`` per message, newest ids sort last.

The SMTP catcher (``app.devserver.mailcatcher``) writes them and the /dev/mail
pages read them. An id is a UTC timestamp plus random hex, so listing in
reverse name order is newest first, and anything else is not an id (which
keeps a request from naming a path outside the directory).
"""

from __future__ import annotations

import os
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

MESSAGE_ID = re.compile(r"^\d{8}T\d{12}-[0-9a-f]{8}$")
SUFFIX = ".eml"


@dataclass(frozen=True)
class CaughtMessage:
    id: str
    received_at: datetime
    sender: str
    to: str
    subject: str
    body: str


def save_message(directory: Path, content: bytes) -> str:
    """Store one raw message; returns its id. Written atomically (temp file, then rename)."""
    directory.mkdir(parents=True, exist_ok=True)
    message_id = f"{datetime.now(UTC):%Y%m%dT%H%M%S%f}-{secrets.token_hex(4)}"
    temporary = directory / f".{message_id}.tmp"
    temporary.write_bytes(content)
    os.replace(temporary, directory / f"{message_id}{SUFFIX}")
    return message_id


def list_messages(directory: Path, limit: int = 200) -> list[CaughtMessage]:
    """The newest ``limit`` messages, newest first."""
    if not directory.is_dir():
        return []
    ids = sorted((p.stem for p in directory.glob(f"*{SUFFIX}") if MESSAGE_ID.match(p.stem)), reverse=True)
    return [message for message in (read_message(directory, i) for i in ids[:limit]) if message is not None]


def read_message(directory: Path, message_id: str) -> CaughtMessage | None:
    """The message with ``message_id``, or ``None`` if there is none (or the id is malformed)."""
    if not MESSAGE_ID.match(message_id):
        return None
    path = directory / f"{message_id}{SUFFIX}"
    try:
        raw = path.read_bytes()
    except (FileNotFoundError, IsADirectoryError):
        return None
    parsed = BytesParser(policy=policy.default).parsebytes(raw)
    return CaughtMessage(
        id=message_id,
        received_at=datetime.strptime(message_id.split("-")[0], "%Y%m%dT%H%M%S%f").replace(tzinfo=UTC),
        sender=str(parsed.get("From", "")),
        to=str(parsed.get("To", "")),
        subject=str(parsed.get("Subject", "")) or "(no subject)",
        body=_body_text(parsed),
    )


def _body_text(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    try:
        return part.get_content()
    except (LookupError, UnicodeDecodeError):  # unknown charset: show what we can
        payload = part.get_payload(decode=True) or b""
        return payload.decode("utf-8", errors="replace")
