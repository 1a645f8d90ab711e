"""The tenant perception survey: the Regulator of Social Housing's Tenant Satisfaction Measures (TP01 to TP12).

The question texts follow the regulator's wording, with "your landlord"
where a landlord's name would go. Each is answered on a five-point scale
(TP08 agrees or disagrees; the rest are satisfied or dissatisfied), and
some apply only to some tenants (TP02 and TP03 to those who had a repair in
the last 12 months, TP09 to those who complained, TP10 to those with
communal areas), so every question can be answered "does not apply to me".

A measure is the share of tenants who answered 1 (very satisfied) or 2
(fairly satisfied) — or strongly agree / agree for TP08 — out of those who
gave an answer on the scale; "does not apply" is left out of both. Results
are shown with their counts, and a result from fewer than
:data:`SMALL_COUNT` answers is marked as such rather than hidden.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from app.i18n import lazy_gettext as _l

SMALL_COUNT = 10
NOT_APPLICABLE = 0
SCALE = (1, 2, 3, 4, 5)
SATISFIED = (1, 2)


@dataclass(frozen=True)
class Question:
    code: str
    text: Any  # a lazy string
    agree: bool = False  # TP08 is agree/disagree


QUESTIONS: tuple[Question, ...] = (
    Question(
        "TP01",
        _l(
            "Taking everything into account, how satisfied or dissatisfied are you with the service provided by "
            "your landlord?"
        ),
    ),
    Question(
        "TP02",
        _l(
            "How satisfied or dissatisfied are you with the overall repairs service from your landlord over the "
            "last 12 months?"
        ),
    ),
    Question(
        "TP03",
        _l(
            "How satisfied or dissatisfied are you with the time taken to complete your most recent repair after "
            "you reported it?"
        ),
    ),
    Question(
        "TP04", _l("How satisfied or dissatisfied are you that your landlord provides a home that is well maintained?")
    ),
    Question(
        "TP05",
        _l(
            "Thinking about the condition of the property or building you live in, how satisfied or dissatisfied "
            "are you that your landlord provides a home that is safe?"
        ),
    ),
    Question(
        "TP06", _l("How satisfied or dissatisfied are you that your landlord listens to your views and acts upon them?")
    ),
    Question(
        "TP07",
        _l(
            "How satisfied or dissatisfied are you that your landlord keeps you informed about things that matter "
            "to you?"
        ),
    ),
    Question(
        "TP08",
        _l(
            "To what extent do you agree or disagree with the following: “My landlord treats me fairly and with "
            "respect”?"
        ),
        agree=True,
    ),
    Question("TP09", _l("How satisfied or dissatisfied are you with your landlord's approach to complaints handling?")),
    Question(
        "TP10",
        _l("How satisfied or dissatisfied are you that your landlord keeps communal areas clean and well maintained?"),
    ),
    Question(
        "TP11",
        _l(
            "How satisfied or dissatisfied are you that your landlord makes a positive contribution to your "
            "neighbourhood?"
        ),
    ),
    Question(
        "TP12",
        _l("How satisfied or dissatisfied are you with your landlord's approach to handling anti-social behaviour?"),
    ),
)
CODES = tuple(q.code for q in QUESTIONS)

SATISFACTION_LABELS = {
    1: _l("Very satisfied"),
    2: _l("Fairly satisfied"),
    3: _l("Neither satisfied nor dissatisfied"),
    4: _l("Fairly dissatisfied"),
    5: _l("Very dissatisfied"),
    NOT_APPLICABLE: _l("Does not apply to me"),
}
AGREE_LABELS = {
    1: _l("Strongly agree"),
    2: _l("Agree"),
    3: _l("Neither agree nor disagree"),
    4: _l("Disagree"),
    5: _l("Strongly disagree"),
    NOT_APPLICABLE: _l("Does not apply to me"),
}


def labels_for(question: Question) -> dict[int, Any]:
    return AGREE_LABELS if question.agree else SATISFACTION_LABELS


class SurveyAnswerError(ValueError):
    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def check_answers(raw: Mapping[str, Any]) -> dict[str, int]:
    """Every question answered with a point of the scale or "does not apply", or :class:`SurveyAnswerError`."""
    answers = {}
    for question in QUESTIONS:
        value = raw.get(question.code)
        text = str(value).strip() if value is not None else ""
        if not text.isdigit() or int(text) not in (*SCALE, NOT_APPLICABLE):
            raise SurveyAnswerError(str(_l("Choose an answer to question %(code)s", code=question.code)), question.code)
        answers[question.code] = int(text)
    return answers


def _answer(answers: Any, code: str) -> int | None:
    """A stored answer on the scale, or None (not answered, does not apply, or not readable)."""
    if not isinstance(answers, Mapping):
        return None
    value = answers.get(code)
    if isinstance(value, bool) or not isinstance(value, int) or value not in SCALE:
        return None
    return value


@dataclass(frozen=True)
class QuestionShare:
    part: int
    whole: int

    @property
    def percent(self) -> float | None:
        return None if self.whole == 0 else 100 * self.part / self.whole

    @property
    def small(self) -> bool:
        return self.whole < SMALL_COUNT


def question_share(rows: Iterable[Any], code: str) -> QuestionShare:
    """Satisfied (or agreeing) answers to ``code`` out of answers on the scale, over response rows."""
    part = whole = 0
    for row in rows:
        value = _answer(row.answers, code)
        if value is None:
            continue
        whole += 1
        part += value in SATISFIED
    return QuestionShare(part, whole)


@dataclass(frozen=True)
class EstateResults:
    estate_id: int
    name: str
    responses: int
    shares: dict[str, QuestionShare]


def results_by_estate(
    rows: Iterable[Any], estate_names: Mapping[int, str]
) -> tuple[list[EstateResults], EstateResults]:
    """Each estate's shares for every question (estates with responses, by name), and the whole survey's."""
    rows = list(rows)
    by_estate: dict[int, list[Any]] = {}
    for row in rows:
        by_estate.setdefault(row.estate_id, []).append(row)
    estates = [
        EstateResults(
            estate_id,
            estate_names.get(estate_id, ""),
            len(group),
            {code: question_share(group, code) for code in CODES},
        )
        for estate_id, group in by_estate.items()
    ]
    estates.sort(key=lambda e: (e.name, e.estate_id))
    overall = EstateResults(0, "", len(rows), {code: question_share(rows, code) for code in CODES})
    return estates, overall


def percent_text(share: QuestionShare) -> str:
    """``72%`` (whole percent), or an empty string when nobody answered."""
    if share.percent is None:
        return ""
    return f"{share.percent:.0f}%"
