"""Messages that reach the UI from outside ``_()`` calls, marked here so they get translated.

Services and the workflow speak English; the web UI passes their messages through the catalog
(``translated``), so the ones listed here appear in Khmer too. ``N_`` only marks a string for
extraction (babel.cfg keyword); it returns it unchanged.
"""

from __future__ import annotations

import re

from flask_babel import get_locale, gettext


def N_(message: str) -> str:
    """Mark a message for translation without translating it now."""
    return message


SERVICE_MESSAGES = (
    # Each person's choices on /account (tracker.services.account_choices).
    N_("Must be email or telegram."),
    N_("Link your Telegram chat first, then choose Telegram."),
    N_("Officers and admins always get the weekly digest."),
    N_("Must be en or km."),
    N_("This field is required."),
    N_("This field may not be blank."),
    N_("Must be text."),
    N_("Must be a single line."),
    N_("Must not contain control characters."),
    N_("Enter a valid email address."),
    N_("Email needs the raiser's email address."),
    N_("SMS needs the raiser's phone number (for example 012 345 678)."),
    N_("Unknown category."),
    N_("Must be a whole number from 0 to 10,000,000."),
    N_("Must be an active officer or admin."),
    N_("Only officers and admins may set this."),
    N_("Must be active officers or admins."),
    N_("Must be true or false."),
    N_("Must be a list of user ids."),
    N_("At most 50 officers."),
    N_("No such agency."),
    N_("No such forum."),
    N_("No such organisation."),
    N_("Required to analyse."),
    N_("Required to refer."),
    N_("Required to respond."),
    N_("Required to close."),
    N_("Required to reopen."),
    N_(
        "Must be one of: resolved, partly_resolved, not_resolved, duplicate, withdrawn, "
        "out_of_scope."
    ),
    N_("Must be one of: yes, partly, no."),  # "Was it resolved?" (tracker.services.feedback)
    N_("At most 2000 characters."),
    N_("A user with this email already exists."),
    N_("Use at least 10 characters."),
    N_("An agency user needs an agency."),
    N_("A representative needs an organisation."),
    N_("Must be a whole number."),
    N_("Must be a date (YYYY-MM-DD)."),
    N_("Enter valid email addresses, separated by commas."),
    N_("Unknown or read-only field."),
    N_("Some fields are missing or invalid."),
    N_("Only the agency the case is referred to may answer it."),
    # A case referred to several agencies (tracker.services.referral_answers, workflows.guards).
    N_("Your agency's referral of this case is already answered."),
    N_("Several agencies have an open referral: choose the one that answered."),
    N_("This agency has no open referral of this case."),
    N_("Must be a list of record ids."),
    N_("Must name at most 20."),
    N_("Another agency has this code."),
    N_("Letters, digits, - and _ only."),
    N_("You cannot demote or disable yourself."),
    N_("Enter at least one concern."),
    N_("At most 40 characters."),
    N_("At most 200 characters."),
    N_("At most 254 characters."),
    N_("At most 300 characters."),
    N_("At most 10000 characters."),
    N_("At most 20000 characters."),
    N_("Must be true or false."),  # consent to share (tracker.services.case_fields)
    N_("Some fields of the raiser are invalid."),
    N_("Not found"),
    # Werkzeug's names and descriptions of the errors a page can answer (tracker.errors renders
    # them); tests/web/test_web_error_pages.py checks they are still Werkzeug's words.
    N_("Not Found"),
    N_(
        "The requested URL was not found on the server. If you entered the URL manually please "
        "check your spelling and try again."
    ),
    N_("Method Not Allowed"),
    N_("The method is not allowed for the requested URL."),
    N_("Request Entity Too Large"),
    N_("The data value transmitted exceeds the capacity limit."),
    N_("This user has exceeded an allotted request count. Try again later."),
    N_("The browser (or proxy) sent a request that this server could not understand."),
    N_(
        "You don't have the permission to access the requested resource. It is either "
        "read-protected or not readable by the server."
    ),
    N_("Gone"),
    N_(
        "The requested URL is no longer available on this server and there is no forwarding "
        "address. If you followed a link from a foreign page, please contact the author of this "
        "page."
    ),
    N_("Forbidden"),
    N_("Conflict"),
    N_("Bad Request"),
    N_("Too Many Requests"),
    N_("Internal server error"),
    N_("Unprocessable content"),
    N_("Precondition failed"),
    N_("Something went wrong on our side. The error has been logged."),
    N_("Service unavailable"),
    N_("The database cannot be reached just now. Please try again in a few seconds."),
    # tracker.services.admin (agencies, forums, categories, users)
    N_("Must be a whole number from 1 to 365."),
    N_("Must be a whole number from 0 to 1000."),
    N_("Use 1 to 32 letters, digits, '-' or '_'."),
    N_("Give up to 10 email addresses."),
    N_("Enter valid email addresses."),
    N_("Enter a date as YYYY-MM-DD."),
    N_("Unknown workflow."),
    N_("This state has no working days to set here."),
    N_("This day is already a day off."),
    N_("Enter a date between 2000 and 2100."),
    N_("One line of at most 120 characters."),
    N_("One line of at most 200 characters."),
    N_("One line of at most 40 characters."),
    N_("Another agency already has this code."),
    N_("Another organisation already has this name."),
    N_("Already in use."),
    # tracker.services.import_files, intake, slips, bulk (forum day)
    N_("Use a .csv or .xlsx file."),
    N_("No concerns given."),
    N_("The file is empty."),
    N_("The CSV file is not UTF-8 text; save it as 'CSV UTF-8'."),
    N_("The file is not a readable .xlsx workbook."),
    N_("Some of these concerns are being logged at this moment; try again."),
    N_("An access code does not belong to its case."),
    N_("Some references are not cases of this forum."),
    N_("Choose at least one case."),
    N_("Only staff may issue new access codes."),
    # tracker.services.case_limits
    N_("You have raised as many cases as one account may in a day. Try again later."),
    N_("This email address has been given on as many cases as allowed in a day."),
    # tracker.services.credentials, account_links, audit (accounts)
    N_("The current password is not correct."),
    N_("Use at most 1000 characters."),
    N_("This link has expired or was already used. Ask for a new one."),
    # tracker.services.agency_link and feedback (the public's signed links)
    N_("No such link."),
    N_("This answer link was already used or has expired."),
    N_("The case cannot be answered now (it may be on hold)."),
    N_("This link is for an earlier closing of the case, or was already used."),
    N_("Your answer for this case was already recorded. Thank you."),
    N_("The case is not closed yet: you can say whether it was resolved once it is."),
    N_("Must be one of: yes, partly, no."),
    N_("At most 2000 characters."),
    N_("The answer is not valid."),
    N_("Only admins may reset other users' passwords."),
    N_("Only admins may read the audit trail."),
    # tracker.services.admin_lists, outbox and transitions (definition limits and checks)
    N_("Only administrators may manage this."),
    N_("Only admins may see the outbox."),
    N_("Must be text of at most 20000 characters."),
    N_("Must be the id of a record."),
    N_("Required to hold."),
    N_("Required to resume."),
    N_("Required to answer."),
    N_("Must be one of: raiser, agency, other."),
    N_("Must be one of: email, telegram, sms, none."),
    # notifications.delivery (shown as the last error of an outbox message)
    N_("No mail server configured; not sent."),
    # tracker.services.reports, exports and forum_brief
    N_("The report dimensions are not valid."),
    N_("Unknown export format."),
    N_("Only staff may print a forum's brief."),
    # tracker.services.links, merge and transitions (related cases)
    N_("No such case."),
    N_("Name another case."),
    N_("That case is closed; name an open case."),
    N_("These cases are linked already."),
    N_("Only case officers link cases."),
    N_("Required to merge."),
)


# What a workflow definition says of a missing field ("Required to <its verb>."): a workflow
# from WORKFLOW_PATH has verbs no catalog knows, so the reader gets the plain words instead.
REQUIRED_TO = re.compile(r"Required to [^.]+\.")


def translated(message: str) -> str:
    """Return the message in the current language when the catalog knows it."""
    if not message:
        return message
    text = gettext(message)
    if text == message and REQUIRED_TO.fullmatch(message) and _not_english():
        return gettext("This field is required.")
    return text


def _not_english() -> bool:
    locale = get_locale()
    return locale is not None and locale.language != "en"


def translated_errors(errors: dict[str, list[str]]) -> dict[str, list[str]]:
    """Translate every field error a service reported."""
    return {name: [translated(m) for m in messages] for name, messages in errors.items()}
