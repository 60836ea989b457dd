"""Web forms (Flask-WTF): fields, labels and CSRF. The services judge the values."""

from __future__ import annotations

from typing import Any, ClassVar

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    EmailField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    PasswordField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import EqualTo

from tracker.field_spec import CASE_FIELDS
from tracker.services.admin import AGENCIES, CATEGORIES, FORUMS, ORGANISATIONS, Resource
from tracker.services.text_checks import MAX_ID, whole_number_text

# The largest id or count a page accepts (a database INTEGER); beyond it a number is nonsense.
MAX_WHOLE_NUMBER = MAX_ID
# A record id in a page's path: larger numbers simply match no route (404).
ID = f"int(max={MAX_WHOLE_NUMBER})"
INTEGER_FIELDS = frozenset(
    {"people_affected", "forum_id", "organisation_id", "owner_id", "agency_id", "response_days"}
)


class Needed:
    """Mark a field required on the page (``required``, ``aria-required`` and the visible mark).

    It checks nothing: forms are sent ``novalidate`` and the service judges the values, so the
    message and the error summary come from one place whatever the entry point.
    """

    field_flags: ClassVar[dict[str, bool]] = {"required": True}

    def __call__(self, form: Form, field: Any) -> None:
        return None


NEEDED = [Needed()]


def case_needed(name: str) -> list[Needed]:
    """The marker for a case field the services require (``tracker.field_spec``)."""
    return NEEDED if CASE_FIELDS[name].required else []


def record_needed(resource: Resource, name: str) -> list[Needed]:
    """The marker for a field an admin record requires (``tracker.services.admin``)."""
    return NEEDED if name in resource.required else []


def select(label: Any, **kwargs: Any) -> SelectField:
    """A select whose choices are set per request and whose value the service checks."""
    return SelectField(label, choices=[], validate_choice=False, **kwargs)


class LoginForm(FlaskForm):
    """Email and password."""

    email = EmailField(
        _l("Email"), NEEDED, render_kw={"autocomplete": "username", "autofocus": True}
    )
    password = PasswordField(_l("Password"), NEEDED, render_kw={"autocomplete": "current-password"})


class LanguageForm(FlaskForm):
    """The English / ខ្មែរ switch on every page."""

    language = HiddenField()
    next = HiddenField()


class CaseFields:
    """The editable fields of a case, shared by the new-case and edit forms."""

    title = StringField(
        _l("Title"),
        case_needed("title"),
        render_kw={"maxlength": CASE_FIELDS["title"].max_length},
    )
    description = TextAreaField(
        _l("Description"), case_needed("description"), render_kw={"rows": 5}
    )
    category = select(_l("Category"), validators=case_needed("category"))
    forum_id = select(_l("Forum"))
    organisation_id = select(_l("Organisation"))
    raised_by_name = StringField(
        _l("Raised by (name)"),
        description=_l(
            "Name and contact are optional: an anonymous concern is followed with its access "
            "code only."
        ),
    )
    raised_by_email = StringField(_l("Email of the person who raised it"))
    raised_by_phone = StringField(_l("Phone of the person who raised it"))
    affected_group = select(_l("Affected group"))
    gender_focus = select(_l("Gender focus"))
    people_affected = StringField(_l("People affected"), render_kw={"inputmode": "numeric"})
    province = select(_l("Province"))
    priority = select(_l("Priority"))
    language = select(_l("Language of the concern"))
    channel = select(_l("How the person who raised it is told"))
    consent_share = BooleanField(
        _l("They agree that the agencies see their name and contact"),
        description=_l("Without it, agencies see no personal data of this person."),
    )


class CaseForm(CaseFields, FlaskForm):
    """Log or edit a case (staff choose the workflow of a new one, and whether it is
    confidential and who may see it then)."""

    confidential = BooleanField(
        _l("Confidential: only the admins and the officers named on the case see it")
    )
    team_ids = SelectMultipleField(
        _l("Officers named on the case (besides its owner)"),
        validate_choice=False,
        render_kw={"size": 5},
    )
    workflow = select(_l("Workflow"))
    version = HiddenField()


class AssignForm(FlaskForm):
    """Make an officer the owner."""

    owner_id = select(_l("Owner"), validators=NEEDED)
    version = HiddenField()


class CommentForm(FlaskForm):
    """Add a comment or more information."""

    body = TextAreaField(_l("Comment or more information"), NEEDED, render_kw={"rows": 3})
    internal = BooleanField(_l("Internal note (not shown to representatives)"))


class CaseFilterForm(FlaskForm):
    """Narrow the case list (a GET form: no CSRF needed, nothing changes)."""

    class Meta:
        csrf = False

    q = StringField(_l("Search"), render_kw={"type": "search"})
    state = select(_l("State"))
    category = select(_l("Category"))
    province = select(_l("Province"))
    agency_id = select(_l("Agency"))
    owner_id = select(_l("Owner"))
    forum_id = select(_l("Forum"))
    gender_focus = select(_l("Gender focus"))
    overdue = select(_l("Deadline"))
    changed = select(_l("Changed"))
    sort = select(_l("Sort by"))


class ConcernRow(Form):
    """One concern of a forum intake table."""

    title = StringField(_l("Title"), case_needed("title"))
    description = TextAreaField(
        _l("Description"), case_needed("description"), render_kw={"rows": 2}
    )
    category = select(_l("Category"), validators=case_needed("category"))
    province = select(_l("Province"))
    gender_focus = select(_l("Gender focus"))
    affected_group = select(_l("Affected group"))
    people_affected = StringField(_l("People affected"), render_kw={"inputmode": "numeric"})
    raised_by_name = StringField(_l("Raised by (name)"))
    raised_by_phone = StringField(_l("Phone"))


# The most rows the intake page takes at once (refused beyond, never cut); files take more.
MAX_FORM_ROWS = 1000


class IntakeForm(FlaskForm):
    """Many concerns from one forum, a row each."""

    rows = FieldList(FormField(ConcernRow), min_entries=5, max_entries=MAX_FORM_ROWS)


class UploadForm(FlaskForm):
    """A spreadsheet of a forum's concerns (CSV or XLSX)."""

    file = FileField(_l("Spreadsheet (CSV or XLSX)"), NEEDED, render_kw={"accept": ".csv,.xlsx"})


class ForumForm(FlaskForm):
    """Create or edit a forum."""

    title = StringField(_l("Forum title"), record_needed(FORUMS, "title"))
    kind = select(_l("Kind"))
    date = StringField(_l("Date"), record_needed(FORUMS, "date"), render_kw={"type": "date"})
    province = select(_l("Province"))
    venue = StringField(_l("Venue"))


class ChooseForumForm(FlaskForm):
    """Pick the forum whose concerns are about to be logged."""

    forum_id = select(_l("Forum"), validators=NEEDED)


class AgencyForm(FlaskForm):
    """Create or edit an agency."""

    code = StringField(_l("Code"), record_needed(AGENCIES, "code"))
    name_en = StringField(_l("Name (English)"), record_needed(AGENCIES, "name_en"))
    name_km = StringField(_l("Name (Khmer)"))
    contact_emails = StringField(_l("Contact emails (comma-separated)"))
    response_days = StringField(_l("Working days to respond"), render_kw={"inputmode": "numeric"})


class DayOffForm(FlaskForm):
    """A day off announced at short notice."""

    day = StringField(_l("Date"), NEEDED, render_kw={"type": "date"})
    name = StringField(_l("What the day is"), NEEDED)


class CategoryForm(FlaskForm):
    """Edit a category's labels and order."""

    label_en = StringField(_l("Label (English)"), record_needed(CATEGORIES, "label_en"))
    label_km = StringField(_l("Label (Khmer)"))
    position = StringField(_l("Position"), render_kw={"inputmode": "numeric"})
    active = BooleanField(_l("Active"))


class UserForm(FlaskForm):
    """Create or edit a user."""

    email = EmailField(_l("Email"), NEEDED)
    name = StringField(_l("Name"))
    role = select(_l("Role"), validators=NEEDED)
    agency_id = select(_l("Agency"))
    organisation_id = select(_l("Organisation"))
    language = select(_l("Language"))
    active = BooleanField(_l("Active"))


class OrganisationForm(FlaskForm):
    """Create or rename an organisation."""

    name = StringField(
        _l("Name"), record_needed(ORGANISATIONS, "name"), render_kw={"maxlength": 200}
    )
    kind = StringField(_l("Kind (union, association, community…)"), render_kw={"maxlength": 40})


def _repeat_password(field: str) -> PasswordField:
    """The new password typed a second time: a typo in a hidden field would lock you out."""
    return PasswordField(
        _l("New password again"),
        validators=[
            *NEEDED,
            EqualTo(field, message=_l("The two passwords differ. Type the new one twice.")),
        ],
        render_kw={"autocomplete": "new-password"},
    )


class PasswordChangeForm(FlaskForm):
    """Your current password and a new one."""

    current_password = PasswordField(
        _l("Current password"), NEEDED, render_kw={"autocomplete": "current-password"}
    )
    new_password = PasswordField(
        _l("New password"), NEEDED, render_kw={"autocomplete": "new-password"}
    )
    confirm = _repeat_password("new_password")


class DisplayForm(FlaskForm):
    """How pages show numbers and dates to this reader."""

    khmer_digits = BooleanField(_l("Show numbers and dates in Khmer digits (០១២៣) on Khmer pages"))


class ChoicesForm(FlaskForm):
    """How this person is told: the language, the channel, the weekly digest (some roles)."""

    language = select(_l("Language"))
    channel = RadioField(_l("How to be told"), choices=[], validate_choice=False)
    digest = BooleanField(_l("Send me the weekly digest (Monday morning)"))


class NewPasswordForm(FlaskForm):
    """A new password, chosen through an invitation or reset link."""

    password = PasswordField(_l("New password"), NEEDED, render_kw={"autocomplete": "new-password"})
    confirm = _repeat_password("password")


class ForgotPasswordForm(FlaskForm):
    """The address to send a reset link to."""

    email = EmailField(
        _l("Email"), NEEDED, render_kw={"autocomplete": "username", "autofocus": True}
    )


class TransitionFormBase(FlaskForm):
    """Fields are added per trigger from the workflow definition (see tracker.web.transitions)."""

    version = HiddenField()


def form_values(form: Form, names: tuple[str, ...] | list[str]) -> dict[str, Any]:
    """The submitted values for a service: whole numbers as ints, blanks as None."""
    values: dict[str, Any] = {}
    for name in names:
        value = form[name].data
        if isinstance(value, str):
            value = value.strip()
        if name in INTEGER_FIELDS:
            value = as_int(value)
        elif isinstance(value, list):
            value = [as_int(item) for item in value]
        values[name] = value
    return values


def as_int(value: Any) -> Any:
    """Parse a whole number up to MAX_WHOLE_NUMBER; leave anything else (too large ones too) for
    the service to refuse or the page to ignore."""
    if value in (None, ""):
        return None
    number = whole_number_text(value, MAX_WHOLE_NUMBER)
    return value if number is None else number


# The services ask API clients and files for ISO dates; a page's date picker shows the date in
# the browser's own format, so there the message names no format.
ISO_DATE_MESSAGES = ("Enter a date as YYYY-MM-DD.", "Must be a date (YYYY-MM-DD).")
PICKER_DATE_MESSAGE = _l(
    "Enter a real date: choose it in the calendar, or type the day, month and year."
)


def _for_field(field: Any, messages: list[str]) -> list[str]:
    """A field's messages as its widget needs them (date pickers: no format named)."""
    if (field.render_kw or {}).get("type") != "date":
        return list(messages)
    iso = {gettext(m) for m in ISO_DATE_MESSAGES} | set(ISO_DATE_MESSAGES)
    return [str(PICKER_DATE_MESSAGE) if m in iso else m for m in messages]


def set_errors(form: Form, errors: dict[str, list[str]]) -> dict[str, list[str]]:
    """Put a service's field errors beside the fields; return those no field shows."""
    unplaced: dict[str, list[str]] = {}
    for name, messages in errors.items():
        if name in form and not isinstance(form[name], HiddenField):
            form[name].errors = _for_field(form[name], messages)
        else:
            unplaced[name] = list(messages)
    return unplaced
