"""The notice of a meeting (general, forum or board): the email each member gets and the printable PDF.

Both say when and where the meeting is, how to join online, the agenda, the
full text of each resolution (and whether it is ordinary or special, with the
majority it needs), and how to appoint a proxy. The PDF is drawn with
reportlab's page layout in the language of the request; Bitstream Vera (shipped
with reportlab) is embedded so pound signs and accents print.
"""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from flask import current_app, url_for
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer
from werkzeug.routing import BuildError

from app.governance.meetings import bodies, notice_period, queries
from app.governance.meetings.models import Meeting, Resolution, ResolutionKind
from app.governance.models import Society
from app.i18n import _l
from app.i18n import gettext as _
from app.voting import timing
from app.voting.rules import THRESHOLD_LABELS
from tenants.models import Council

FONT = "RochdaleNotice"
FONT_BOLD = "RochdaleNotice-Bold"

RESOLUTION_WORDS = {
    ResolutionKind.ORDINARY: _l("Ordinary resolution"),
    ResolutionKind.SPECIAL: _l("Special resolution"),
}
THRESHOLD_WORDS = {
    "simple_majority": _l("more than half of the votes cast"),
    "two_thirds": _l("at least two-thirds of the votes cast"),
    "three_quarters": _l("at least three-quarters of the votes cast"),
}
assert set(THRESHOLD_WORDS) == set(THRESHOLD_LABELS)


def threshold_for(society: Society, resolution: Resolution) -> str:
    """The majority the resolution needs, in words."""
    name = society.special_threshold if resolution.kind is ResolutionKind.SPECIAL else society.ordinary_threshold
    return str(THRESHOLD_WORDS[name])


def proxy_text(society: Society) -> str:
    """How a member appoints a proxy, under the society's rules."""
    if society.proxy_cap == 0:
        return _("The society's rules do not allow voting by proxy.")
    lead = _(
        "If you cannot attend, you may appoint another member as your proxy to vote for you. Tell the secretary "
        "in writing, with your name and your proxy's name, before the meeting starts."
    )
    if society.proxy_cap is None:
        return lead
    return lead + " " + _("One member may hold at most %(cap)s proxies.", cap=society.proxy_cap)


def _link(council: Council, meeting: Meeting) -> str:
    try:
        return url_for(
            "council.meetings.meeting",
            council=council.slug,
            society_id=meeting.society_id,
            meeting_id=meeting.id,
            _external=True,
        )
    except (BuildError, RuntimeError):
        scheme = current_app.config.get("PREFERRED_URL_SCHEME", "https")
        host = current_app.config.get("SERVER_NAME") or "localhost"
        return f"{scheme}://{host}/c/{council.slug}/societies/{meeting.society_id}/meetings/{meeting.id}"


def sections(meeting: Meeting, society: Society) -> list[tuple[str, list[str]]]:
    """The notice as (heading, paragraphs), shared by the email and the PDF."""
    when = timing.format_datetime(meeting.starts_at)
    intro = [
        _(
            "Notice is given that the %(kind)s of %(society)s will be held on %(when)s.",
            kind=bodies.kind_words(meeting),
            society=society.name,
            when=when,
        )
    ]
    if meeting.place:
        intro.append(_("Place: %(place)s", place=meeting.place))
    if meeting.online_link:
        intro.append(_("You can also join online: %(link)s", link=meeting.online_link))
    intro.append(
        _(
            "Online voting on the resolutions is open from %(opens)s until %(closes)s.",
            opens=timing.format_datetime(meeting.voting_opens_at),
            closes=timing.format_datetime(meeting.voting_closes_at),
        )
    )
    if meeting.notice_given_on is not None:
        intro.append(
            _(
                "This notice was given on %(day)s, %(days)s clear days before the meeting.",
                day=timing.format_date(meeting.notice_given_on),
                days=notice_period.clear_days_between(meeting.notice_given_on, queries.meeting_day(meeting)),
            )
        )
    out = [(meeting.title, intro)]
    items = queries.agenda(meeting.id)
    if items:
        out.append(
            (
                _("Agenda"),
                [
                    _("%(number)s. %(title)s", number=n, title=item.title)
                    + (f" - {item.description}" if item.description else "")
                    for n, item in enumerate(items, start=1)
                ],
            )
        )
    for n, resolution in enumerate(queries.resolutions(meeting.id), start=1):
        heading = _(
            "Resolution %(number)s (%(kind)s): %(title)s",
            number=n,
            kind=str(RESOLUTION_WORDS[resolution.kind]).lower(),
            title=resolution.title,
        )
        body = [resolution.text]
        if resolution.proposer:
            body.append(_("Proposed by %(name)s.", name=resolution.proposer))
        body.append(_("To pass, it needs %(threshold)s.", threshold=threshold_for(society, resolution)))
        out.append((heading, body))
    out.append((_("Appointing a proxy"), [proxy_text(society)]))
    return out


def email(meeting: Meeting, society: Society, council: Council, member_name: str) -> tuple[str, str]:
    """Subject and body of one member's notice email."""
    subject = _("Notice of the %(kind)s of %(society)s", kind=bodies.kind_words(meeting), society=society.name)
    parts = [_("Dear %(name)s,", name=member_name)]
    for heading, paragraphs in sections(meeting, society):
        parts.append(heading)
        parts.extend(paragraphs)
    parts.append(_("See the notice and vote online: %(link)s", link=_link(council, meeting)))
    parts.append(_("You get this email because you are a member of %(society)s.", society=society.name))
    return subject.replace("\n", " "), "\n\n".join(parts) + "\n"


def _fonts() -> None:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT, "Vera.ttf"))
        pdfmetrics.registerFont(TTFont(FONT_BOLD, "VeraBd.ttf"))


def pdf(meeting: Meeting, society: Society, council: Council) -> bytes:
    """The printable notice, A4."""
    _fonts()
    body = ParagraphStyle("body", fontName=FONT, fontSize=11, leading=15, spaceAfter=6)
    heading = ParagraphStyle("heading", fontName=FONT_BOLD, fontSize=13, leading=17, spaceBefore=8, spaceAfter=4)
    title = ParagraphStyle("title", fontName=FONT_BOLD, fontSize=18, leading=22, spaceAfter=8)
    small = ParagraphStyle("small", fontName=FONT, fontSize=9, leading=12, textColor="#505a5f")
    story = [
        Paragraph(escape(council.name), small),
        Paragraph(escape(society.name), small),
        Spacer(1, 4 * mm),
    ]
    for n, (head, paragraphs) in enumerate(sections(meeting, society)):
        story.append(Paragraph(escape(head), title if n == 0 else heading))
        story.extend(Paragraph(escape(p).replace("\n", "<br/>"), body) for p in paragraphs)
    if society.registration_number:
        story.append(Spacer(1, 6 * mm))
        story.append(
            Paragraph(escape(_("Registered society number %(number)s", number=society.registration_number)), small)
        )
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=20 * mm,
        bottomMargin=20 * mm,
        title=str(_("Notice of %(title)s", title=meeting.title)),
        author=society.name,
    )
    doc.build(story)
    return out.getvalue()
