"""Words for the care pages: enum labels and the screen's findings."""

from __future__ import annotations

from app.care import screen
from app.care.models import EnterpriseModel, NamedRole, ServiceKind, StoryStatus
from app.housing.labels import error_for, radio_items, row_items, select_items
from app.i18n import lazy_gettext as _l

__all__ = [
    "MODEL",
    "NAMED_ROLE",
    "SCREEN_FLAG",
    "SERVICE_KIND",
    "STORY_STATUS",
    "error_for",
    "radio_items",
    "row_items",
    "select_items",
]

MODEL = {
    EnterpriseModel.STAFF_MUTUAL: _l("Staff mutual"),
    EnterpriseModel.MULTI_STAKEHOLDER: _l("Multi-stakeholder co-operative"),
}
SERVICE_KIND = {
    ServiceKind.HOME_CARE: _l("Home care"),
    ServiceKind.DAY_SERVICES: _l("Day services"),
    ServiceKind.SUPPORTED_LIVING: _l("Supported living"),
    ServiceKind.SHORT_BREAKS: _l("Short breaks"),
}
NAMED_ROLE = {
    NamedRole.PLAN_OFFICER: _l("Plan officer (may read every support plan)"),
    NamedRole.MODERATOR: _l("Moderator of feedback stories"),
}
STORY_STATUS = {
    StoryStatus.PENDING: _l("Waiting for moderation"),
    StoryStatus.HELD: _l("Held: contains personal data"),
    StoryStatus.PUBLISHED: _l("Published"),
    StoryStatus.REJECTED: _l("Rejected"),
}
SCREEN_FLAG = {
    screen.EMAIL: _l("an email address"),
    screen.PHONE: _l("a phone number"),
    screen.POSTCODE: _l("a postcode"),
    screen.NHS_NUMBER: _l("an NHS number"),
}
