"""Messages written where no language is known yet, translated when a page shows them.

An RQ job (checking an uploaded register, counting a ballot) writes messages
that an officer reads later, perhaps in Welsh. The job cannot translate them:
it does not know who will read them. So it keeps the English message id and
its values instead of the finished sentence::

    problem = stored_gettext('"%(postcode)s" is not a UK postcode', postcode=raw)
    record.problems = [..., problem.to_json()]         # {"msgid": ..., "params": {...}}
    ...
    shown_message(record.problems[0])                  # in the reader's language

``stored_gettext`` and ``stored_ngettext`` are extraction keywords (see the
Makefile's ``update-translations``), so the catalogue holds every such message
and translators see whole sentences with named placeholders.

Nothing here needs Flask until :meth:`StoredMessage.translated` is called, so
pure code (the CSV readers) can make these messages and read them in English
(:meth:`StoredMessage.english`, used for logs, the CLI and tests).

Records written before messages were stored this way hold plain English text;
:func:`shown_message` shows such text as it is.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

# Values a stored message may carry: they go through JSON and back unchanged.
Value = str | int | float | bool | None


@dataclass(frozen=True)
class StoredMessage:
    """An English message id (and plural form), with the values for its named placeholders."""

    msgid: str
    params: Mapping[str, Value] = field(default_factory=dict)
    plural: str | None = None
    num: int | None = None  # the number that picks the plural form; also the ``%(num)d`` placeholder

    def _values(self) -> dict[str, Value]:
        values = dict(self.params)
        if self.plural is not None:
            values.setdefault("num", self.num)
        return values

    def english(self) -> str:
        """The message in English (the message ids are English), without Flask."""
        text = self.plural if self.plural is not None and self.num != 1 else self.msgid
        values = self._values()
        return text % values if values else text

    def translated(self) -> str:
        """The message in the current request's language (needs an app context with Flask-Babel)."""
        from flask_babel import gettext, ngettext

        if self.plural is not None:
            return ngettext(self.msgid, self.plural, self.num or 0, **self._values())
        return gettext(self.msgid, **self._values())

    def __str__(self) -> str:
        return self.english()

    def to_json(self) -> dict[str, Any]:
        """The message as a JSON object, to keep in a JSON column."""
        data: dict[str, Any] = {"msgid": self.msgid, "params": dict(self.params)}
        if self.plural is not None:
            data["plural"], data["num"] = self.plural, self.num
        return data

    def to_text(self) -> str:
        """The message as JSON text, for a text column (see :func:`shown_message`)."""
        return json.dumps(self.to_json(), ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_json(cls, data: object) -> StoredMessage | None:
        """The message kept by :meth:`to_json` (or :meth:`to_text`); None for anything else."""
        if isinstance(data, str) and data.startswith('{"msgid":'):
            try:
                data = json.loads(data)
            except ValueError:
                return None
        if not isinstance(data, dict) or not isinstance(data.get("msgid"), str):
            return None
        params = data.get("params") or {}
        if not isinstance(params, dict):
            return None
        plural = data.get("plural")
        return cls(data["msgid"], params, plural if isinstance(plural, str) else None, data.get("num"))


def stored_gettext(msgid: str, **params: Value) -> StoredMessage:
    """A message to translate later: ``msgid`` is a whole English sentence with ``%(name)s`` placeholders."""
    return StoredMessage(msgid, params)


def stored_ngettext(singular: str, plural: str, num: int, **params: Value) -> StoredMessage:
    """A message with a counted number (``%(num)d``), to translate later in the right plural form."""
    return StoredMessage(singular, params, plural, num)


def shown_message(stored: object) -> str:
    """A stored message in the current language; text from before messages were stored is shown as it is."""
    message = stored if isinstance(stored, StoredMessage) else StoredMessage.from_json(stored)
    if message is None:
        return "" if stored is None else str(stored)
    try:
        return message.translated()
    except (KeyError, ValueError, TypeError):
        # A translation whose placeholders do not match the values: English is better than a 500.
        return message.english()
