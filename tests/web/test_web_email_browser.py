"""The HTML of the digest and of the acknowledgement, as received by a real SMTP server and opened
in Debian's chromium at 360 px: no sideways scrolling. Screenshots go to
test-artifacts/screenshots/ (email-…) with the others."""

from __future__ import annotations

import pytest

from notifications.delivery import deliver
from notifications.digest import queue_digests
from tests.notifications.conftest import local, outbox_rows, smtp  # noqa: F401  (fixtures)
from tracker.extensions import db
from tracker.services.cases import assign_case

LONG_TITLE = "Contributions not registered for " + "garment-workers-of-factory-12-" * 4


def _html(received) -> str:
    return received.message.get_body(("html",)).get_content()


@pytest.mark.parametrize("language", ["en", "km"])
def test_digest_and_acknowledgement_fit_a_360px_phone(
    smtp,  # noqa: F811
    outbox_rows,  # noqa: F811
    tab_factory,
    make_case,
    make_user,
    admin,
    language,
):
    reader = make_user("officer", name="Sok Dara", language=language, email="sok@example.org")
    reader.khmer_digits = language == "km"
    db.session.commit()
    for logged_on in (local(2, 23, 9), local(3, 5, 9)):
        reference = make_case(now=logged_on, raised_by_email="", title=LONG_TITLE).case.reference
        assign_case(admin, reference, reader.id, now=logged_on)
    make_case(
        now=local(3, 9, 9), raised_by_email="dara@example.org", language=language, title=LONG_TITLE
    )
    queue_digests(local(3, 9, 10))
    deliver(local(3, 9, 10))
    [row] = outbox_rows("digest_officer")
    [digest] = [m for m in smtp.handler.messages if m.message_id == row.message_id]
    [acknowledgement] = smtp.handler.to("dara@example.org")

    tab = tab_factory(width=360, height=740)
    for name, received in (("digest", digest), ("acknowledgement", acknowledgement)):
        tab.page.set_content(_html(received))
        assert tab.page.locator("a.button").count() >= 1
        assert tab.fits_width(), name
        link = tab.page.locator("a.button").first.bounding_box()
        assert link is not None and link["x"] + link["width"] <= 360
        tab.shot(f"email-{name}-{language}-360")
