"""The ``housing_tenants`` electorate rule: the council's tenants, optionally of some estates only.

``{"type": "housing_tenants", "estate_ids": [3, 4]}``

* A person may vote when their account is named on a tenancy that runs on
  the counting day (the ballot's closing day; today while it has none) of a
  home on one of ``estate_ids`` (empty: any of the council's homes). A tenancy
  that ends before the counting day does not count, nor one starting after it.
* The size of the electorate (for turnout) counts every tenant on the
  counting day: each account once, however many homes, and each tenant named
  without an account, who can still vote on paper (entered by officers).

Used by the transfer ballot (``app.housing.transfer``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from app.auth.models import User
from app.extensions import db
from app.housing import queries
from app.housing.models import HousingEstate
from app.i18n import _l
from app.i18n import gettext as _
from app.residents.electorate import counting_day
from app.voting.electorate import ElectorateError, register
from app.voting.models import Ballot


@dataclass(frozen=True)
class HousingTenantsRule:
    """Tenants of the council's homes on the counting day, of some (or all) estates."""

    type: str = "housing_tenants"

    def check(self, rule: Mapping[str, Any]) -> dict[str, Any]:
        ids = rule.get("estate_ids") or []
        if not isinstance(ids, list | tuple) or any(isinstance(i, bool) or not isinstance(i, int) for i in ids):
            raise ElectorateError(_l("Choose estates from the list"))
        ids = sorted(set(ids))
        if ids:
            known = set(db.session.scalars(select(HousingEstate.id).where(HousingEstate.id.in_(ids))))
            if known != set(ids):
                raise ElectorateError(_l("Choose estates from the list"))
        return {"type": self.type, "estate_ids": ids}

    def describe(self, rule: Mapping[str, Any]) -> str:
        ids = rule.get("estate_ids") or []
        if not ids:
            return _("tenants of the council's homes")
        names = sorted(
            db.session.scalars(
                select(HousingEstate.name).where(HousingEstate.id.in_([i for i in ids if isinstance(i, int)]))
            )
        )
        return _("tenants of homes on %(estates)s", estates=", ".join(names))

    def is_eligible(self, ballot: Ballot, rule: Mapping[str, Any], user: User) -> tuple[bool, str]:
        day = counting_day(ballot)
        if queries.is_tenant_on(user.id, day, rule.get("estate_ids") or []):
            return True, ""
        return False, _(
            "This ballot is for %(who)s. Your account is not named on a tenancy of one of those homes on %(day)s. "
            "If you are a tenant, ask the housing office to add you to your tenancy.",
            who=self.describe(rule),
            day=day.isoformat(),
        )

    def size(self, ballot: Ballot, rule: Mapping[str, Any]) -> int:
        return queries.count_tenants_on(counting_day(ballot), rule.get("estate_ids") or [])


HOUSING_TENANTS = register(HousingTenantsRule())
