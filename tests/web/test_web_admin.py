"""Admin pages: agencies, users, forums, categories; the workflow page."""

from __future__ import annotations

from notifications.models import OutboxMessage
from tests.web.conftest import post_form
from tracker.extensions import db
from tracker.models import Agency, AuditEntry, Category, Organisation, User
from tracker.services.users import authenticate


def test_admin_pages_are_for_admins(client, login, officer):
    login(officer)
    for url in (
        "/admin",
        "/admin/users",
        "/admin/agencies",
        "/admin/categories",
        "/admin/organisations",
        "/admin/organisations/new",
        "/admin/audit",
    ):
        assert client.get(url).status_code == 403
    assert post_form(client, f"/admin/users/{officer.id}/reset-password").status_code == 403
    assert (
        post_form(client, "/admin/organisations/new", {"name": "X", "kind": "y"}).status_code == 403
    )


def test_admin_manages_agencies(client, login, admin, agency):
    login(admin)
    assert "NSSF" in client.get("/admin/agencies").get_data(as_text=True)
    data = {
        "code": "MOWA",
        "name_en": "Ministry of Women's Affairs",
        "name_km": "ក្រសួងកិច្ចការនារី",
        "contact_emails": "a@mowa.example, b@mowa.example",
        "response_days": "0",
    }
    bad = post_form(client, "/admin/agencies/new", data)
    assert bad.status_code == 422 and 'id="response_days-error"' in bad.get_data(as_text=True)
    data["response_days"] = "15"
    assert post_form(client, "/admin/agencies/new", data).status_code == 302
    mowa = db.session.scalar(db.select(Agency).where(Agency.code == "MOWA"))
    assert mowa.contact_emails == ["a@mowa.example", "b@mowa.example"]
    edit = client.get(f"/admin/agencies/{mowa.id}").get_data(as_text=True)
    assert 'value="a@mowa.example, b@mowa.example"' in edit
    post_form(client, f"/admin/agencies/{mowa.id}", {**data, "response_days": "25"})
    db.session.expire_all()
    assert db.session.get(Agency, mowa.id).response_days == 25
    clash = post_form(client, f"/admin/agencies/{mowa.id}", {**data, "code": "nssf"})
    assert clash.status_code == 422


def test_admin_invites_and_disables_a_user(client, login, admin, agency):
    login(admin)
    data = {
        "email": "focal@nssf.example",
        "name": "Focal",
        "role": "agency",
        "agency_id": "",
        "organisation_id": "",
        "language": "km",
        "password": "long enough password",  # no such field: an admin chooses no password
    }
    bad = post_form(client, "/admin/users/new", data)
    assert bad.status_code == 422 and 'id="agency_id-error"' in bad.get_data(as_text=True)
    data["agency_id"] = str(agency.id)
    assert post_form(client, "/admin/users/new", data).status_code == 302
    user = db.session.scalar(db.select(User).where(User.email == "focal@nssf.example"))
    assert user.language == "km" and user.agency_id == agency.id
    invitation = db.session.scalar(db.select(OutboxMessage).where(OutboxMessage.user_id == user.id))
    assert invitation.template == "account_invite" and invitation.language == "km"
    edit = {k: v for k, v in data.items() if k != "email"} | {"password": ""}
    post_form(client, f"/admin/users/{user.id}", edit)  # "active" unchecked: disabled
    db.session.expire_all()
    assert not db.session.get(User, user.id).active
    assert authenticate("focal@nssf.example", "long enough password") is None
    self_edit = post_form(
        client, f"/admin/users/{admin.id}", {"role": "officer", "language": "en", "active": "y"}
    )
    assert self_edit.status_code == 422


def test_admin_edits_a_category_and_a_forum(client, login, admin, forum):
    login(admin)
    data = {"label_en": "Maternity", "label_km": "មាតុភាព", "position": "1", "active": "y"}
    assert post_form(client, "/admin/categories/maternity", data).status_code == 302
    db.session.expire_all()
    assert db.session.get(Category, "maternity").label_en == "Maternity"
    page = client.get(f"/admin/forums/{forum.id}").get_data(as_text=True)
    assert 'value="2023-12-18"' in page
    response = post_form(
        client,
        f"/admin/forums/{forum.id}",
        {
            "title": "Annual forum 2023",
            "kind": "annual",
            "date": "2023-12-19",
            "province": "",
            "venue": "Phnom Penh",
        },
    )
    assert response.status_code == 302


def test_workflow_page_draws_every_transition(client, login, representative):
    login(representative)
    html = client.get("/workflow").get_data(as_text=True)
    for trigger in ("analyse", "refer", "respond", "close", "reopen", "hold", "resume"):
        assert f"edge-{trigger}" in html
    # refer and close have two sources each, hold four; resume returns to any of four states
    assert html.count('class="edge ') == 20
    assert "stateDiagram-v2" in html


def test_admin_creates_renames_and_lists_an_organisation(client, login, admin, make_user):
    login(admin)
    assert (
        post_form(client, "/admin/organisations/new", {"name": "", "kind": "union"}).status_code
        == 422
    )
    data = {"name": "Domestic Workers Network", "kind": "association"}
    assert post_form(client, "/admin/organisations/new", data).status_code == 302
    network = db.session.scalar(db.select(Organisation).where(Organisation.name == data["name"]))
    rep = make_user("representative", organisation_id=network.id, name="Srey Mom")
    listing = client.get("/admin/organisations").get_data(as_text=True)
    assert "Domestic Workers Network" in listing
    page = client.get(f"/admin/organisations/{network.id}").get_data(as_text=True)
    assert "Srey Mom" in page and rep.email in page
    renamed = {"name": "Domestic Workers Union", "kind": "union"}
    assert post_form(client, f"/admin/organisations/{network.id}", renamed).status_code == 302
    db.session.expire_all()
    assert db.session.get(Organisation, network.id).name == "Domestic Workers Union"
    actions = db.session.scalars(
        db.select(AuditEntry.action).where(AuditEntry.actor_id == admin.id)
    ).all()
    assert {"organisation_created", "organisation_changed"} <= set(actions)
