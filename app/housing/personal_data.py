"""A tenant's housing records, for residents' data rights (``app.privacy.registry``).

Erasure, and why some of it stays:

* tenancies: the account link and email go; the name goes once the tenancy
  has ended (a landlord must know who holds a current tenancy);
* repairs they reported: the link to them, their satisfaction comment and the
  photos they uploaded go; the repair itself stays with the home (its history
  and the landlord's response times are the home's record, and the council's
  figures count it), as does the 1 to 5 satisfaction score, which names nobody
  once detached;
* survey responses: detached from them; the answers stay, so results and
  response counts do not change.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select, update

from app.extensions import db
from app.housing.models import (
    HousingHome,
    HousingRepair,
    HousingRepairPhoto,
    HousingSurveyResponse,
    HousingTenancy,
    HousingTenant,
    HousingTransferBallot,
)
from app.privacy.records import actions_as_officer, record, records, rows_where
from app.voting import timing

NAME_REMOVED = "Name removed"


def _tenancies(user_id: int) -> list[tuple[HousingTenant, HousingTenancy, HousingHome]]:
    query = (
        select(HousingTenant, HousingTenancy, HousingHome)
        .join(HousingTenancy, HousingTenancy.id == HousingTenant.tenancy_id)
        .join(HousingHome, HousingHome.id == HousingTenancy.home_id)
        .where(HousingTenant.user_id == user_id)
        .order_by(HousingTenancy.starts_on)
    )
    return list(db.session.execute(query))


def export_for_user(user_id: int) -> dict[str, Any]:
    """Tenancies (with the home), repairs reported (with their photos) and survey answers."""
    repairs = rows_where(HousingRepair.reported_by_user_id, user_id)
    photos = rows_where(HousingRepairPhoto.repair_id, [r.id for r in repairs]) if repairs else []
    return {
        "tenancies": [
            {
                "home": home.address,
                "postcode": home.postcode,
                "starts_on": tenancy.starts_on,
                "ends_on": tenancy.ends_on,
                **record(tenant),
            }
            for tenant, tenancy, home in _tenancies(user_id)
        ],
        "repairs_reported": records(repairs),
        "repair_photos": records(photos),
        "survey_responses": records(rows_where(HousingSurveyResponse.user_id, user_id)),
        "as_officer": actions_as_officer(user_id, HousingTransferBallot.created_by_id),
    }


def erase_for_user(user_id: int) -> None:
    """Detach the tenant from tenancies, repairs and surveys; remove photos, comments and ended tenancies' names."""
    today = timing.today()
    for tenant, tenancy, _home in _tenancies(user_id):
        tenant.user_id = None
        tenant.email = ""
        if tenancy.ends_on is not None and tenancy.ends_on <= today:
            tenant.name = NAME_REMOVED
    repair_ids = list(db.session.scalars(select(HousingRepair.id).where(HousingRepair.reported_by_user_id == user_id)))
    if repair_ids:
        db.session.execute(delete(HousingRepairPhoto).where(HousingRepairPhoto.repair_id.in_(repair_ids)))
        db.session.execute(
            update(HousingRepair)
            .where(HousingRepair.id.in_(repair_ids))
            .values(reported_by_user_id=None, satisfaction_comment="")
        )
    db.session.execute(
        update(HousingSurveyResponse).where(HousingSurveyResponse.user_id == user_id).values(user_id=None)
    )
    db.session.flush()
