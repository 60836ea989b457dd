"""Forms say what they need: required fields marked, and a failed submit summarised at the top."""

from __future__ import annotations

import re

from tests.web.conftest import fire, post_form

# What the form's selects send when left as they are.
DEFAULTS = {"gender_focus": "unspecified", "priority": "normal", "language": "en"}
SUMMARY = re.compile(
    r'<div class="error-summary" role="alert" tabindex="-1"[^>]*data-error-summary'
)


def summary_links(html: str) -> list[str]:
    """The field ids the error summary links to, in order."""
    start = html.index("data-error-summary")
    block = html[start : html.index("</div>", start)]
    return re.findall(r'<a href="#([^"]+)"', block)


def required_ids(html: str) -> list[str]:
    """The ids of the fields marked required (attribute and ARIA both), in page order."""
    tags = re.findall(r"<(?:input|select|textarea)\b[^>]*>", html)
    marked = [t for t in tags if " required" in t and 'aria-required="true"' in t]
    return [re.search(r'\sid="([^"]+)"', t).group(1) for t in marked]


def test_the_new_concern_form_marks_and_orders_what_it_needs(client, login, officer):
    """Title, description and category are marked required, and come first."""
    login(officer)
    html = client.get("/cases/new").get_data(as_text=True)
    assert required_ids(html) == ["title", "description", "category"]
    fields = re.findall(r'<label class="label" for="([^"]+)"', html)
    assert fields[:3] == ["title", "description", "category"]
    assert html.count('<span class="required-mark">(required)</span>') == 3
    assert "data-error-summary" not in html and "<title>Error:" not in html  # nothing failed yet


def test_a_failed_new_concern_lists_each_problem_linked_to_its_field(client, login, officer):
    """The summary links to every refused field, in the order of the form, and nothing is saved."""
    login(officer)
    blank = {"title": "", "description": "", "category": "", **DEFAULTS}
    response = post_form(client, "/cases/new", blank)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert SUMMARY.search(html)
    assert summary_links(html) == ["title", "description", "category"]
    assert html.index("data-error-summary") < html.index('<form class="panel form-grid"')
    assert "Title: This field is required." in html
    assert "<title>Error: New concern" in html  # screen readers hear it first


def test_the_summary_speaks_the_users_language(client, login, make_user):
    """A Khmer user reads the heading and the messages in Khmer."""
    khmer_officer = make_user("officer", language="km")
    login(khmer_officer)
    html = post_form(client, "/cases/new", {"title": "", **DEFAULTS}).get_data(as_text=True)
    block = html[html.index("data-error-summary") :]
    assert "មានបញ្ហា" in block.split("</div>")[0]
    assert "There is a problem" not in html
    assert "This field is required." not in html


def test_a_failed_transition_is_summarised_with_links_into_its_form(
    client, login, officer, make_case
):
    """Analyse without a note: the summary links to the note field of the analyse form."""
    reference = make_case().case.reference
    login(officer)
    response = fire(client, reference, "analyse", owner_id=str(officer.id), category="maternity")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert summary_links(html) == ["analyse-note"]
    assert "analyse-note" in required_ids(html)


def test_intake_rows_are_summarised_by_concern_number(client, login, officer, forum):
    """A row with a title but no description names its concern number in the summary."""
    login(officer)
    html = post_form(
        client, f"/intake/{forum.id}", {"rows-0-title": "Clinic refuses NSSF card"}
    ).get_data(as_text=True)
    links = summary_links(html)
    assert links == ["rows-0-description", "rows-0-category"]
    assert "Concern 1 — Description:" in html


def test_an_upload_without_a_file_is_summarised_at_the_file_field(client, login, officer, forum):
    """No file chosen: the summary points at the file field, which says why."""
    login(officer)
    html = post_form(client, f"/intake/{forum.id}/upload", {}).get_data(as_text=True)
    assert summary_links(html) == ["file"]
    assert 'id="file-error"' in html


def test_admin_and_account_forms_mark_required_fields_and_summarise(client, login, admin):
    """The invitation, the agency and the password forms use the same marks and summary."""
    login(admin)
    assert required_ids(client.get("/admin/users/new").get_data(as_text=True)) == ["email", "role"]
    agency_form = client.get("/admin/agencies/new").get_data(as_text=True)
    assert required_ids(agency_form) == ["code", "name_en"]
    html = post_form(client, "/admin/users/new", {"email": "nobody", "role": "officer"})
    assert summary_links(html.get_data(as_text=True)) == ["email"]
    html = post_form(
        client,
        "/account",
        {"current_password": "", "new_password": "long enough password", "confirm": "other"},
    ).get_data(as_text=True)
    assert "confirm" in summary_links(html)
    account = client.get("/account").get_data(as_text=True)
    assert {"current_password", "new_password", "confirm"} <= set(required_ids(account))


def test_filter_and_status_pages_use_the_same_summary(client, login, admin, make_case):
    """The audit filter (a GET form) and the public status lookup summarise their errors too."""
    reference = make_case().case.reference
    html = post_form(
        client, "/status", {"reference": reference, "access_code": "WRNG-CODE-XXXX"}
    ).get_data(as_text=True)
    assert summary_links(html) == ["reference"]
    login(admin)
    html = client.get("/admin/audit?from=2026-02-31&action=nothing").get_data(as_text=True)
    assert summary_links(html) == ["from", "action"]
