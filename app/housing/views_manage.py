"""Council officers' housing pages: estates, blocks and homes (one by one or from a CSV file), tenancies."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for

from app.extensions import db
from app.housing import access, homes_csv, operations, queries
from app.housing.forms import field_text, optional_id, summary, whole
from app.housing.models import HomeType, HousingEstate, HousingHome, HousingTenancy
from app.i18n import gettext as _
from app.voting import timing
from app.web.dates import read_named_date
from app.web.forms import CsvUploadForm
from app.web.loading import get_or_404

ESTATE_FIELDS = ("name", "description", "society_id")
HOME_FIELDS = ("reference", "address", "postcode", "bedrooms", "home_type", "block_id")


def _by() -> object:
    from flask_login import current_user

    return current_user._get_current_object()


def manage():
    access.require_officer()
    rows = [(e, queries.home_count(e.id)) for e in queries.estates()]
    within = queries.repairs_within_target()
    return render_template(
        "housing/manage.html",
        rows=rows,
        coops={s.id: s for s in queries.housing_coops()},
        within=within,
        median_days=queries.median_days_to_complete(),
        open_repairs=len(queries.repair_queue()),
    )


def _estate_form(estate: HousingEstate | None):
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        society_raw = field_text(request.form, "society_id")
        society_id = optional_id(request.form, "society_id")
        if society_raw and society_id is None:
            errors["society_id"] = _("Choose a housing co-operative from the list")
        else:
            try:
                saved = operations.save_estate(
                    estate,
                    name=request.form.get("name", ""),
                    description=request.form.get("description", ""),
                    society_id=society_id,
                    by=_by(),
                )
            except operations.HousingError as exc:
                db.session.rollback()
                errors[exc.field or "name"] = exc.message
                status = exc.status
            else:
                db.session.commit()
                flash(_("%(name)s has been saved.", name=saved.name), "success")
                return redirect(url_for(".estate", estate_id=saved.id))
        status = status if status != 200 else 422
        values = request.form
    else:
        values = (
            {}
            if estate is None
            else {
                "name": estate.name,
                "description": estate.description,
                "society_id": str(estate.society_id or ""),
            }
        )
    return (
        render_template(
            "housing/estate_form.html",
            estate=estate,
            values=values,
            errors=errors,
            form_errors=summary(errors, ESTATE_FIELDS),
            coops=queries.housing_coops(),
        ),
        status,
    )


def new_estate():
    access.require_officer()
    return _estate_form(None)


def edit_estate(estate_id: int):
    estate = get_or_404(HousingEstate, estate_id)
    access.require_officer()
    return _estate_form(estate)


def estate(estate_id: int):
    found = get_or_404(HousingEstate, estate_id)
    access.require_officer()
    return render_template(
        "housing/estate.html",
        estate=found,
        blocks=queries.blocks(found.id),
        homes=queries.homes(found.id),
        coop=next((s for s in queries.housing_coops() if s.id == found.society_id), None),
        errors={},
        form_errors=[],
        values={},
    )


def add_block(estate_id: int):
    found = get_or_404(HousingEstate, estate_id)
    access.require_officer()
    try:
        block = operations.add_block(found, name=request.form.get("name", ""), by=_by())
    except operations.HousingError as exc:
        db.session.rollback()
        errors = {"name": exc.message}
        return (
            render_template(
                "housing/estate.html",
                estate=found,
                blocks=queries.blocks(found.id),
                homes=queries.homes(found.id),
                coop=next((s for s in queries.housing_coops() if s.id == found.society_id), None),
                errors=errors,
                form_errors=summary(errors),
                values=request.form,
            ),
            exc.status,
        )
    db.session.commit()
    flash(_("Block %(name)s has been added.", name=block.name), "success")
    return redirect(url_for(".estate", estate_id=found.id))


def _home_form(found_estate: HousingEstate, home: HousingHome | None):
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        block_raw = field_text(request.form, "block_id")
        block_id = optional_id(request.form, "block_id")
        if block_raw and block_id is None:
            errors["block_id"] = _("Choose a block of this estate from the list")
        else:
            details = operations.HomeDetails(
                reference=request.form.get("reference", ""),
                address=request.form.get("address", ""),
                postcode=request.form.get("postcode", ""),
                bedrooms=whole(request.form, "bedrooms"),
                home_type=request.form.get("home_type", ""),
                block_id=block_id,
            )
            try:
                saved = operations.save_home(found_estate, home, details, by=_by())
            except operations.HousingError as exc:
                db.session.rollback()
                errors[exc.field or "reference"] = exc.message
                status = exc.status
            else:
                db.session.commit()
                flash(_("Home %(ref)s has been saved.", ref=saved.reference), "success")
                return redirect(url_for(".home", home_id=saved.id))
        status = status if status != 200 else 422
        values = request.form
    else:
        values = (
            {}
            if home is None
            else {
                "reference": home.reference,
                "address": home.address,
                "postcode": home.postcode,
                "bedrooms": str(home.bedrooms),
                "home_type": home.home_type.value,
                "block_id": str(home.block_id or ""),
            }
        )
    return (
        render_template(
            "housing/home_form.html",
            estate=found_estate,
            home=home,
            blocks=queries.blocks(found_estate.id),
            home_types=list(HomeType),
            values=values,
            errors=errors,
            form_errors=summary(errors, HOME_FIELDS),
        ),
        status,
    )


def new_home(estate_id: int):
    found = get_or_404(HousingEstate, estate_id)
    access.require_officer()
    return _home_form(found, None)


def edit_home(home_id: int):
    home = get_or_404(HousingHome, home_id)
    access.require_officer()
    return _home_form(queries.estate_of(home), home)


def import_homes(estate_id: int):
    found = get_or_404(HousingEstate, estate_id)
    access.require_officer()
    form = CsvUploadForm()
    problems: list[homes_csv.Problem] = []
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            data = form.csv_file.data.read()
            parsed = homes_csv.parse_homes(data, existing_references=queries.home_references())
            if parsed.ok:
                try:
                    count = operations.import_homes(found, parsed.rows, by=_by())
                except operations.HousingError as exc:
                    db.session.rollback()
                    problems = [homes_csv.Problem(None, exc.message)]
                else:
                    db.session.commit()
                    flash(
                        _("%(count)s homes have been added to %(estate)s.", count=count, estate=found.name), "success"
                    )
                    return redirect(url_for(".estate", estate_id=found.id))
            else:
                problems = parsed.problems
        status = 422
    form_errors = [{"text": str(e), "href": "#csv_file"} for e in form.csv_file.errors]
    if problems:
        form_errors.append({"text": _("The file has problems. Nothing has been imported."), "href": "#csv_file"})
    return (
        render_template(
            "housing/import.html",
            estate=found,
            form=form,
            problems=problems,
            form_errors=form_errors,
            template_line=homes_csv.TEMPLATE,
        ),
        status,
    )


def home(home_id: int, *, errors: dict[str, str] | None = None, status: int = 200):
    found = get_or_404(HousingHome, home_id)
    access.require_officer()
    found_estate = queries.estate_of(found)
    rows = [(t, queries.tenants(t.id)) for t in queries.tenancies(found.id)]
    errors = errors or {}
    return (
        render_template(
            "housing/home.html",
            home=found,
            estate=found_estate,
            tenancies=rows,
            today=timing.today(),
            values=request.form,
            errors=errors,
            form_errors=summary(errors, ("starts_on", "name_1", "email_1", "name_2", "email_2", "ends_on")),
        ),
        status,
    )


def start_tenancy(home_id: int):
    found = get_or_404(HousingHome, home_id)
    access.require_officer()
    starts_on, date_error = read_named_date(request.form, "starts_on", _("the date the tenancy starts"))
    if date_error:
        return home(home_id, errors={"starts_on": date_error}, status=422)
    people = [
        operations.TenantDetails(request.form.get(f"name_{n}", ""), request.form.get(f"email_{n}", "")) for n in (1, 2)
    ]
    try:
        operations.start_tenancy(found, starts_on=starts_on, people=people, by=_by())
    except operations.HousingError as exc:
        db.session.rollback()
        return home(home_id, errors={exc.field or "starts_on": exc.message}, status=exc.status)
    db.session.commit()
    flash(_("The tenancy has been started."), "success")
    return redirect(url_for(".home", home_id=found.id))


def end_tenancy(home_id: int, tenancy_id: int):
    found = get_or_404(HousingHome, home_id)
    tenancy = get_or_404(HousingTenancy, tenancy_id)
    access.require_officer()
    if tenancy.home_id != found.id:
        abort(404)
    ends_on, date_error = read_named_date(request.form, "ends_on", _("the date the tenancy ends"))
    if date_error:
        return home(home_id, errors={"ends_on": date_error}, status=422)
    try:
        operations.end_tenancy(tenancy, ends_on=ends_on, by=_by())
    except operations.HousingError as exc:
        db.session.rollback()
        return home(home_id, errors={"ends_on": exc.message}, status=exc.status)
    db.session.commit()
    flash(_("The tenancy has been ended."), "success")
    return redirect(url_for(".home", home_id=found.id))
