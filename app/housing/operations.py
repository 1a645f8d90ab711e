"""Every write of the housing module: estates and homes, tenancies and membership offers, repairs, targets.

Flush, never commit: the view commits once the whole request has worked, so
a refusal (:class:`HousingError`, with the field it is about and the HTTP
status the view answers with) leaves nothing half-written. Tenancy changes,
membership offers answered, repair completions and cancellations go into the
audit chain. The transfer ballot is in :mod:`app.housing.transfer` and the
survey in :mod:`app.housing.surveys`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select

from app.audit.operations import record_event
from app.auth.models import CouncilRole, User
from app.extensions import db
from app.governance import queries as governance
from app.governance.models import MemberStatus, Society, SocietyKind
from app.housing import membership, queries, targets
from app.housing.homes_csv import HomeRow
from app.housing.models import (
    HomeType,
    HousingBlock,
    HousingContractor,
    HousingEstate,
    HousingHome,
    HousingRepair,
    HousingRepairPhoto,
    HousingRepairTarget,
    HousingTenancy,
    HousingTenant,
    OfferStatus,
    RepairCategory,
    RepairLocation,
    RepairStatus,
    TargetUnit,
    Urgency,
)
from app.housing.photos import CleanPhoto
from app.i18n import gettext as _
from app.residents.postcodes import normalise_postcode
from app.voting import timing

TENANTS_CLASS = "tenants"
MAX_BEDROOMS = 20
MAX_TEXT = 4000


class HousingError(Exception):
    """A request the housing module refuses; ``field`` names the form field, ``status`` the HTTP answer."""

    status = 422

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class ConflictError(HousingError):
    """The thing is not in a state that allows this (HTTP 409)."""

    status = 409


def _user_id(by: User | int | None) -> int | None:
    if by is None or isinstance(by, int):
        return by
    return by.id


def _event(action: str, subject: str, subject_id: int, by: User | int | None, **payload: Any) -> None:
    record_event(f"housing.{action}", subject, subject_id, payload=payload, actor_user_id=_user_id(by))


def _text(value: str | None, field: str, what: str, *, required: bool = True, limit: int = 200) -> str:
    text = (value or "").strip()
    if required and not text:
        raise HousingError(_("Enter %(what)s", what=what), field)
    if len(text) > limit:
        raise HousingError(_("%(what)s must be %(most)s characters or fewer", what=what, most=limit), field)
    return text


# --- estates, blocks and homes -------------------------------------------------------------------


def housing_coop(society_id: int | None) -> Society | None:
    """The housing co-op with this id, None for "the council", or :class:`HousingError` for anything else."""
    if society_id is None:
        return None
    society = governance.society(society_id)
    if society is None or society.kind is not SocietyKind.HOUSING_COOP:
        raise HousingError(_("Choose a housing co-operative from the list"), "society_id")
    return society


def save_estate(
    estate: HousingEstate | None, *, name: str, description: str, society_id: int | None, by: User | int | None
) -> HousingEstate:
    """Create an estate, or change one; ``society_id`` is the co-op managing it (None: the council)."""
    name = _text(name, "name", _("the estate's name"), limit=120)
    description = _text(description, "description", _("the description"), required=False, limit=MAX_TEXT)
    society = housing_coop(society_id)
    clash = db.session.scalar(select(HousingEstate).where(HousingEstate.name == name))
    if clash is not None and clash is not estate:
        raise HousingError(_("There is already an estate called %(name)s", name=name), "name")
    before = None if estate is None else estate.society_id
    if estate is None:
        estate = HousingEstate(name=name)
        db.session.add(estate)
    estate.name, estate.description = name, description
    estate.society_id = society.id if society else None
    db.session.flush()
    if before != estate.society_id:
        _event("estate_manager_set", "housing_estate", estate.id, by, society_id=estate.society_id)
    return estate


def add_block(estate: HousingEstate, *, name: str, by: User | int | None) -> HousingBlock:
    """Add a block (of flats, or a terrace) to an estate."""
    name = _text(name, "name", _("the block's name"), limit=120)
    if any(b.name.lower() == name.lower() for b in queries.blocks(estate.id)):
        raise HousingError(_("%(estate)s already has a block called %(name)s", estate=estate.name, name=name), "name")
    block = HousingBlock(estate_id=estate.id, name=name)
    db.session.add(block)
    db.session.flush()
    return block


@dataclass(frozen=True)
class HomeDetails:
    reference: str
    address: str
    postcode: str
    bedrooms: int | None
    home_type: str
    block_id: int | None = None


def _check_home(estate: HousingEstate, details: HomeDetails, home: HousingHome | None) -> dict[str, Any]:
    reference = _text(details.reference, "reference", _("the home's reference"), limit=40)
    clash = db.session.scalar(select(HousingHome).where(HousingHome.reference == reference))
    if clash is not None and clash is not home:
        raise HousingError(_("Another home already has the reference %(ref)s", ref=reference), "reference")
    address = _text(details.address, "address", _("the address"), limit=500)
    postcode = normalise_postcode(details.postcode or "")
    if postcode is None:
        raise HousingError(_("Enter a real postcode, like OL16 1AB"), "postcode")
    if details.bedrooms is None or not 0 <= details.bedrooms <= MAX_BEDROOMS:
        raise HousingError(
            _("Enter the number of bedrooms, from 0 (a bedsit) to %(most)s", most=MAX_BEDROOMS), "bedrooms"
        )
    try:
        home_type = HomeType(details.home_type)
    except ValueError:
        raise HousingError(_("Choose the type of home"), "home_type") from None
    block_id = details.block_id
    if block_id is not None and queries.block(estate.id, block_id) is None:
        raise HousingError(_("Choose a block of this estate from the list"), "block_id")
    return {
        "reference": reference,
        "address": address,
        "postcode": postcode,
        "bedrooms": details.bedrooms,
        "home_type": home_type,
        "block_id": block_id,
    }


def save_home(
    estate: HousingEstate, home: HousingHome | None, details: HomeDetails, *, by: User | int | None
) -> HousingHome:
    """Add a home to an estate, or change one."""
    values = _check_home(estate, details, home)
    if home is None:
        home = HousingHome(estate_id=estate.id, **values)
        db.session.add(home)
    else:
        for key, value in values.items():
            setattr(home, key, value)
    db.session.flush()
    return home


def import_homes(estate: HousingEstate, rows: Sequence[HomeRow], *, by: User | int | None) -> int:
    """Add the homes of a checked CSV file (``app.housing.homes_csv``) to an estate, creating blocks named in it.

    The file was checked in full before this is called; anything refused here
    (a reference taken since) raises, and the view rolls the whole import back.
    """
    blocks = {b.name.lower(): b for b in queries.blocks(estate.id)}
    for row in rows:
        block_id = None
        if row.block:
            block = blocks.get(row.block.lower())
            if block is None:
                block = blocks[row.block.lower()] = add_block(estate, name=row.block, by=by)
            block_id = block.id
        try:
            save_home(
                estate,
                None,
                HomeDetails(row.reference, row.address, row.postcode, row.bedrooms, row.home_type, block_id),
                by=by,
            )
        except HousingError as exc:
            raise HousingError(
                _("Line %(line)s: %(problem)s", line=row.line, problem=exc.message), "csv_file"
            ) from None
    _event("homes_imported", "housing_estate", estate.id, by, homes=len(rows))
    return len(rows)


# --- tenancies and the membership offer ----------------------------------------------------------


@dataclass(frozen=True)
class TenantDetails:
    name: str
    email: str = ""


def council_account(email: str) -> User | None:
    """The account with this email address, when it has a role in the current council."""
    address = (email or "").strip().lower()
    if not address:
        return None
    return db.session.scalar(
        select(User).join(CouncilRole, CouncilRole.user_id == User.id).where(User.email == address)
    )


def start_tenancy(
    home: HousingHome, *, starts_on: date | None, people: Sequence[TenantDetails], by: User | int | None
) -> HousingTenancy:
    """Start a tenancy of ``home`` for ``people`` (a joint tenancy when more than one).

    A person whose email address is that of an account of the council is
    linked to it (they see the home, can report repairs and vote); others are
    named only. When a housing co-op manages the home's estate, each linked
    tenant is offered membership of the co-op. Refused (409) when another
    tenancy of the home runs on the start date or later.
    """
    if starts_on is None:
        raise HousingError(_("Enter the date the tenancy starts"), "starts_on")
    named = [p for p in people if (p.name or "").strip()]
    if not named:
        raise HousingError(_("Enter the name of at least one tenant"), "name_1")
    if queries.overlapping_tenancy(home.id, starts_on, None) is not None:
        raise ConflictError(
            _("Home %(ref)s already has a tenancy on or after that date. End it first.", ref=home.reference),
            "starts_on",
        )
    estate = queries.estate_of(home)
    tenancy = HousingTenancy(home_id=home.id, starts_on=starts_on)
    db.session.add(tenancy)
    db.session.flush()
    seen: set[int] = set()
    for position, person in enumerate(named, start=1):
        name = _text(person.name, f"name_{position}", _("the tenant's name"))
        email = (person.email or "").strip().lower()
        account = council_account(email)
        if email and account is None:
            raise HousingError(
                _(
                    "No account of this council uses %(email)s. Leave the email address out to name the tenant only.",
                    email=email,
                ),
                f"email_{position}",
            )
        if account is not None and account.id in seen:
            raise HousingError(_("The same person is named twice"), f"email_{position}")
        if account is not None:
            seen.add(account.id)
        offered = estate.society_id is not None and account is not None
        db.session.add(
            HousingTenant(
                tenancy_id=tenancy.id,
                user_id=account.id if account else None,
                name=name,
                email=email,
                offer_status=OfferStatus.OFFERED if offered else OfferStatus.NONE,
            )
        )
    db.session.flush()
    _event(
        "tenancy_started",
        "housing_tenancy",
        tenancy.id,
        by,
        home_id=home.id,
        starts_on=starts_on.isoformat(),
        tenants=len(named),
    )
    return tenancy


def end_tenancy(tenancy: HousingTenancy, *, ends_on: date | None, by: User | int | None) -> HousingTenancy:
    """End a tenancy: ``ends_on`` is the first day it no longer runs (after its start)."""
    if ends_on is None:
        raise HousingError(_("Enter the date the tenancy ends"), "ends_on")
    if tenancy.ends_on is not None:
        raise ConflictError(_("This tenancy has already ended."), "ends_on")
    if ends_on <= tenancy.starts_on:
        raise HousingError(_("The tenancy must end after the day it started"), "ends_on")
    tenancy.ends_on = ends_on
    for tenant in queries.tenants(tenancy.id):
        if tenant.offer_status is OfferStatus.OFFERED:
            tenant.offer_status = OfferStatus.NONE  # the offer goes with the tenancy
    db.session.flush()
    _event("tenancy_ended", "housing_tenancy", tenancy.id, by, ends_on=ends_on.isoformat())
    return tenancy


def tenants_class(society: Society):
    """The co-op's class for tenants (named "Tenants"), or None."""
    return next((c for c in governance.member_classes(society.id) if c.name.strip().lower() == TENANTS_CLASS), None)


def _offer_context(tenant: HousingTenant, user: User) -> tuple[HousingTenancy, HousingHome, Society]:
    if tenant.user_id != user.id:
        raise ConflictError(_("This offer is for another tenant."))
    if tenant.offer_status is not OfferStatus.OFFERED:
        raise ConflictError(_("There is no open offer of membership on this tenancy."))
    tenancy = queries.tenancy_by_id(tenant.tenancy_id)
    home = queries.home_by_id(tenancy.home_id)
    estate = queries.estate_of(home)
    today = timing.today()
    if tenancy.starts_on > today or (tenancy.ends_on is not None and tenancy.ends_on <= today):
        raise ConflictError(_("The offer is open while your tenancy runs."))
    society = governance.society(estate.society_id) if estate.society_id is not None else None
    if society is None:
        raise ConflictError(_("Your home is no longer managed by a housing co-operative."))
    return tenancy, home, society


def accept_offer(tenant: HousingTenant, user: User) -> HousingTenant:
    """The tenant accepts the co-op's offer: an application to its tenants class is made for them.

    When they already have a live line in the co-op's register (an earlier
    application, or membership), that line is used and no second one is made.
    The committee admits applicants through the register pages.
    """
    _tenancy, home, society = _offer_context(tenant, user)
    member_class = tenants_class(society)
    if member_class is None:
        raise ConflictError(
            _(
                "%(society)s has no tenants class yet, so it cannot take applications. Contact its secretary.",
                society=society.name,
            )
        )
    line = governance.member_for_user(society.id, user.id)
    if line is None or line.status not in (MemberStatus.APPLICANT, MemberStatus.MEMBER):
        try:
            line = membership.apply_as_tenant(
                society,
                member_class,
                name=tenant.name,
                address=home.address,
                postcode=home.postcode,
                email=user.email,
                user_id=user.id,
                applied_on=timing.today(),
            )
        except membership.MembershipRefused as refused:
            raise ConflictError(refused.message) from None
    tenant.offer_status = OfferStatus.ACCEPTED
    tenant.member_id = line.id
    tenant.offer_answered_at = timing.now()
    db.session.flush()
    _event("offer_accepted", "housing_tenant", tenant.id, user, society_id=society.id, member_id=line.id)
    return tenant


def decline_offer(tenant: HousingTenant, user: User) -> HousingTenant:
    """The tenant declines the offer (they can ask the co-op to join later)."""
    _offer_context(tenant, user)
    tenant.offer_status = OfferStatus.DECLINED
    tenant.offer_answered_at = timing.now()
    db.session.flush()
    _event("offer_declined", "housing_tenant", tenant.id, user)
    return tenant


# --- repair targets and contractors --------------------------------------------------------------


def set_target(
    society_id: int | None,
    category: RepairCategory,
    urgency: Urgency,
    *,
    amount: int | None,
    unit: str,
    make_safe_days: int | None,
    by: User | int | None,
) -> targets.Target:
    """Set the response target for a category and urgency (a co-op's, or the council's with no society).

    Setting the default back removes the stored row. Damp and mould targets
    that are not emergencies keep a make-safe period (default 7 days).
    """
    try:
        unit_ = TargetUnit(unit)
    except ValueError:
        raise HousingError(_("Choose hours, calendar days or working days"), "unit") from None
    if amount is None or not 1 <= amount <= 2000:
        raise HousingError(_("Enter a target between 1 and 2000"), "amount")
    if category is RepairCategory.DAMP_MOULD and urgency is not Urgency.EMERGENCY:
        if make_safe_days is None or not 1 <= make_safe_days <= 90:
            raise HousingError(_("Enter the days allowed to make the home safe, from 1 to 90"), "make_safe_days")
    else:
        make_safe_days = None
    wanted = targets.Target(amount, unit_, make_safe_days)
    row = queries.stored_target(society_id, category, urgency)
    if wanted == targets.default_target(category, urgency):
        if row is not None:
            db.session.delete(row)
    elif row is None:
        db.session.add(
            HousingRepairTarget(
                society_id=society_id,
                category=category,
                urgency=urgency,
                amount=amount,
                unit=unit_,
                make_safe_days=make_safe_days,
            )
        )
    else:
        row.amount, row.unit, row.make_safe_days = amount, unit_, make_safe_days
    db.session.flush()
    _event(
        "target_set",
        "housing_targets",
        society_id or 0,
        by,
        category=category.value,
        urgency=urgency.value,
        amount=amount,
        unit=unit_.value,
        make_safe_days=make_safe_days,
    )
    return wanted


def save_contractor(
    contractor: HousingContractor | None,
    *,
    society_id: int | None,
    name: str,
    trades: str,
    email: str,
    phone: str,
    by: User | int | None,
) -> HousingContractor:
    """Add a contractor for a co-op (or the council), or change one."""
    name = _text(name, "name", _("the contractor's name"))
    trades = _text(trades, "trades", _("the trades"), required=False, limit=300)
    email = _text(email, "email", _("the email address"), required=False, limit=254).lower()
    if email and "@" not in email:
        raise HousingError(_("Enter an email address in the correct format, like name@example.com"), "email")
    phone = _text(phone, "phone", _("the phone number"), required=False, limit=40)
    if any(c.name.lower() == name.lower() and c is not contractor for c in queries.contractors(society_id)):
        raise HousingError(_("There is already a contractor called %(name)s", name=name), "name")
    if contractor is None:
        contractor = HousingContractor(society_id=society_id)
        db.session.add(contractor)
    contractor.name, contractor.trades, contractor.email, contractor.phone = name, trades, email, phone
    db.session.flush()
    return contractor


# --- repairs -------------------------------------------------------------------------------------


def _choice(enum_cls, value: str | None, field: str, message: str):
    try:
        return enum_cls(value)
    except ValueError:
        raise HousingError(message, field) from None


def report_repair(
    home: HousingHome,
    *,
    category: str | None,
    urgency: str | None,
    location: str | None,
    description: str | None,
    photos: Sequence[CleanPhoto],
    by: User,
    now: datetime | None = None,
) -> HousingRepair:
    """A tenant reports a repair for their home, with up to three photos (already checked and cleaned).

    The clock starts now: the target in force for the home's co-op (or the
    council) is copied onto the repair and its deadline computed in UK time.
    """
    category_ = _choice(RepairCategory, category, "category", _("Choose what the repair is about"))
    urgency_ = _choice(Urgency, urgency, "urgency", _("Choose how urgent the repair is"))
    location_ = _choice(RepairLocation, location, "location", _("Choose where in the home the repair is"))
    text = _text(description, "description", _("a description of the problem"), limit=MAX_TEXT)
    if len(photos) > 3:
        raise HousingError(_("Upload at most %(most)s photos.", most=3), "photos")
    moment = now or timing.now()
    estate = queries.estate_of(home)
    target = queries.target_for(estate.society_id, category_, urgency_)
    repair = HousingRepair(
        home_id=home.id,
        reported_by_user_id=by.id,
        category=category_,
        urgency=urgency_,
        location=location_,
        description=text,
        status=RepairStatus.REPORTED,
        reported_at=moment,
        target_amount=target.amount,
        target_unit=target.unit,
        make_safe_days=target.make_safe_days,
        due_at=targets.due_at(moment, target.amount, target.unit),
    )
    db.session.add(repair)
    db.session.flush()
    for position, photo in enumerate(photos, start=1):
        db.session.add(
            HousingRepairPhoto(
                repair_id=repair.id,
                position=position,
                content_type=photo.content_type,
                width=photo.width,
                height=photo.height,
                data=photo.data,
            )
        )
    db.session.flush()
    return repair


def _require(repair: HousingRepair, allowed: tuple[RepairStatus, ...], message: str) -> None:
    if repair.status not in allowed:
        raise ConflictError(message)


def assign_repair(
    repair: HousingRepair, contractor_id: int | None, *, by: User | int | None, now: datetime | None = None
) -> HousingRepair:
    """Give the repair to a contractor (the co-op's own or the council's); reassigning is allowed until it starts."""
    _require(
        repair,
        (RepairStatus.REPORTED, RepairStatus.ASSIGNED),
        _("Only a reported or assigned repair can be given to a contractor."),
    )
    estate = queries.estate_of(queries.home_by_id(repair.home_id))
    allowed = {c.id for c in queries.contractors(estate.society_id, including_council=True)}
    if contractor_id is None or contractor_id not in allowed:
        raise HousingError(_("Choose a contractor from the list"), "contractor_id")
    repair.contractor_id = contractor_id
    repair.status = RepairStatus.ASSIGNED
    repair.assigned_at = now or timing.now()
    db.session.flush()
    return repair


def start_repair(repair: HousingRepair, *, by: User | int | None, now: datetime | None = None) -> HousingRepair:
    """The contractor has started work (for damp and mould: the investigation is done, the make-safe clock starts)."""
    _require(repair, (RepairStatus.ASSIGNED,), _("Only an assigned repair can start."))
    moment = now or timing.now()
    repair.status = RepairStatus.IN_PROGRESS
    repair.started_at = moment
    if repair.category is RepairCategory.DAMP_MOULD and repair.make_safe_days:
        repair.investigated_at = moment
        repair.make_safe_by = targets.due_at(moment, repair.make_safe_days, TargetUnit.CALENDAR_DAYS)
    db.session.flush()
    return repair


def complete_repair(
    repair: HousingRepair, *, note: str, by: User | int | None, now: datetime | None = None
) -> HousingRepair:
    """The work is done; the tenant is then asked how satisfied they are."""
    _require(
        repair,
        (RepairStatus.ASSIGNED, RepairStatus.IN_PROGRESS),
        _("Only a repair a contractor is working on can be completed."),
    )
    moment = now or timing.now()
    repair.note = _text(note, "note", _("the note"), required=False, limit=MAX_TEXT)
    repair.status = RepairStatus.COMPLETED
    repair.completed_at = moment
    db.session.flush()
    _event(
        "repair_completed",
        "housing_repair",
        repair.id,
        by,
        within_target=moment <= queries.deadline_of(repair),
    )
    return repair


def cancel_repair(
    repair: HousingRepair, *, reason: str, by: User | int | None, now: datetime | None = None
) -> HousingRepair:
    """Cancel a repair that is not finished, saying why (the tenant sees the reason)."""
    _require(repair, queries.OPEN_STATUSES, _("Only a repair that is not finished can be cancelled."))
    repair.note = _text(reason, "reason", _("the reason for cancelling"), limit=MAX_TEXT)
    repair.status = RepairStatus.CANCELLED
    repair.cancelled_at = now or timing.now()
    db.session.flush()
    _event("repair_cancelled", "housing_repair", repair.id, by)
    return repair


def rate_repair(
    repair: HousingRepair, *, score: int | None, comment: str, by: User, now: datetime | None = None
) -> HousingRepair:
    """The tenant says how satisfied they are with a completed repair (once)."""
    _require(repair, (RepairStatus.COMPLETED,), _("You can say how satisfied you are once the repair is completed."))
    if repair.satisfaction is not None:
        raise ConflictError(_("You have already said how satisfied you are with this repair."))
    if score is None or not 1 <= score <= 5:
        raise HousingError(_("Choose how satisfied you are"), "satisfaction")
    repair.satisfaction = score
    repair.satisfaction_comment = _text(comment, "comment", _("your comment"), required=False, limit=MAX_TEXT)
    repair.satisfaction_at = now or timing.now()
    db.session.flush()
    return repair


def can_report_for(user: User, home: HousingHome) -> bool:
    """Whether ``user`` is a tenant of ``home`` today."""
    return queries.is_tenant_of(user.id, home.id, timing.today())


def end_of_uk_day(day: date) -> datetime:
    """Midnight at the end of ``day``, UK time, as UTC (closing times typed as a date)."""
    return timing.uk_datetime(day + timedelta(days=1), 0, 0)
