"""Every main page renders for its role."""

from __future__ import annotations


def test_officer_pages_render(login, officer, make_case, agency, forum):
    client = login(officer)
    logged = make_case()
    for url in [
        "/",
        "/cases",
        f"/cases/{logged.case.reference}",
        "/cases/new",
        "/intake",
        f"/intake/{forum.id}",
        "/referrals",
        "/workflow",
        "/status",
    ]:
        response = client.get(url)
        assert response.status_code == 200, (url, response.get_data(as_text=True)[:3000])
