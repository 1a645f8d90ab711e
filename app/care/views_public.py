"""Public care pages: the enterprises, their stories and moderation policy, telling a story, and moderating.

Anyone may read an enterprise's page and its published stories, and tell a
story (signed in or not; anonymous allowed). Only the enterprise's named
moderators see the moderation queue and act on a story; for anyone else a
story's moderation page does not exist (404).
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.care import access, operations, queries
from app.care.models import CareEnterprise, CareStory
from app.care.queries import EnterpriseRow
from app.care.submitting import Outcome, submit
from app.extensions import db
from app.housing.forms import field_text, optional_id, summary
from app.i18n import lazy_gettext as _l
from app.web.loading import get_or_404

STORY_FIELDS = ("title", "body", "service_id", "author_name")


def enterprise_or_404(enterprise_id: int) -> EnterpriseRow:
    """An enterprise of this council from a URL, with its society."""
    get_or_404(CareEnterprise, enterprise_id)
    row = queries.enterprise(enterprise_id)
    if row is None:
        abort(404)
    return row


def index():
    user_id = access.current_user_id()
    return render_template(
        "care/index.html",
        enterprises=queries.enterprises(),
        records=[] if user_id is None else queries.records_of(user_id),
        team_ids=sorted(queries.team_ids_of(user_id)) if user_id is not None else [],
        officer=access.is_officer(),
    )


def enterprise(enterprise_id: int):
    row = enterprise_or_404(enterprise_id)
    return render_template(
        "care/enterprise.html",
        row=row,
        services=queries.services(row.enterprise.id),
        moderator=access.is_moderator(row.enterprise.id),
        officer=access.is_officer(),
    )


def policy(enterprise_id: int):
    return render_template("care/policy.html", row=enterprise_or_404(enterprise_id))


def stories(enterprise_id: int):
    row = enterprise_or_404(enterprise_id)
    services = {s.id: s for s in queries.services(row.enterprise.id)}
    return render_template(
        "care/stories.html", row=row, stories=queries.published_stories(row.enterprise.id), services=services
    )


def new_story(enterprise_id: int):
    row = enterprise_or_404(enterprise_id)
    services = queries.services(row.enterprise.id)
    outcome = Outcome()
    if request.method == "POST":
        outcome = submit(
            lambda: operations.submit_story(
                row.enterprise,
                title=field_text(request.form, "title"),
                body=field_text(request.form, "body"),
                author_name=field_text(request.form, "author_name"),
                service_id=optional_id(request.form, "service_id"),
                by=access.current_user_id(),
            ),
            "body",
        )
        if not outcome.refused:
            return render_template("care/story_sent.html", row=row, story=outcome.result)
    return (
        render_template(
            "care/story_new.html",
            row=row,
            services=services,
            values=request.form,
            errors=outcome.errors,
            form_errors=summary(outcome.errors, STORY_FIELDS),
        ),
        outcome.status,
    )


def _require_moderator(enterprise_id: int) -> None:
    access.signed_in()
    if not access.is_moderator(enterprise_id):
        abort(404)


def moderation(enterprise_id: int):
    row = enterprise_or_404(enterprise_id)
    _require_moderator(row.enterprise.id)
    return render_template("care/moderation.html", row=row, stories=queries.stories_to_moderate(row.enterprise.id))


MODERATION_ACTIONS = {
    "publish": (
        lambda story, form, by: operations.publish_story(story, by=by),
        _l("The story is published."),
    ),
    "hold": (
        lambda story, form, by: operations.hold_story(story, note=field_text(form, "note"), by=by),
        _l("The story is held and will not be published."),
    ),
    "reject": (
        lambda story, form, by: operations.reject_story(story, note=field_text(form, "reject_note"), by=by),
        _l("The story is rejected."),
    ),
    "redact": (
        lambda story, form, by: operations.redact_story(story, body=field_text(form, "body"), by=by),
        _l("The story's personal data is taken out. It is waiting for moderation again."),
    ),
    "reply": (
        lambda story, form, by: operations.reply_to_story(story, reply=field_text(form, "reply"), by=by),
        _l("Your reply is published with the story."),
    ),
}


def story(story_id: int):
    found = get_or_404(CareStory, story_id)
    _require_moderator(found.enterprise_id)
    row = enterprise_or_404(found.enterprise_id)
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        action = MODERATION_ACTIONS.get(field_text(request.form, "action"))
        if action is None:
            abort(400)
        do, done = action
        name = field_text(request.form, "action")
        try:
            do(found, request.form, current_user._get_current_object())
        except operations.GovernanceError as exc:
            db.session.rollback()
            field = "reject_note" if name == "reject" and exc.field == "note" else exc.field
            errors[field or "actions"] = exc.message
            status = exc.status
        else:
            db.session.commit()
            flash(str(done), "success")
            return redirect(url_for(".story", story_id=found.id))
    services = {s.id: s for s in queries.services(row.enterprise.id)}
    return (
        render_template(
            "care/story.html",
            row=row,
            story=found,
            service=services.get(found.service_id),
            values=request.form,
            errors=errors,
            form_errors=summary(errors),
        ),
        status,
    )
