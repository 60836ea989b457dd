"""Address headers are built by the standard library from a quoted display name and one
mailbox: whatever a raiser's name holds, the message has exactly one recipient and parses."""

from __future__ import annotations

from email.headerregistry import Address
from email.parser import BytesParser
from email.policy import default

import pytest

from notifications.delivery import deliver
from tracker.extensions import db

NAMES = [
    '"Evil" <evil@example.org>, x',
    "<script>alert(1)</script>",
    'Sok, Dara "the \\\\ union" (rep) <a@b>; c@d',
    'សុខ ដារ៉ា <evil@example.org>, "x"',
    "=?utf-8?q?evil=40example.org?= <evil@example.org>",
    "A very long name " * 10 + "<evil@example.org>",  # folded at 78, lost its quotes
    "A long name, " * 14 + "<evil@example.org>",
]


def _only_recipient(received, email: str) -> Address:
    """The envelope and the To header each name exactly ``email``; the headers parse."""
    assert received.rcpt_tos == [email]
    parsed = BytesParser(policy=default).parsebytes(received.content)
    assert parsed.defects == []
    for name in ("From", "To", "Subject", "Message-ID"):
        header = parsed[name]
        assert header is not None and header.defects == (), (name, header.defects)
    [address] = parsed["To"].addresses
    assert address.addr_spec == email
    assert len(parsed.get_all("To")) == 1
    assert parsed["Cc"] is None and parsed["Bcc"] is None
    return address


@pytest.mark.parametrize("name", NAMES)
def test_a_raiser_name_with_specials_gives_one_recipient_and_a_header_that_parses(
    smtp, make_case, now, name
):
    make_case(raised_by_name=name, raised_by_email="dara@example.org", now=now)
    assert deliver(now).sent == 1
    [received] = smtp.handler.messages
    address = _only_recipient(received, "dara@example.org")
    if "=?" not in name:  # (a reader decodes encoded words even inside quotes)
        assert address.display_name.split() == name.split()


@pytest.mark.parametrize("breaks", ["\r\n", "\n", "\r", "\r\n\t"])
def test_line_breaks_in_a_stored_name_do_not_become_headers(
    smtp, make_case, outbox_rows, now, breaks
):
    make_case(raised_by_email="dara@example.org", now=now)
    [ack] = outbox_rows("case_logged")
    ack.recipient_name = f'"Evil" <evil@example.org>,{breaks}Bcc: evil@example.org{breaks}X: 1'
    db.session.commit()
    assert deliver(now).sent == 1
    [received] = smtp.handler.messages
    address = _only_recipient(received, "dara@example.org")
    assert "\r" not in address.display_name and "\n" not in address.display_name
    assert received.message["X"] is None


def test_an_acknowledgement_to_a_new_address_carries_no_case_text_beyond_the_title(
    smtp, make_case, make_user, outbox_rows, now, representative
):
    description = "The employer at Factory 12 deducts but does not pay."
    logged = make_case(
        actor=representative,
        raised_by_email="stranger@example.org",
        description=description,
        people_affected=40,
        now=now,
    )
    [ack] = outbox_rows("case_logged")
    assert set(ack.context["case"]) == {"reference", "title", "confidential"}
    assert deliver(now).sent == 1
    [received] = smtp.handler.messages
    raw = received.content.decode("ascii")
    message = received.message
    text = message.get_body(("plain",)).get_content() + message.get_body(("html",)).get_content()
    assert "Factory 12" not in raw and description not in text
    assert logged.case.title in text and logged.access_code in text
    # The same address on a later case is one the tracker knows: the usual facts are kept.
    make_case(raised_by_email="stranger@example.org", now=now)
    second = outbox_rows("case_logged")[-1]
    assert {"reference", "title", "state", "category"} <= set(second.context["case"])
    assert "description" not in second.context["case"]
