"""Who may do what in the housing pages.

* **Council officers** with the housing module, council administrators and
  platform administrators run everything: estates and homes, tenancies, every
  repair, the transfer ballot, and the targets, contractors and surveys of
  homes the council still manages.
* **A housing co-op's secretary and committee** (``app.governance.access``)
  run the repairs, targets, contractors and surveys of the estates their co-op
  manages.
* **Tenants** see their home, report repairs, follow them and answer surveys.

Views load what the URL names first (another council's id is a 404 for
everyone), then check, so a refusal never tells whether something exists.
"""

from __future__ import annotations

from flask_login import current_user

from app.governance import access as governance_access
from app.governance.models import Society, SocietyKind
from app.housing import queries
from app.housing.models import HousingEstate, HousingHome, HousingRepair
from app.voting import timing
from app.web import module_access

signed_in = module_access.signed_in


def is_officer() -> bool:
    """A council officer with the housing module, a council administrator or a platform administrator."""
    return module_access.is_module_officer(queries.MODULE)


def require_officer() -> None:
    module_access.require_module_officer(queries.MODULE)


def coop_or_404(society_id: int) -> Society:
    """A housing co-op of this council from a URL (404 for any other society, or when housing is off)."""
    return governance_access.society_of_kind_or_404(society_id, SocietyKind.HOUSING_COOP)


def require_coop_manager(society_id: int) -> Society:
    """Load the co-op, then check the person runs it (its secretary or committee, or a council officer)."""
    return governance_access.require_society_manager(society_id, SocietyKind.HOUSING_COOP)


def manages_estate(estate: HousingEstate) -> bool:
    """Whether the signed-in person runs this estate's repairs: an officer, or its co-op's committee."""
    if is_officer():
        return True
    if estate.society_id is None:
        return False
    society = queries.housing_coops()
    match = next((s for s in society if s.id == estate.society_id), None)
    return match is not None and governance_access.can_manage(match)


def managed_coops() -> list[Society]:
    """The co-ops whose business the signed-in person runs."""
    if not current_user.is_authenticated:
        return []
    return [s for s in queries.housing_coops() if governance_access.can_manage(s)]


def is_tenant_of(home: HousingHome) -> bool:
    return current_user.is_authenticated and queries.is_tenant_of(current_user.id, home.id, timing.today())


def can_see_repair(repair: HousingRepair, home: HousingHome, estate: HousingEstate) -> bool:
    """The reporter, a tenant of the home, an officer, or the home's co-op committee."""
    if not current_user.is_authenticated:
        return False
    if repair.reported_by_user_id == current_user.id or is_tenant_of(home):
        return True
    return manages_estate(estate)
