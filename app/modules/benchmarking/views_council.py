"""A council's own benchmarking pages, under /c/<council>/benchmarking, for its officers.

Its dashboard (its own figures, private ones too, against the published
network), who may see each metric, the quarterly upload, and its own peer
group.
"""

from __future__ import annotations

from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.extensions import db
from app.i18n import gettext as _
from app.i18n import lazy_gettext as _l
from app.modules.benchmarking import charts, dashboard, operations, queries, uploads
from app.modules.benchmarking.catalogue import METRICS, UNIT_NAMES, uploaded_metrics
from app.modules.benchmarking.disclosure import Sharing, Visibility
from app.modules.benchmarking.format import number
from app.modules.benchmarking.forms import CsrfOnlyForm
from app.modules.benchmarking.params import peer_kind
from app.modules.benchmarking.peers import PEER_KIND_NAMES, PeerKind
from app.modules.benchmarking.periods import label
from app.modules.benchmarking.views_network import PUBLIC_PEER_KINDS
from app.web.forms import CsvUploadForm
from tenants.context import current_council_id

VISIBILITY_NAMES = {
    Visibility.PRIVATE: _l("Private: only our officers"),
    Visibility.NETWORK: _l("Network: officers of member councils"),
    Visibility.PUBLIC: _l("Public: anyone"),
}


def _today() -> date:
    return date.today()


def _council():
    council = queries.council_by_id(current_council_id())
    if council is None:  # pragma: no cover - the council blueprint has resolved it
        abort(404)
    return council


def dashboard_page():
    council = _council()
    kind = peer_kind((*PUBLIC_PEER_KINDS, PeerKind.CUSTOM))
    lines = dashboard.council_lines(council, queries.reader_levels(), kind, own=queries.own_series())
    return render_template(
        "benchmarking/council.html",
        shown=council,
        lines=lines,
        chart=charts.positions(lines) if lines else None,
        kind=kind,
        kinds=(*PUBLIC_PEER_KINDS, PeerKind.CUSTOM),
        kind_names=PEER_KIND_NAMES,
        number=number,
        label=label,
        own_page=True,
    )


def sharing():
    """Who may see each metric, and an embargo date before which nobody else may."""
    form = CsrfOnlyForm()
    current = operations.sharing_choices()
    errors: dict[str, str] = {}
    values = {
        code: (
            request.form.get(f"visibility-{code}", "")
            if request.method == "POST"
            else current.get(code, Sharing()).visibility.value,
            request.form.get(f"embargo-{code}", "").strip()
            if request.method == "POST"
            else (e.isoformat() if (e := current.get(code, Sharing()).embargo_until) else ""),
        )
        for code in METRICS
    }
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        choices = {}
        for code, (visibility_text, embargo_text) in values.items():
            try:
                visibility = Visibility(visibility_text)
            except ValueError:
                errors[f"visibility-{code}"] = _("Choose who may see %(name)s", name=str(METRICS[code].name))
                continue
            embargo = None
            if embargo_text:
                try:
                    embargo = date.fromisoformat(embargo_text)
                except ValueError:
                    errors[f"embargo-{code}"] = _(
                        "The embargo date for %(name)s must be a date like 2027-01-31", name=str(METRICS[code].name)
                    )
                    continue
            choices[code] = (visibility, embargo)
        if not errors:
            operations.set_sharing(choices, today=_today(), actor_user_id=current_user.id)
            db.session.commit()
            flash(_("Your sharing choices have been saved and your figures republished."), "success")
            return redirect(url_for(".sharing"))
    form_errors = [{"text": message, "href": f"#{field}"} for field, message in errors.items()]
    return (
        render_template(
            "benchmarking/sharing.html",
            form=form,
            metrics=list(METRICS.values()),
            values=values,
            errors=errors,
            form_errors=form_errors,
            visibility_names=VISIBILITY_NAMES,
        ),
        422 if errors else 200,
    )


def upload():
    """An officer's CSV of quarterly figures: every line checked first, nothing saved if any is wrong."""
    form = CsvUploadForm()
    problems: list[uploads.Problem] = []
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            # A quarter already uploaded is refused unless the officer says the file corrects it.
            replace = request.form.get("replace") == "yes"
            parsed = uploads.parse_upload(
                form.csv_file.data.read(), today=_today(), existing=() if replace else operations.uploaded_periods()
            )
            if parsed.ok:
                count, corrected = operations.import_uploads(parsed.rows, today=_today(), actor_user_id=current_user.id)
                db.session.commit()
                flash(_("%(count)d figures have been uploaded.", count=count), "success")
                if corrected:
                    flash(_("%(count)d of them replaced figures uploaded before.", count=corrected), "success")
                return redirect(url_for(".upload"))
            problems = parsed.problems
        status = 422
    form_errors = [{"text": str(e), "href": "#csv_file"} for e in form.csv_file.errors]
    if problems:
        form_errors.append({"text": _("The file has problems. Nothing has been uploaded."), "href": "#csv_file"})
    return (
        render_template(
            "benchmarking/upload.html",
            form=form,
            problems=problems,
            form_errors=form_errors,
            template_line=uploads.TEMPLATE,
            metrics=uploaded_metrics(),
            units=UNIT_NAMES,
        ),
        status,
    )


def peers():
    """The council's own peer group: any other active councils."""
    form = CsrfOnlyForm()
    council = _council()
    others = [c for c in queries.active_councils() if c.id != council.id]
    chosen = queries.custom_peer_ids()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        valid = {c.id for c in others}
        asked = request.form.getlist("peer")
        if not all(a.isdigit() and int(a) in valid for a in asked):
            abort(400)
        kept = operations.set_peers([int(a) for a in asked], actor_user_id=current_user.id)
        db.session.commit()
        flash(_("Your peer group has been saved with %(count)d councils.", count=len(kept)), "success")
        return redirect(url_for(".peers"))
    return render_template("benchmarking/peers.html", form=form, others=others, chosen=chosen)
