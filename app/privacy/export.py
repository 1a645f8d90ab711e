"""A person's copy of their data: every provider's sections, and the JSON file made from them."""

from __future__ import annotations

import base64
import decimal
import enum
import json
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from app.privacy.registry import PROVIDERS, Provider

FORMAT_VERSION = 1


@dataclass(frozen=True)
class ModuleCopy:
    """One provider's part of the copy."""

    provider: Provider
    sections: dict[str, Any]

    @property
    def is_empty(self) -> bool:
        return not any(self.sections.values())


def collect(user_id: int) -> list[ModuleCopy]:
    """Every provider's sections for ``user_id`` in the current council, in registry order."""
    return [ModuleCopy(provider, provider.export(user_id)) for provider in PROVIDERS]


def jsonable(value: Any) -> Any:
    """``value`` with dates as ISO 8601, enums as their values, bytes as base64, ids and decimals as text."""
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [jsonable(v) for v in value]
    if isinstance(value, enum.Enum):
        return jsonable(value.value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes | bytearray | memoryview):
        return {"base64": base64.b64encode(bytes(value)).decode("ascii")}
    if isinstance(value, uuid.UUID | decimal.Decimal):
        return str(value)
    return value


def to_json(copy: list[ModuleCopy], *, council: str, user_id: int, generated_at: datetime) -> bytes:
    """The downloadable file: UTF-8 JSON, one key per module."""
    document = {
        "format_version": FORMAT_VERSION,
        "council": council,
        "user_id": user_id,
        "generated_at": generated_at,
        "modules": {part.provider.key: {"title": str(part.provider.title), **part.sections} for part in copy},
    }
    return json.dumps(jsonable(document), ensure_ascii=False, indent=2, sort_keys=False).encode("utf-8")
