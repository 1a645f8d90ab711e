"""Python code marks people's messages as whole translatable sentences (issue 4).

Templates are checked by ``test_translatable.py``; this scans the Python under
``app/`` with :mod:`ast` and fails on:

* ``gettext`` / ``_`` / ``lazy_gettext`` / ``_l`` / ``ngettext`` called with a
  message that is not a string literal (an f-string, ``%`` or ``.format`` or
  ``+`` inside the call, or a variable): the extractor cannot see such a message,
  and the translator would get fragments. Values go in named placeholders.
* An error class whose message is shown to people (:data:`PEOPLE_FACING_ERRORS`)
  made with an f-string or a bare, untranslated string literal.

Not scanned, on purpose (the errors below are not in the list):

* the pure counting code (``app/voting/methods``) and the interchange formats
  (``TallyError``, ``BltError``, ``PabulibError``): they have no Flask, and their
  English messages are for the ``rochdale tally`` command line and logs; where a
  page shows one it is inside a translated sentence ("The count could not run: …");
* start-up and programming errors (``ConfigError``, ``LetterLanguageError``,
  ``NotCanonicalError``, ``ValueError``, ``LookupError``), which no person using
  the service can cause.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parents[2] / "app"

GETTEXT_NAMES = {"_", "_l", "gettext", "lazy_gettext", "ngettext", "lazy_ngettext"}

# Errors whose message reaches a page (or a flash, or a form field).
PEOPLE_FACING_ERRORS = {
    "AdminError",
    "AlreadyVotedError",
    "BallotFrozenError",
    "BallotNotReadyError",
    "CastingError",
    "CodeFormatError",
    "CountError",
    "CouncilInputError",
    "DeliveryConflict",
    "DuplicateNeighbourhoodError",
    "ElectorateError",
    "EntryError",
    "ExportError",
    "IllegalTransitionError",
    "InvitationError",
    "LastAdministratorError",
    "NeighbourhoodInUseError",
    "NotEligibleError",
    "NotOpenError",
    "OptionError",
    "PaperError",
    "PaperFormError",
    "PhaseError",
    "PrioritiesError",
    "ProfileError",
    "ProxyError",
    "RulesError",
    "StopValidation",
    "ValidationError",
    "VotingError",
    "YouthError",
}


# (file, the variable passed to gettext): messages marked with ``N_`` where they are written
# (so the extractor finds them) and translated later, when the language is known.
DEFERRED = {("app/web/errors.py", "title")}


def _called_name(call: ast.Call) -> str | None:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def _is_literal(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def problems_in(source: str, filename: str) -> list[str]:
    """Every breach of the rules above in ``source``, as ``file:line: what``."""
    found: list[str] = []
    for node in ast.walk(ast.parse(source, filename)):
        if not isinstance(node, ast.Call):
            continue
        name = _called_name(node)
        if name in GETTEXT_NAMES and isinstance(node.func, ast.Name):
            messages = node.args[:2] if name in ("ngettext", "lazy_ngettext") else node.args[:1]
            for message in messages:
                if (filename, ast.unparse(message)) in DEFERRED:
                    continue
                if not _is_literal(message):
                    found.append(
                        f"{filename}:{node.lineno}: {name}() needs a string literal, not {ast.unparse(message)}"
                    )
        elif name in PEOPLE_FACING_ERRORS and node.args:
            message = node.args[0]
            if isinstance(message, ast.JoinedStr):
                found.append(f"{filename}:{node.lineno}: {name} built from an f-string")
            elif _is_literal(message) and message.value.strip():
                found.append(f"{filename}:{node.lineno}: {name} with an untranslated message {message.value!r}")
    return found


def _sources() -> list[Path]:
    return sorted(p for p in APP.rglob("*.py") if "methods" not in p.relative_to(APP).parts)


def test_python_messages_are_whole_translatable_sentences():
    found = [p for path in _sources() for p in problems_in(path.read_text(), str(path.relative_to(APP.parent)))]
    assert not found, "\n".join(found)


@pytest.mark.parametrize(
    "source",
    [
        'raise YouthError(f"Enter {what}")',
        'raise RulesError("The budget must be whole pence", "budget")',
        '_("Enter %(what)s" % {"what": what})',
        '_(f"Enter {what}")',
        "_l(message)",
        '_("Enter " + what)',
        'ngettext("%(num)d paper", f"{n} papers", n)',
        'errors.append(CountError("Only a closed ballot can be counted"))',
    ],
)
def test_the_scan_catches_fragments_and_untranslated_errors(source):
    assert problems_in(source, "example.py")


@pytest.mark.parametrize(
    "source",
    [
        'raise YouthError(_("Enter a title"), "title")',
        'raise RulesError(_l("The budget must be whole pence from %(low)s", low=low), "budget")',
        'ngettext("%(num)d paper", "%(num)d papers", n)',
        "raise YouthError(message, field)",  # a message made earlier, by the caller, from a literal
        'raise TallyError(f"unknown method {method!r}")',  # command-line English: not a people-facing error
    ],
)
def test_the_scan_accepts_whole_sentences(source):
    assert problems_in(source, "example.py") == []
