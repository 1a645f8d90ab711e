"""Officer pages for the register of eligible residents and the postcode lookup.

Load → check → call an operation → render or redirect. Pages without an id
are checked for the role by the blueprint; the import page loads its import
first (404 if it is not this council's) and then checks the role (403).
"""

from __future__ import annotations

import math

from flask import Response, abort, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, or_, select

from app.admin.forms import error_list
from app.auth.models import Role
from app.auth.roles import current_council_role
from app.extensions import db
from app.i18n import gettext as _
from app.residents import imports
from app.residents.csv_files import POSTCODE_TEMPLATE, REGISTER_TEMPLATE
from app.residents.forms import RegisterImportForm
from app.residents.models import ImportKind, ImportMode, ImportStatus, PostcodeNeighbourhood, RegisterEntry
from app.residents.postcodes import normalise_postcode
from app.web.forms import CsvUploadForm
from app.web.loading import get_or_404
from tenants.models import Neighbourhood

PER_PAGE = 50
STAFF = (Role.COUNCIL_ADMIN, Role.OFFICER)


def require_staff() -> None:
    """403 unless the signed-in person is an officer or administrator here (or a platform administrator)."""
    role = current_council_role()
    if not current_user.is_platform_admin and (role is None or role.role not in STAFF):
        abort(403)


def _page_number(total: int) -> tuple[int, int]:
    pages = max(1, math.ceil(total / PER_PAGE))
    page = request.args.get("page", "1")
    if not page.isdigit() or not 1 <= int(page) <= pages:
        abort(404)
    return int(page), pages


def register():
    """The register, searchable by reference, name or postcode, a page at a time."""
    query = request.args.get("q", "").strip()[:100]
    conditions = []
    if query:
        like = f"%{query.replace('%', '').replace('_', '')}%"
        conditions.append(
            or_(
                RegisterEntry.reference.ilike(like),
                RegisterEntry.name.ilike(like),
                RegisterEntry.postcode == (normalise_postcode(query) or query.upper()),
            )
        )
    total = db.session.scalar(select(func.count()).select_from(RegisterEntry).where(*conditions))
    page, pages = _page_number(total)
    rows = db.session.execute(
        select(RegisterEntry, Neighbourhood.name)
        .join(Neighbourhood, Neighbourhood.id == RegisterEntry.neighbourhood_id)
        .where(*conditions)
        .order_by(RegisterEntry.reference)
        .offset((page - 1) * PER_PAGE)
        .limit(PER_PAGE)
    ).all()
    return render_template(
        "residents/register.html",
        rows=rows,
        query=query,
        total=total,
        page=page,
        pages=pages,
        first=(page - 1) * PER_PAGE + 1,
        recent=imports.recent_imports(ImportKind.REGISTER, limit=5),
    )


def postcodes():
    """The postcode lookup, a page at a time."""
    query = request.args.get("q", "").strip()[:20]
    conditions = []
    if query:
        conditions.append(PostcodeNeighbourhood.postcode.startswith(" ".join(query.upper().split())))
    total = db.session.scalar(select(func.count()).select_from(PostcodeNeighbourhood).where(*conditions))
    page, pages = _page_number(total)
    rows = db.session.execute(
        select(PostcodeNeighbourhood.postcode, Neighbourhood.name)
        .join(Neighbourhood, Neighbourhood.id == PostcodeNeighbourhood.neighbourhood_id)
        .where(*conditions)
        .order_by(PostcodeNeighbourhood.postcode)
        .offset((page - 1) * PER_PAGE)
        .limit(PER_PAGE)
    ).all()
    return render_template(
        "residents/postcodes.html",
        rows=rows,
        query=query,
        total=total,
        page=page,
        pages=pages,
        first=(page - 1) * PER_PAGE + 1,
        recent=imports.recent_imports(ImportKind.POSTCODES, limit=5),
    )


def _upload(kind: ImportKind, form: CsvUploadForm, template: str):
    if form.validate_on_submit():
        upload = form.csv_file.data
        content = upload.read()
        if not content.strip():
            form.csv_file.errors = [_("The selected file is empty")]
        else:
            mode = ImportMode(form.mode.data) if isinstance(form, RegisterImportForm) else ImportMode.REPLACE
            record = imports.request_import(kind, mode, upload.filename or "", content, actor_user_id=current_user.id)
            db.session.commit()
            return redirect(url_for(".import_status", import_id=record.id))
    form_errors = error_list(form, "csv_file", "mode")
    html = render_template(
        template, form=form, form_errors=form_errors, max_mb=imports.MAX_BYTES[kind] // (1024 * 1024)
    )
    return html, 400 if form_errors else 200


def import_register():
    return _upload(ImportKind.REGISTER, RegisterImportForm(), "residents/import_register.html")


def import_postcodes():
    return _upload(ImportKind.POSTCODES, CsvUploadForm(), "residents/import_postcodes.html")


def import_status(import_id: int):
    """An import's progress (with a button to look again: no JavaScript, no timed reload), counts, or problems."""
    from app.residents.models import RegisterImport

    record = get_or_404(RegisterImport, import_id)
    require_staff()
    run = imports.import_progress(record)
    running = record.status is ImportStatus.QUEUED and (run is None or str(run.status) in ("queued", "running"))
    return render_template(
        "residents/import_status.html",
        record=record,
        run=run,
        running=running,
        problems=imports.problem_rows(record),
    )


def register_template():
    return _csv_download(REGISTER_TEMPLATE, "register.csv")


def postcode_template():
    return _csv_download(POSTCODE_TEMPLATE, "postcodes.csv")


def _csv_download(body: str, filename: str) -> Response:
    return Response(body, mimetype="text/csv", headers={"Content-Disposition": f'attachment; filename="{filename}"'})
