"""Printable intake slips: after an intake with the codes just issued, later with new codes."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user

from tracker import access
from tracker.extensions import db
from tracker.models import Case, Forum
from tracker.services.access_codes import reissue_access_codes
from tracker.services.errors import NotFound, PermissionDenied
from tracker.services.slips import forum_cases, make_slips, parse_references
from tracker.web import web
from tracker.web.forms import ID

PICK_LIMIT = 500


def slip_labels(languages: Sequence[str]) -> dict[str, dict[str, str]]:
    """The words on a slip, in each raiser's language."""
    labels = {}
    for code in set(languages):
        with force_locale(code):
            labels[code] = {
                "reference": _("Reference"),
                "code": _("Access code"),
                "forum": _("Forum"),
                "concern": _("Your concern"),
                "scan": _(
                    "Scan the code, or open the status page and enter the reference and code."
                ),
                "keep": _("Keep this slip: the code shows your case's status."),
                "telegram": _("Scan this one to be told of each step in Telegram."),
            }
    return labels


def render_slips(forum: Forum, cases: Sequence[Case], codes: Mapping[str, str], **extra):
    """The slips page for these cases and codes (the page people print)."""
    slips = make_slips(forum, cases, codes)
    response = render_template(
        "slips.html",
        forum=forum,
        slips=slips,
        labels=slip_labels([s.language for s in slips]),
        references=",".join(s.reference for s in slips),
        **extra,
    )
    return response, 200, {"Cache-Control": "no-store"}


@web.get(f"/forums/<{ID}:forum_id>/slips")
def forum_slips(forum_id: int):
    """Choose cases of the forum, or show the chosen ones' slips (codes are not kept)."""
    picked = [request.args.get("references", ""), *request.args.getlist("pick")]
    references = parse_references(",".join(picked))
    if not references:
        return _pick_page(forum_id)
    forum, cases = forum_cases(current_user, forum_id, references)
    return render_slips(forum, cases, {}, reissue_needed=True)


@web.post(f"/forums/<{ID}:forum_id>/slips")
def print_slips(forum_id: int):
    """Slips with the codes an intake just issued, or with new codes for the chosen cases."""
    references = parse_references(request.form.get("references"))
    forum, cases = forum_cases(current_user, forum_id, references)
    if request.form.get("reissue"):
        codes = reissue_access_codes(
            current_user, [c.reference for c in cases], remote_addr=request.remote_addr
        )
        db.session.expire_all()
        forum, cases = forum_cases(current_user, forum_id, references)
        return render_slips(forum, cases, codes, reissued=True)
    given = parse_references(request.form.get("codes"))
    codes = dict(zip(references, given, strict=False))
    return render_slips(forum, cases, codes)


@web.post("/cases/<reference>/access-code")
def reissue_case_code(reference: str):
    """Issue a new access code for one case (staff); the page shows it once."""
    codes = reissue_access_codes(current_user, [reference], remote_addr=request.remote_addr)
    session["new_codes"] = [[reference, codes[reference]]]
    flash(_("A new access code was issued; the old one no longer works."), "success")
    return redirect(url_for("web.case_page", reference=reference))


def _pick_page(forum_id: int):
    """The forum's cases, newest first, to choose whose slips to print."""
    if not access.can_reissue_access_codes(current_user):
        raise PermissionDenied(_("Only staff print intake slips."))
    forum = db.session.get(Forum, forum_id)
    if forum is None:
        raise NotFound(_("No such forum."))
    cases = db.session.scalars(
        access.visible_cases(current_user)
        .where(Case.forum_id == forum.id)
        .order_by(Case.created_at.desc(), Case.id.desc())
        .limit(PICK_LIMIT)
    ).all()
    return render_template("slips_pick.html", forum=forum, cases=cases)
