"""The ``verified_residents`` electorate rule: verified residents, by neighbourhood and age.

``{"type": "verified_residents", "neighbourhood_ids": [3], "min_age": 11, "max_age": 25}``

* ``neighbourhood_ids``: the neighbourhoods whose verified residents may vote;
  empty means the whole council.
* ``min_age`` / ``max_age`` (either may be ``None``): ages counted on the day the
  ballot closes (today while it has no closing time), so a resident's right to
  vote does not change during the ballot.
* A resident under :data:`PARENTAL_CONSENT_UNDER` needs a parent's or carer's
  consent on record (not withdrawn) before their vote counts.

Only a verified profile counts (a letter code or an officer's check), so a
person cannot vote in a neighbourhood just by saying they live there.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select

from app.auth.models import User
from app.extensions import db
from app.i18n import _l
from app.i18n import gettext as _
from app.residents import profiles
from app.residents.models import ConsentKind, ResidentProfile
from app.voting import timing
from app.voting.electorate import ElectorateError, listed, refusal, register
from app.voting.models import Ballot
from tenants.models import Neighbourhood

PARENTAL_CONSENT_UNDER = 16
OLDEST_AGE = 120


def years_before(day: date, years: int) -> date:
    """The same date ``years`` earlier (28 February for a 29 February that does not exist)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def counting_day(ballot: Ballot) -> date:
    """The day ages are counted on: the closing day, or today while there is none."""
    return timing.to_uk(ballot.closes_at).date() if ballot.closes_at is not None else timing.today()


def _age_bound(rule: Mapping[str, Any], key: str) -> int | None:
    value = rule.get(key)
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= OLDEST_AGE:
        raise ElectorateError(
            _l("Enter the youngest age as a whole number of years")
            if key == "min_age"
            else _l("Enter the oldest age as a whole number of years")
        )
    return value


@dataclass(frozen=True)
class VerifiedResidentsRule:
    """Verified residents of some (or all) neighbourhoods, optionally within an age range."""

    type: str = "verified_residents"

    def check(self, rule: Mapping[str, Any]) -> dict[str, Any]:
        ids = rule.get("neighbourhood_ids") or []
        if not isinstance(ids, list | tuple) or any(isinstance(i, bool) or not isinstance(i, int) for i in ids):
            raise ElectorateError(_l("Choose neighbourhoods from the list"))
        ids = sorted(set(ids))
        if ids:
            known = set(db.session.scalars(select(Neighbourhood.id).where(Neighbourhood.id.in_(ids))))
            if known != set(ids):
                raise ElectorateError(_l("Choose neighbourhoods from the list"))
        low, high = _age_bound(rule, "min_age"), _age_bound(rule, "max_age")
        if low is not None and high is not None and low > high:
            raise ElectorateError(_l("The youngest age must not be more than the oldest age"))
        return {"type": self.type, "neighbourhood_ids": ids, "min_age": low, "max_age": high}

    def describe(self, rule: Mapping[str, Any]) -> str:
        """Who may vote, as one translated phrase (one message per shape, so word order can differ)."""
        ids = rule.get("neighbourhood_ids") or []
        low, high = rule.get("min_age"), rule.get("max_age")
        if not ids:
            if low is not None and high is not None:
                return _("verified residents of the council aged %(low)s to %(high)s", low=low, high=high)
            if low is not None:
                return _("verified residents of the council aged %(low)s or over", low=low)
            if high is not None:
                return _("verified residents of the council aged %(high)s or under", high=high)
            return _("verified residents of the council")
        names = sorted(db.session.scalars(select(Neighbourhood.name).where(Neighbourhood.id.in_(ids))))
        places = listed(names)
        if low is not None and high is not None:
            return _("verified residents of %(places)s aged %(low)s to %(high)s", places=places, low=low, high=high)
        if low is not None:
            return _("verified residents of %(places)s aged %(low)s or over", places=places, low=low)
        if high is not None:
            return _("verified residents of %(places)s aged %(high)s or under", places=places, high=high)
        return _("verified residents of %(places)s", places=places)

    def is_eligible(self, ballot: Ballot, rule: Mapping[str, Any], user: User) -> tuple[bool, str]:
        profile = profiles.profile_for(user.id)
        if profile is None or profile.verified_at is None:
            return False, refusal(
                self.describe(rule),
                _(
                    "Confirm where you live first: enter the code from the letter the council sent you, "
                    "or ask the council to check your proof of address."
                ),
            )
        ids = rule.get("neighbourhood_ids") or []
        if ids and profile.neighbourhood_id not in ids:
            return False, refusal(self.describe(rule), _("You are registered in another neighbourhood."))
        low, high = rule.get("min_age"), rule.get("max_age")
        needs_age = low is not None or high is not None
        age = profiles.age_on(profile, counting_day(ballot))
        if age is None:
            if needs_age:
                return False, refusal(self.describe(rule), _("The council does not have your date of birth."))
            return True, ""
        if (low is not None and age < low) or (high is not None and age > high):
            return False, refusal(self.describe(rule), _("Your age on the closing day is %(age)s.", age=age))
        if age < PARENTAL_CONSENT_UNDER and not profiles.has_consent(profile, ConsentKind.PARENTAL):
            return False, _(
                "Your vote can count once a parent or carer has given their consent. "
                "Ask them to fill in the consent form with you."
            )
        return True, ""

    def size(self, ballot: Ballot, rule: Mapping[str, Any]) -> int:
        query = select(func.count()).select_from(ResidentProfile).where(ResidentProfile.verified_at.is_not(None))
        ids = rule.get("neighbourhood_ids") or []
        if ids:
            query = query.where(ResidentProfile.neighbourhood_id.in_(ids))
        low, high = rule.get("min_age"), rule.get("max_age")
        day = counting_day(ballot)
        if low is not None:  # aged at least ``low``: born on or before that many years ago
            query = query.where(ResidentProfile.date_of_birth <= years_before(day, low))
        if high is not None:  # not yet ``high + 1``: born after that many years ago
            query = query.where(ResidentProfile.date_of_birth > years_before(day, high + 1))
        return db.session.scalar(query) or 0


VERIFIED_RESIDENTS = register(VerifiedResidentsRule())
