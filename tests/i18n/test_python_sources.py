"""Python code marks people's messages as whole translatable sentences (issue 4).

Templates are checked by ``test_translatable.py``; this scans the Python under
``app/`` with :mod:`ast` and fails on:

* ``gettext`` / ``_`` / ``lazy_gettext`` / ``_l`` / ``ngettext`` called with a
  message that is not a string literal (an f-string, ``%`` or ``.format`` or
  ``+`` inside the call, or a variable): the extractor cannot see such a message,
  and the translator would get fragments. Values go in named placeholders.
* An error class whose message is shown to people (:data:`PEOPLE_FACING_ERRORS`)
  made with an f-string or a bare, untranslated string literal.
* A message handed to something that shows it to people, given as an f-string
  or a bare string literal instead of a ``gettext``-family call (second pass):

  - the message argument of the calls in :data:`MESSAGE_ARGUMENTS` (a CSV
    ``Problem``, a form ``FieldError``, a job's progress message);
  - any keyword argument called ``message=`` or ``problem=``;
  - ``.append(...)`` onto a list whose name says it holds problems, errors or
    notes (``problems.append(f"…")``).

  Job code (the register import, the count) has no language to translate
  into, so it passes ``stored_gettext(…)`` (``app.i18n.stored``), translated
  when the page shows it; request code passes ``_(…)`` or ``_l(…)``. The rule
  looks only at the literal in the call: a message made earlier in a variable
  is assumed to have been made properly (the other rules check where it was).

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

GETTEXT_NAMES = {
    "_",
    "_l",
    "gettext",
    "lazy_gettext",
    "ngettext",
    "lazy_ngettext",
    "stored_gettext",
    "stored_ngettext",
}
PLURAL_NAMES = {"ngettext", "lazy_ngettext", "stored_ngettext"}

# Calls that show a message to people: the position of the message among their arguments.
MESSAGE_ARGUMENTS = {
    "Problem": 2,  # Problem(line, column, message): register, postcode and neighbourhood files
    "FieldError": 1,  # FieldError(field, message): a voting paper's form errors
    "finish_run": 0,  # job progress, shown on the page that waits for the job
    "fail_run": 0,
    "report_progress": 2,
}
MESSAGE_KEYWORDS = {"message", "problem"}
# ``<name>.append(...)`` where <name> holds messages for people.
MESSAGE_LIST_WORDS = ("problem", "error", "note")

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
DEFERRED = {
    ("app/web/errors.py", "title"),
    # A stored message's id, translated when shown; written with stored_gettext, which is extracted.
    ("app/i18n/stored.py", "self.msgid"),
    ("app/i18n/stored.py", "self.plural"),
}

# (file, call) pairs the message rules leave alone, each for a reason:
ALLOWED = {
    # click's --version line for the command line: a format of click's, not a sentence.
    ("app/cli/__init__.py", "version_option"),
    # A pattern matching a library's warning, to silence it; nobody reads it.
    ("app/devserver/environment.py", "filterwarnings"),
    # message="ranked_seats" picks one of the module's translated messages by key.
    ("app/voting/rules.py", "_whole"),
}


def _called_name(call: ast.Call) -> str | None:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def _is_literal(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def _is_plain_text(node: ast.AST) -> bool:
    """An f-string, or a string literal with words in it: text no translator will see."""
    return isinstance(node, ast.JoinedStr) or (_is_literal(node) and bool(node.value.strip()))


def _receiver_name(call: ast.Call) -> str:
    """For ``a.b.append(x)`` the name ``b``; ``""`` when the list is not named."""
    target = call.func.value if isinstance(call.func, ast.Attribute) else None
    if isinstance(target, ast.Name):
        return target.id
    if isinstance(target, ast.Attribute):
        return target.attr
    return ""


def _message_problems(node: ast.Call, name: str | None, filename: str) -> list[str]:
    """Plain text handed to something that shows it to people (the second-pass rules)."""
    if (filename, name) in ALLOWED:
        return []
    found = []
    index = MESSAGE_ARGUMENTS.get(name or "")
    if index is not None and len(node.args) > index and _is_plain_text(node.args[index]):
        found.append(f"{filename}:{node.lineno}: {name}() given untranslated text: {ast.unparse(node.args[index])}")
    for keyword in node.keywords:
        if keyword.arg in MESSAGE_KEYWORDS and _is_plain_text(keyword.value):
            found.append(
                f"{filename}:{node.lineno}: {keyword.arg}= given untranslated text: {ast.unparse(keyword.value)}"
            )
    if name == "append" and len(node.args) == 1 and _is_plain_text(node.args[0]):
        receiver = _receiver_name(node).lower()
        if any(word in receiver for word in MESSAGE_LIST_WORDS):
            found.append(f"{filename}:{node.lineno}: untranslated text appended to {receiver}")
    return found


def problems_in(source: str, filename: str) -> list[str]:
    """Every breach of the rules above in ``source``, as ``file:line: what``."""
    found: list[str] = []
    for node in ast.walk(ast.parse(source, filename)):
        if not isinstance(node, ast.Call):
            continue
        name = _called_name(node)
        if name in GETTEXT_NAMES and isinstance(node.func, ast.Name):
            messages = node.args[:2] if name in PLURAL_NAMES else node.args[:1]
            for message in messages:
                if (filename, ast.unparse(message)) in DEFERRED:
                    continue
                if not _is_literal(message):
                    found.append(
                        f"{filename}:{node.lineno}: {name}() needs a string literal, not {ast.unparse(message)}"
                    )
        found += _message_problems(node, name, filename)
        if name in PEOPLE_FACING_ERRORS and node.args:
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
        # second pass: messages handed on as plain text
        'problems.append(Problem(line, "postcode", f"{raw} is not a UK postcode"))',
        'Problem(None, None, "The selected file is empty")',
        'errors.append(FieldError("member", "Choose the member you are voting for"))',
        'progress.finish_run(f"Imported {rows:,} lines")',
        'progress.report_progress(rows, message="Saving")',
        'refuse(problem=f"You are {age}")',
        'problems.append(f"Line {line}: the name is missing")',
        'self.errors.append("Enter a name")',
        'notes.append(f"Each voter\'s share was {share}.")',
        'stored_gettext(f"{value} is not a UK postcode")',
        'stored_ngettext("%(num)d line", message, n)',
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
        'problems.append(Problem(line, "postcode", stored_gettext("%(postcode)s is not a UK postcode", postcode=raw)))',
        'errors.append(FieldError("member", _l("Choose the member you are voting for")))',
        'progress.finish_run(stored_ngettext("Imported %(count)s line", "Imported %(count)s lines", rows, count=n))',
        "problems.append(problem)",  # made earlier, checked where it was made
        'lines.append(f"{name}: {amount}")',  # a list of values, not of messages
        'Problem(3, None, "")',  # empty text says nothing
    ],
)
def test_the_scan_accepts_whole_sentences(source):
    assert problems_in(source, "example.py") == []
