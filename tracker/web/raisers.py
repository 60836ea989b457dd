"""Add a raiser to a case from its page; their access code is shown once, like a new case's."""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from tracker import access
from tracker.services.cases import get_case
from tracker.services.errors import PermissionDenied, ValidationFailed
from tracker.services.raisers import add_raiser
from tracker.web import web
from tracker.web.case_page import render_case
from tracker.web.cases import remember_code_pairs
from tracker.web.forms import form_values, set_errors
from tracker.web.messages import translated_errors
from tracker.web.raiser_form import RAISER_FORM_FIELDS, raiser_form


@web.post("/cases/<reference>/raisers")
def add_case_raiser(reference: str):
    """Add a raiser (named or anonymous); errors go back beside the fields."""
    case = get_case(current_user, reference)
    if not access.can_add_raiser(current_user, case):
        raise PermissionDenied(_("You may not add raisers to this case."))
    staff = access.is_staff(current_user)
    form = raiser_form(request.form, with_organisation=staff)
    names = [n for n in RAISER_FORM_FIELDS if n in form]
    try:
        _raiser, code = add_raiser(
            case, form_values(form, names), actor=current_user, remote_addr=request.remote_addr
        )
    except ValidationFailed as exc:
        set_errors(form, translated_errors(exc.errors))
        return render_case(case, {"raiser": form}, 422)
    remember_code_pairs([(case.reference, code)])
    flash(_("Raiser added to %(reference)s.", reference=case.reference), "success")
    return redirect(url_for("web.case_page", reference=reference))
