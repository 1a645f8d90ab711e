"""A local SMTP server that keeps every message as a file instead of sending it."""

from __future__ import annotations

from pathlib import Path

from aiosmtpd.controller import Controller

from app.devmail.store import save_message
from app.embedded import free_port


class _StoreHandler:
    def __init__(self, directory: Path) -> None:
        self.directory = directory

    async def handle_DATA(self, server, session, envelope) -> str:  # aiosmtpd's hook name
        content = envelope.original_content or envelope.content
        save_message(self.directory, content if isinstance(content, bytes) else content.encode())
        return "250 Message accepted for delivery"


class MailCatcher:
    """An aiosmtpd server on 127.0.0.1 writing each message under ``directory``."""

    def __init__(self, directory: Path, port: int | None = None, host: str = "127.0.0.1") -> None:
        self.directory = directory
        self.host = host
        self.port = port or free_port(host)
        self._controller = Controller(_StoreHandler(directory), hostname=host, port=self.port)

    def start(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        self._controller.start()

    def stop(self) -> None:
        self._controller.stop()
