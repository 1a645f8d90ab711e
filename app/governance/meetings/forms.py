"""Forms for the meeting pages (Flask-WTF, so each carries a CSRF token).

Dates, times and numbers are read as text and checked here, so a bad value is
a message next to its field rather than an exception.
"""

from __future__ import annotations

from datetime import date, datetime

from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import AnyOf, InputRequired, Length

from app.i18n import _l
from app.i18n import gettext as _
from app.voting import timing
from app.voting.forms import choices, parse_time


def _strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


def _add(field, message: str) -> None:
    field.errors = [*field.errors, message]


def moment(day_field, time_field) -> datetime | None:
    """The UK date and time typed in two fields, as an aware datetime; on a bad value adds errors, returns None."""
    try:
        day = date.fromisoformat((day_field.data or "").strip())
    except ValueError:
        _add(day_field, _("Enter a real date, like 2027-03-16"))
        return None
    clock = parse_time(time_field.data)
    if clock is None:
        _add(time_field, _("Enter a time like 18:00 or 6pm"))
        return None
    return timing.uk_datetime(day, *clock)


def whole(field, *, required: bool = True) -> int | None:
    text = (field.data or "").strip()
    if not text:
        if required:
            _add(field, _("Enter a number, like 0 or 12"))
        return None
    if not text.isdigit() or len(text) > 7:
        _add(field, _("Enter a whole number, like 0 or 12"))
        return None
    return int(text)


BODY_CHOICES = (
    ("general_meeting", _l("A general meeting of the members")),
    ("forum", _l("A meeting of the forum")),
    ("board", _l("A meeting of the board")),
)


class MeetingForm(FlaskForm):
    # Optional: a form without it (every society but a school trust or care enterprise needs only one body)
    # calls a general meeting.
    body = StringField(
        _l("Which body meets"),
        filters=[_strip],
        validators=[AnyOf(["", *(v for v, _label in BODY_CHOICES)], message=_l("Choose which body meets"))],
    )
    kind = RadioField(
        _l("Kind of meeting"),
        choices=choices([("annual", _l("Annual meeting")), ("special", _l("Special meeting"))]),
        validators=[InputRequired(_l("Choose the kind of meeting"))],
    )
    title = StringField(
        _l("Title"),
        filters=[_strip],
        validators=[
            InputRequired(_l("Enter a title")),
            Length(max=200, message=_l("Title must be 200 characters or fewer")),
        ],
    )
    starts_on = StringField(_l("Date of the meeting"), filters=[_strip])
    starts_time = StringField(_l("Time the meeting starts"), filters=[_strip])
    place = TextAreaField(
        _l("Place"),
        filters=[_strip],
        validators=[Length(max=2000, message=_l("Place must be 2,000 characters or fewer"))],
    )
    online_link = StringField(
        _l("Online meeting link (optional)"),
        filters=[_strip],
        validators=[Length(max=500, message=_l("The link must be 500 characters or fewer"))],
    )
    voting_opens_on = StringField(_l("Date online voting opens"), filters=[_strip])
    voting_opens_time = StringField(_l("Time online voting opens"), filters=[_strip])
    voting_closes_on = StringField(_l("Date online voting closes"), filters=[_strip])
    voting_closes_time = StringField(_l("Time online voting closes"), filters=[_strip])

    def moments(self) -> tuple[datetime | None, datetime | None, datetime | None]:
        return (
            moment(self.starts_on, self.starts_time),
            moment(self.voting_opens_on, self.voting_opens_time),
            moment(self.voting_closes_on, self.voting_closes_time),
        )


class AgendaItemForm(FlaskForm):
    title = StringField(
        _l("Item"),
        filters=[_strip],
        validators=[
            InputRequired(_l("Enter the item")),
            Length(max=200, message=_l("Item must be 200 characters or fewer")),
        ],
    )
    description = TextAreaField(
        _l("Details (optional)"),
        filters=[_strip],
        validators=[Length(max=5000, message=_l("Details must be 5,000 characters or fewer"))],
    )


class ResolutionForm(FlaskForm):
    kind = RadioField(
        _l("Kind of resolution"),
        choices=choices([("ordinary", _l("Ordinary resolution")), ("special", _l("Special resolution"))]),
        validators=[InputRequired(_l("Choose ordinary or special"))],
    )
    title = StringField(
        _l("Title"),
        filters=[_strip],
        validators=[
            InputRequired(_l("Enter a title")),
            Length(max=200, message=_l("Title must be 200 characters or fewer")),
        ],
    )
    text = TextAreaField(
        _l("Text of the resolution"),
        filters=[_strip],
        validators=[
            InputRequired(_l("Enter the text of the resolution")),
            Length(max=10000, message=_l("The text must be 10,000 characters or fewer")),
        ],
    )
    proposer = StringField(
        _l("Proposed by"),
        filters=[_strip],
        validators=[Length(max=200, message=_l("The proposer's name must be 200 characters or fewer"))],
    )


class MemberForm(FlaskForm):
    """Choose a member (attendance at the door)."""

    member_id = SelectField(_l("Member"), validators=[InputRequired(_l("Choose a member"))])


class ProxyForm(FlaskForm):
    member_id = SelectField(_l("Member appointing a proxy"), validators=[InputRequired(_l("Choose the member"))])
    holder_id = SelectField(_l("Proxy holder"), validators=[InputRequired(_l("Choose the proxy holder"))])


class ChannelVoterForm(FlaskForm):
    member_id = SelectField(_l("Member"), validators=[InputRequired(_l("Choose a member"))])
    channel = RadioField(
        _l("How they voted"),
        choices=choices([("postal", _l("By post")), ("room", _l("In the room"))]),
        validators=[InputRequired(_l("Choose by post or in the room"))],
    )


class ChannelCountForm(FlaskForm):
    channel = RadioField(
        _l("Which count"),
        choices=choices([("postal", _l("Postal votes")), ("room", _l("Hands or cards in the room"))]),
        validators=[InputRequired(_l("Choose which count this is"))],
    )
    votes_for = StringField(_l("For"), filters=[_strip])
    votes_against = StringField(_l("Against"), filters=[_strip])
    abstentions = StringField(_l("Abstain"), filters=[_strip])


CHOICES = (("for", _l("For")), ("against", _l("Against")), ("abstain", _l("Abstain")))


class VoteForm(FlaskForm):
    choice = RadioField(
        _l("Your vote"), choices=choices(CHOICES), validators=[InputRequired(_l("Choose for, against or abstain"))]
    )


class ProxyVoteForm(FlaskForm):
    proxy = SelectField(_l("Proxy"), validators=[InputRequired(_l("Choose the proxy"))])
    choice = RadioField(
        _l("The proxy holder's vote"),
        choices=choices(CHOICES),
        validators=[InputRequired(_l("Choose for, against or abstain"))],
    )


class MinutesForm(FlaskForm):
    minutes = TextAreaField(
        _l("Minutes"),
        filters=[_strip],
        validators=[Length(max=50000, message=_l("The minutes must be 50,000 characters or fewer"))],
    )
