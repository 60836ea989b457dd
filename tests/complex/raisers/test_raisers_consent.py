"""Consent to share: without it an agency sees no personal data of that raiser (API, case page,
referral email, signed answer link); with it, their name and contact."""

from __future__ import annotations

from notifications.delivery import deliver
from tracker.models import now_utc
from tracker.services.raisers import add_raiser
from tracker.services.transitions import fire_trigger

WITHHELD = ("Sok Dara", "dara@example.org", "012 999 888")  # the first raiser: no consent
SHARED = ("Chan Sophea", "sophea@example.org")  # a second raiser, who agreed to share


def _referred(make_case, officer, agency, now):
    case = make_case(now=now, raised_by_phone="012 999 888").case
    add_raiser(case, {"name": SHARED[0], "email": SHARED[1], "consent_share": True}, actor=officer)
    ref = case.reference
    fire_trigger(officer, ref, "analyse", {"owner_id": officer.id, "note": "Payroll."}, now=now)
    fire_trigger(officer, ref, "refer", {"agency_id": agency.id, "note": "Check it."}, now=now)
    return case


def _shows(text: str, shared: bool, withheld: bool) -> None:
    for secret in SHARED:
        assert (secret in text) is shared, secret
    for secret in WITHHELD:
        assert (secret in text) is withheld, secret


def test_the_agency_sees_only_what_each_raiser_agreed_to_share(
    app, client, login, api_as, smtp, make_case, officer, agency, agency_user, outbox_rows
):
    # Today, not the fixed clock: the answer link works until 30 days past the due date.
    now = now_utc()
    case = _referred(make_case, officer, agency, now)
    ref = case.reference
    api = api_as(agency_user)
    body = api.get(f"/api/v1/cases/{ref}").json
    assert body["consent_share"] is False and body["raised_by_name"] is None
    assert body["raised_by_email"] is None and body["raised_by_phone"] is None
    raisers = api.get(f"/api/v1/cases/{ref}/raisers").json["items"]
    assert [(r["name"], r["email"]) for r in raisers] == [(None, None), SHARED]

    [referral_mail] = outbox_rows("case_referred")
    answer_path = referral_mail.context["answer_url"].removeprefix("http://tracker.test")
    deliver(now)
    [mail] = smtp.handler.to("referrals@nssf.example.org")
    for part in ("plain", "html"):
        _shows(mail.message.get_body((part,)).get_content(), shared=True, withheld=False)

    _shows(client.get(answer_path).get_data(as_text=True), shared=True, withheld=False)
    login(agency_user)
    _shows(client.get(f"/cases/{ref}").get_data(as_text=True), shared=True, withheld=False)

    # The first raiser agrees after all: the agency now sees their name and contact too.
    staff = api_as(officer)
    version = staff.get(f"/api/v1/cases/{ref}").json["version"]
    changed = staff.patch(
        f"/api/v1/cases/{ref}",
        json={"consent_share": True},
        headers={"If-Match": f'"{ref}.{version}"'},
    )
    assert changed.status_code == 200, changed.json
    body = api.get(f"/api/v1/cases/{ref}").json
    assert (body["raised_by_name"], body["raised_by_email"]) == WITHHELD[:2]
    _shows(client.get(f"/cases/{ref}").get_data(as_text=True), shared=True, withheld=True)


def test_a_representative_sees_no_other_raisers_data(
    client, login, make_case, officer, representative, organisation, now
):
    case = make_case(now=now, organisation_id=organisation.id).case
    add_raiser(case, {"name": SHARED[0], "email": SHARED[1], "consent_share": True}, actor=officer)
    login(representative)
    page = client.get(f"/cases/{case.reference}").get_data(as_text=True)
    _shows(page, shared=False, withheld=False)
    assert "personal data not shared with you" in page
