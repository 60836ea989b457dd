"""/raise: anyone raises a concern without an account; answered with reference and code."""

from __future__ import annotations

import secrets

from flask import current_app, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField, TextAreaField

from tracker.extensions import limiter
from tracker.field_spec import CASE_FIELDS
from tracker.services.errors import TooManyRequests, ValidationFailed
from tracker.services.public_intake import PUBLIC_FIELDS, raise_concern
from tracker.services.slips import qr_code, status_url
from tracker.web import web
from tracker.web.choices import category_choices, code_choices, language
from tracker.web.forms import form_values, select, set_errors
from tracker.web.messages import translated_errors

# A field people never see (hidden by CSS and from screen readers): a bot that fills it in is
# answered as if it had worked, and nothing is logged.
HONEYPOT = "website"


class RaiseForm(FlaskForm):
    """The concern, where it happened and, if the person wishes, how to reach them."""

    title = StringField(_l("Title"), render_kw={"maxlength": CASE_FIELDS["title"].max_length})
    description = TextAreaField(_l("Description"), render_kw={"rows": 5})
    category = select(_l("Category"))
    province = select(_l("Province"))
    raised_by_name = StringField(_l("Your name (optional)"))
    # The phone's keyboard for an address or a number (the form is novalidate: the service checks).
    raised_by_email = StringField(
        _l("Your email (optional)"), render_kw={"inputmode": "email", "autocomplete": "email"}
    )
    raised_by_phone = StringField(
        _l("Your phone (optional)"), render_kw={"inputmode": "tel", "autocomplete": "tel"}
    )
    language = select(_l("Language for our answers"))
    consent_share = BooleanField(
        _l("The agency handling it may see my name and contact"),
        description=_l("Without this, agencies see no personal data of yours."),
    )
    website = StringField(_l("Leave this empty"))


def _form(formdata=None) -> RaiseForm:
    form = RaiseForm(formdata=formdata, data={"language": language()})
    form.category.choices = category_choices(_l("— choose —"))
    form.province.choices = code_choices("province", _l("— not stated —"))
    form.language.choices = code_choices("language")
    return form


def _answer(reference: str, access_code: str):
    url = status_url(reference)
    qr = qr_code(url).svg_inline(scale=3)
    return render_template(
        "raise.html", reference=reference, access_code=access_code, status_url=url, qr_svg=qr
    )


def _decoy() -> tuple[str, str]:
    """A reference and code that look like a real answer (for a bot; nothing was logged)."""
    code = "-".join(secrets.token_hex(2).upper() for _ in range(3))
    return f"GRV-{secrets.randbelow(9000) + 1000}-{secrets.randbelow(90000):05d}", code


@web.route("/raise", methods=["GET", "POST"], endpoint="raise_concern")
@limiter.limit(lambda: current_app.config["RAISE_RATE_LIMIT"], methods=["POST"])
def raise_concern_page():
    """The form; on POST the concern is logged and the reference and code shown once."""
    if request.method == "GET":
        return render_template("raise.html", form=_form())
    form = _form(request.form)
    if (request.form.get(HONEYPOT) or "").strip():
        return _answer(*_decoy())
    values = {k: v for k, v in form_values(form, list(PUBLIC_FIELDS)).items() if v is not None}
    try:
        logged = raise_concern(values, channel="web", remote_addr=request.remote_addr)
    except ValidationFailed as exc:
        set_errors(form, translated_errors(exc.errors))
        return render_template("raise.html", form=form), 422
    except TooManyRequests:
        form.raised_by_email.errors = [_l("This email address has been used too often today.")]
        return render_template("raise.html", form=form), 429
    return _answer(logged.case.reference, logged.access_code)
