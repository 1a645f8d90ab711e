"""Words for the schools pages: the label of every choice, in the reader's language."""

from __future__ import annotations

from typing import Any

from app.i18n import _l
from app.schools.models import Judgement, LegalModel, PairingKind, PartnerKind, Phase, Progress, Stage, Term

LEGAL_MODEL = {
    LegalModel.FOUNDATION_TRUST: _l("Charitable foundation trust"),
    LegalModel.ACADEMY: _l("Co-operative academy"),
}
PARTNER_KIND = {
    PartnerKind.COLLEGE: _l("College"),
    PartnerKind.UNIVERSITY: _l("University"),
    PartnerKind.BUSINESS: _l("Business"),
    PartnerKind.CHARITY: _l("Charity"),
    PartnerKind.NHS_TRUST: _l("NHS trust"),
    PartnerKind.COMMUNITY_TRUST: _l("Community trust"),
    PartnerKind.COOPERATIVE: _l("Co-operative society"),
}
PHASE = {
    Phase.PRIMARY: _l("Primary"),
    Phase.SECONDARY: _l("Secondary"),
    Phase.SPECIAL: _l("Special"),
    Phase.ALL_THROUGH: _l("All-through"),
}
JUDGEMENT = {
    Judgement.OUTSTANDING: _l("Outstanding"),
    Judgement.GOOD: _l("Good"),
    Judgement.REQUIRES_IMPROVEMENT: _l("Requires improvement"),
    Judgement.INADEQUATE: _l("Inadequate"),
}
STAGE = {
    Stage.CONSULTATION: _l("Consultation"),
    Stage.TRUST_ESTABLISHED: _l("Trust established"),
    Stage.LIVE: _l("Live"),
}
PAIRING_KIND = {PairingKind.FEDERATION: _l("Federation"), PairingKind.PARTNERSHIP: _l("Partnership")}
TERM = {Term.AUTUMN: _l("Autumn term"), Term.SPRING: _l("Spring term"), Term.SUMMER: _l("Summer term")}
PROGRESS = {
    Progress.STRONG: _l("Strong progress"),
    Progress.GOOD: _l("Good progress"),
    Progress.SOME: _l("Some progress"),
    Progress.NONE: _l("No progress yet"),
}
VALUE = {
    "self_help": _l("Self-help"),
    "self_responsibility": _l("Self-responsibility"),
    "democracy": _l("Democracy"),
    "equality": _l("Equality"),
    "equity": _l("Equity"),
    "solidarity": _l("Solidarity"),
}


def options(labels: dict, current: Any, *, blank: Any = None) -> list[dict[str, Any]]:
    """GOV.UK radio or select items from a label table, ``current`` (a value or its text) chosen."""
    chosen = getattr(current, "value", current) or ""
    items = [{"value": "", "text": str(blank), "selected": chosen == ""}] if blank is not None else []
    for key, text in labels.items():
        value = getattr(key, "value", key)
        items.append({"value": value, "text": str(text), "checked": value == chosen, "selected": value == chosen})
    return items
