"""Every word a person reads in a template goes through a translation call.

The template is lexed with Jinja's own lexer: text between tags (``data``)
must be markup only once tags, entities and punctuation are removed, and a
string literal in an expression that reads like prose (it has a space or a
capital letter) must sit inside ``_()`` / ``ngettext()``, unless it is a
dict key (``"text":``) or an argument of a call that takes identifiers
(``url_for``, ``endpoint_url``, …).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from jinja2 import Environment

APP = Path(__file__).resolve().parents[2] / "app"
TEMPLATES = APP / "templates"

# Words that are the same in every language: names of things, not interface text.
ALLOWED_WORDS = {
    "Rochdale",  # the product's name
    "GOV.UK",  # the design system's brand
    "Cymraeg",  # a language's own name in the switcher
    "English",
}

# Calls whose string arguments are identifiers (endpoints, formats, attributes), not text.
IDENTIFIER_CALLS = {
    "url_for",
    "endpoint_url",
    "format",
    "attr",
    "get",
    "selectattr",
    "rejectattr",
    "map",
    "join",
    "replace",
    "startswith",
    "endswith",
    "split",
    "strftime",
    "format_datetime",
    "format_date",
    "csrf_token",
    "getattr",
}
TRANSLATION_CALLS = {"_", "gettext", "ngettext", "lazy_gettext", "pgettext", "npgettext"}
# Attributes a person (or their screen reader) reads.
VISIBLE_ATTRIBUTES = re.compile(r'\b(?:aria-label|title|alt|placeholder)="([^"{}]*)"')
WORD = re.compile(r"[A-Za-z][A-Za-z']+")
PLACEHOLDER = "\x00"


# Packages with their own templates that are not for the public: English only, on purpose.
UNTRANSLATED_PACKAGES = {"devmail"}  # the development mail catcher (make run only)


def _templates() -> list[Path]:
    """The app's templates, and those of packages that keep their own (``app/<package>/templates``)."""
    own = (p for p in APP.glob("*/**/templates/**/*.html") if p.relative_to(APP).parts[0] not in UNTRANSLATED_PACKAGES)
    return sorted({*TEMPLATES.rglob("*.html"), *own})


def _words(text: str) -> list[str]:
    text = re.sub(r"&#?\w+;", " ", text)
    return [w for w in WORD.findall(text) if w not in ALLOWED_WORDS]


def _is_prose(literal: str) -> bool:
    """Does this string read like words for people (not a class, key, path or endpoint)?"""
    text = re.sub(r"<[^>]*>", " ", literal)
    if not _words(text):
        return False
    # CSS classes and command-line options ("govuk-button--secondary govuk-!-margin-bottom-0").
    if re.fullmatch(r"[a-z0-9_!.:/ -]*-[a-z0-9_!.:/ -]*", text.strip()):
        return False
    return " " in text.strip() or re.search(r"[A-Z][a-z]", text) is not None


def untranslated(source: str) -> list[tuple[int, str]]:
    """(line, text) for each piece of visible text outside a translation call."""
    env = Environment(extensions=["jinja2.ext.i18n", "jinja2.ext.do"])
    tokens = list(env.lex(source))
    problems: list[tuple[int, str]] = []

    # Text between tags: keep data, blank out Jinja, then drop markup.
    page: list[str] = []
    for _lineno, kind, value in tokens:
        if kind == "data":
            page.append(value)
        else:
            page.append(PLACEHOLDER + "\n" * value.count("\n"))
    text = "".join(page)
    text = re.sub(r"<(script|style)\b.*?</\1>", lambda m: "\n" * m.group().count("\n"), text, flags=re.S)
    text = re.sub(r"<!--.*?-->", lambda m: "\n" * m.group().count("\n"), text, flags=re.S)

    def _tag(match: re.Match) -> str:
        for value in VISIBLE_ATTRIBUTES.findall(match.group()):
            if _words(value.replace(PLACEHOLDER, " ")):
                line = text.count("\n", 0, match.start()) + 1
                problems.append((line, value))
        return "\n" * match.group().count("\n")

    text = re.sub(r"<[^>]*>", _tag, text)
    for number, line in enumerate(text.split("\n"), start=1):
        if _words(line.replace(PLACEHOLDER, " ")):
            problems.append((number, line.replace(PLACEHOLDER, "…").strip()))

    # String literals in expressions.
    calls: list[str | None] = []  # the name of each open bracket's call, innermost last
    previous: list[tuple[str, str]] = []
    for index, (lineno, kind, value) in enumerate(tokens):
        if kind == "operator" and value in "([{":
            name = previous[-1][1] if value == "(" and previous and previous[-1][0] == "name" else None
            calls.append(name)
        elif kind == "operator" and value in ")]}":
            if calls:
                calls.pop()
        elif kind in ("block_end", "variable_end"):
            calls.clear()
        elif kind == "string":
            following = tokens[index + 1] if index + 1 < len(tokens) else None
            is_key = following is not None and following[1] == "operator" and following[2] == ":"
            in_call = any(c in TRANSLATION_CALLS or c in IDENTIFIER_CALLS for c in calls if c)
            after_tag = (
                previous
                and previous[-1][0] == "name"
                and previous[-1][1]
                in {
                    "extends",
                    "include",
                    "import",
                    "from",
                }
            )
            if not (is_key or in_call or after_tag) and _is_prose(ast.literal_eval(value)):
                problems.append((lineno, ast.literal_eval(value)))
        if kind not in ("whitespace",):
            previous.append((kind, value))
    return sorted(set(problems))


@pytest.mark.parametrize("template", _templates(), ids=lambda p: str(p.relative_to(APP)))
def test_every_visible_string_is_translatable(template: Path):
    problems = untranslated(template.read_text())
    report = "\n".join(f"{template.relative_to(APP)}:{line}: {text!r}" for line, text in problems)
    assert not problems, "Text outside a translation call (wrap it in _()):\n" + report


def test_the_checker_finds_bare_text():
    source = (
        '<h1 class="x">Ballots</h1>\n'
        '{{ govukButton({"text": "Continue"}) }}\n'
        '<p>{{ _("Fine") }} &ndash; {{ name }}</p>\n'
        '<a href="{{ url_for("x.y", a="B c") }}" aria-label="Close me">x</a>\n'
    )
    assert [line for line, _ in untranslated(source)] == [1, 2, 4]


def test_a_council_page_in_welsh(client, create_council, db):
    council = create_council()
    db.session.commit()
    page = client.get(f"/c/{council.slug}/ballots/", headers={"Accept-Language": "cy"})
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert '<html lang="cy"' in body
    assert "Pleidleisiau" in body
    assert "Ballots" not in re.sub(r"<[^>]*>", "", body.split("<main", 1)[1])
