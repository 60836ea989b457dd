"""The "Add a raiser" form on the case page (staff, and representatives for their members)."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField

from tracker.web.choices import code_choices, organisation_choices
from tracker.web.forms import select

# Field names as the service takes them (tracker.services.raisers.RAISER_FIELDS).
RAISER_FORM_FIELDS = (
    "name",
    "email",
    "phone",
    "organisation_id",
    "people_affected",
    "language",
    "channel",
    "consent_share",
)


class RaiserForm(FlaskForm):
    """One more person or organisation raising the same concern; every field may stay empty."""

    name = StringField(_l("Name (optional)"))
    email = StringField(_l("Email (optional)"), render_kw={"inputmode": "email"})
    phone = StringField(_l("Phone (optional)"), render_kw={"inputmode": "tel"})
    organisation_id = select(_l("Organisation"))
    people_affected = StringField(
        _l("People they speak for"),
        render_kw={"inputmode": "numeric"},
        description=_l("Blank: one person."),
    )
    language = select(_l("Language"))
    channel = select(_l("How they are told"))
    consent_share = BooleanField(
        _l("They agree that the agencies see their name and contact"),
        description=_l("Without it, agencies see no personal data of this person."),
    )


def raiser_form(formdata: Any = None, *, with_organisation: bool = True) -> RaiserForm:
    """The form with its choices; ``formdata`` None: a blank form."""
    form = RaiserForm(formdata=formdata, prefix="raiser")
    form.organisation_id.choices = organisation_choices(_("None"))
    form.language.choices = code_choices("language")
    form.channel.choices = code_choices("channel", _("Email if given, else SMS"))
    if not with_organisation:
        del form.organisation_id
    return form
