"""Every translation catalogue is complete and its translations keep the message's values and markup.

Councils in Wales must offer the service in Welsh (the Welsh Language Standards),
so a string added in English without its Welsh is a defect, not a nice-to-have.
These checks fail when:

* a string marked for translation in the code or templates is missing from a
  catalogue (``make update-translations`` adds it) or has no translation there
  (every plural form filled, nothing left fuzzy);
* a translation names a value the message does not pass, or drops one it does
  (the form for exactly one may leave out the count: Welsh says "un llythyr");
* a translation's HTML tags differ from the message's: most translated strings
  are rendered as markup, so a lost ``</a>`` breaks the page.
"""

from __future__ import annotations

import gettext
import os
import re
from collections import Counter
from functools import cache
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "app" / "translations"
CATALOGUES = sorted(TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"))

# The same keywords as `make update-translations` passes to `pybabel extract`.
KEYWORDS = {**DEFAULT_KEYWORDS, "lazy_gettext": None, "_l": None, "stored_gettext": None, "stored_ngettext": (1, 2)}

# Values a message passes: %(name)s and %(name)d, bare %s and %d, str.format's {name}, and a literal %%.
VALUE = re.compile(r"%\(\w+\)[sdr]|%[sd]|\{\w*\}|%%")
TAG = re.compile(r"</?(?:a|abbr|br|code|em|p|span|strong)\b[^>]*>")
# The names ngettext gives the count; the form for one may say "un" instead of the number.
COUNTS = {"%(num)s", "%(num)d", "%(count)s", "%(count)d"}


def _language(po: Path) -> str:
    return po.parent.parent.name


@cache
def _catalogue(po: Path) -> Catalog:
    with po.open("rb") as handle:
        return read_po(handle)


def _messages(po: Path):
    return [message for message in _catalogue(po) if message.id]


def _values(text: str) -> Counter:
    return Counter(VALUE.findall(text))


def _tags(text: str) -> Counter:
    return Counter(TAG.findall(text))


def _plural_of(catalogue: Catalog, n: int) -> int:
    """The plural form gettext picks for ``n``, by compiling the catalogue's own Plural-Forms rule."""
    return gettext.c2py(catalogue.plural_expr)(n)


@cache
def _extracted() -> frozenset[str]:
    """Every message id `pybabel extract` finds with the project's babel.cfg (the singular of a plural)."""
    with (ROOT / "babel.cfg").open() as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    # Walk only the folders babel.cfg names (app/, tenants/, workers/), not node_modules or a virtualenv.
    tops = {pattern.split("/", 1)[0] for pattern, _method in method_map}

    def _wanted(path: str) -> bool:
        parts = Path(os.path.relpath(path, ROOT)).parts
        return parts[0] in tops and not any(part.startswith((".", "_")) for part in parts)

    found = set()
    for _filename, _line, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=KEYWORDS, directory_filter=_wanted
    ):
        found.add(message if isinstance(message, str) else message[0])
    return frozenset(found)


def test_there_is_a_catalogue_to_check():
    assert CATALOGUES, "no app/translations/*/LC_MESSAGES/messages.po"


@pytest.mark.parametrize("po", CATALOGUES, ids=_language)
def test_every_string_in_the_code_is_in_the_catalogue(po: Path):
    ids = {message.id if isinstance(message.id, str) else message.id[0] for message in _messages(po)}
    missing = sorted(_extracted() - ids)
    assert not missing, (
        f"{len(missing)} strings are not in the {_language(po)} catalogue; run `make update-translations` "
        "and translate them:\n" + "\n".join(missing[:50])
    )


@pytest.mark.parametrize("po", CATALOGUES, ids=_language)
def test_every_message_is_translated(po: Path):
    catalogue = _catalogue(po)
    untranslated = []
    for message in _messages(po):
        strings = [message.string] if isinstance(message.id, str) else list(message.string)
        if message.fuzzy:
            untranslated.append(f"fuzzy: {message.id!r}")
        elif isinstance(message.id, tuple) and len(strings) != catalogue.num_plurals:
            untranslated.append(f"{len(strings)} of {catalogue.num_plurals} plural forms: {message.id!r}")
        elif not all(s and s.strip() for s in strings):
            untranslated.append(repr(message.id))
    assert not untranslated, f"{len(untranslated)} untranslated in {_language(po)}:\n" + "\n".join(untranslated)


@pytest.mark.parametrize("po", CATALOGUES, ids=_language)
def test_translations_keep_the_values_and_markup_of_their_message(po: Path):
    catalogue = _catalogue(po)
    one = _plural_of(catalogue, 1)
    wrong = []
    for message in _messages(po):
        if isinstance(message.id, str):
            pairs = [(message.id, message.string, False)] if message.string else []
        else:
            # Each form is checked against the English plural, which names every value.
            pairs = [(message.id[1], text, index == one) for index, text in enumerate(message.string) if text]
        for source, text, is_one in pairs:
            expected, found = _values(source), _values(text)
            if is_one:
                expected = Counter({k: v for k, v in expected.items() if k not in COUNTS})
                found = Counter({k: v for k, v in found.items() if k not in COUNTS})
            if set(expected) != set(found) or expected["%%"] != found["%%"]:
                wrong.append(f"values {sorted(expected)} -> {sorted(found)}: {source!r} -> {text!r}")
            if _tags(source) != _tags(text):
                wrong.append(f"markup differs: {source!r} -> {text!r}")
    assert not wrong, f"{len(wrong)} in {_language(po)}:\n" + "\n".join(wrong)


def test_the_checks_catch_a_broken_translation():
    """The comparisons themselves: a dropped value, an invented one, a lost tag, a lost %%."""
    assert _values("Hello %(name)s, %(n)d%% done") == Counter({"%(name)s": 1, "%(n)d": 1, "%%": 1})
    assert set(_values("Helo %(enw)s")) != set(_values("Hello %(name)s"))
    assert _tags('See <a class="govuk-link" href="%(url)s">this</a>') != _tags('Gweler <a href="%(url)s">hwn')
    assert _tags("/c/<short name>/") == Counter()  # literal angle brackets in text are not markup
