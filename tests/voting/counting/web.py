"""Helpers for the web tests: a council with an administrator and signed-in clients."""

from __future__ import annotations

from dataclasses import dataclass

from app.auth.models import Role
from tests.fixtures.sessions import send, session_client

__all__ = ["Staff", "send", "session_client", "staff"]


@dataclass
class Staff:
    council: object
    admin: object
    second: object
    third: object


def staff(create_council, create_user, grant_role) -> Staff:
    council = create_council()
    people = [create_user(name=n) for n in ("Alice Admin", "Bob Admin", "Carol Admin")]
    for person in people:
        grant_role(person, council, Role.COUNCIL_ADMIN)
    return Staff(council, *people)
