"""Workflows on the web: staff choose one for a new case; its page offers its own triggers."""

from __future__ import annotations

from tests.web.conftest import fire, forms_on, post_form, state_of

NEW = {
    "title": "Where is the form for maternity pay?",
    "description": "Asked at the Kandal forum.",
    "category": "maternity",
    "gender_focus": "women",
    "priority": "normal",
    "language": "en",
}


def test_staff_log_an_information_request_and_answer_it(client, login, officer):
    login(officer)
    form = client.get("/cases/new").get_data(as_text=True)
    assert 'name="workflow"' in form and "Information request" in form
    response = post_form(client, "/cases/new", {**NEW, "workflow": "info_request"})
    assert response.status_code == 302
    reference = response.headers["Location"].rsplit("/", 1)[1]
    page = client.get(f"/cases/{reference}").get_data(as_text=True)
    assert forms_on(page) == {"answer"}
    assert "Information request" in page  # the workflow, labelled by its definition
    assert fire(client, reference, "answer", response="").status_code == 422
    assert fire(client, reference, "answer", response="Form B4, in Khmer.").status_code == 302
    assert state_of(reference) == "answered"
    page = client.get(f"/cases/{reference}").get_data(as_text=True)
    assert "Answer: Logged → Answered" in page and "Form B4, in Khmer." in page
    assert fire(client, reference, "close", resolution="Form sent.").status_code == 302
    assert state_of(reference) == "closed"


def test_the_khmer_page_uses_the_definition_labels(client, login, make_user, make_case):
    login(make_user("officer", language="km"))
    reference = make_case(workflow="info_request").case.reference
    page = client.get(f"/cases/{reference}").get_data(as_text=True)
    assert "សំណើសុំព័ត៌មាន" in page and "ឆ្លើយ" in page


def test_representatives_do_not_choose_a_workflow(client, login, representative):
    login(representative)
    assert 'name="workflow"' not in client.get("/cases/new").get_data(as_text=True)
