"""Who receives an email, at which address, in which language."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import select

from tracker.extensions import db
from tracker.field_spec import is_email_address
from tracker.models import Agency, Case, Raiser, TelegramLink, User
from tracker.raiser_channel import default_channel, phone_number, preferred_channel

LANGUAGES = ("en", "km")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")


@dataclass(frozen=True)
class Recipient:
    """One addressee: address, display name, language, audience (staff, agency or public) and
    channel; ``email`` is the address on that channel (a phone number for SMS, a chat id for
    Telegram)."""

    email: str
    name: str = ""
    language: str = "en"
    user_id: int | None = None
    audience: str = "staff"
    channel: str = "email"


def clean_name(name: str | None) -> str:
    """A display name with no line breaks or control characters (no header injection)."""
    return " ".join(_CONTROL.sub(" ", name or "").split())[:200]


def clean_address(email: str | None) -> str | None:
    """The address if it is one plain mailbox (no spaces, line breaks or lists), else None."""
    email = (email or "").strip()
    if not is_email_address(email):
        return None
    return email


def language_of(code: str | None) -> str:
    """A language we have templates for (English by default)."""
    return code if code in LANGUAGES else "en"


def make_recipient(
    email: str | None,
    name: str | None = "",
    language: str | None = "en",
    user_id: int | None = None,
    audience: str = "staff",
) -> Recipient | None:
    """Build a recipient, or None when the address is not a usable single mailbox."""
    address = clean_address(email)
    if address is None:
        return None
    return Recipient(address, clean_name(name), language_of(language), user_id, audience)


def user_recipient(user: User | None, audience: str = "staff") -> Recipient | None:
    """An active user, by their own language."""
    if user is None or not user.active:
        return None
    return make_recipient(user.email, user.name, user.language, user.id, audience)


def raiser_recipient(case: Case) -> Recipient | None:
    """Whoever raised the case: the email given on it, else the representative who logged it."""
    if case.raised_by_email:
        return make_recipient(
            case.raised_by_email, case.raised_by_name, case.language, audience="public"
        )
    creator = case.created_by
    if creator is not None and creator.role == "representative":
        return user_recipient(creator, audience="public")
    return None


def telegram_recipients(case: Case) -> list[Recipient]:
    """The chats linked to the case (each agreed to be told), in each chat's language."""
    links = db.session.scalars(
        select(TelegramLink).where(TelegramLink.case_id == case.id).order_by(TelegramLink.id)
    )
    return [
        Recipient(
            link.chat_id, "", language_of(link.language), audience="public", channel="telegram"
        )
        for link in links
    ]


def sms_recipient(case: Case) -> Recipient | None:
    """The first raiser's phone, if it is a usable number."""
    return _sms(case.raised_by_phone, case.raised_by_name, case.language)


def _sms(phone: str | None, name: str | None, language: str | None) -> Recipient | None:
    number = phone_number(phone)
    if number is None:
        return None
    return Recipient(
        number, clean_name(name), language_of(language), audience="public", channel="sms"
    )


def raiser_recipients(case: Case) -> list[Recipient | None]:
    """Everyone told of the case's steps on the raisers' side: its linked Telegram chats, the
    first raiser on their channel (tracker.raiser_channel), and every further raiser on theirs.

    Telegram chosen but no chat linked yet: the default channel serves meanwhile. No channel
    chosen and no contact given: the representative who logged it, as before channels.
    """
    chats = telegram_recipients(case)
    found: list[Recipient | None] = list(chats)
    email, phone = case.raised_by_email, case.raised_by_phone
    channel = preferred_channel(case.channel, email, phone)
    if channel == "telegram" and not chats:
        channel = default_channel(email, phone)
    if channel == "sms":
        found.append(sms_recipient(case))
    elif channel == "email" or (channel == "none" and case.channel is None):
        found.append(raiser_recipient(case))
    found.extend(further_raiser_recipient(raiser, bool(chats)) for raiser in case.raisers)
    return found


def further_raiser_recipient(raiser: Raiser, chats_linked: bool = False) -> Recipient | None:
    """A raiser beyond the first, on their channel. Telegram chats follow the case (linked by
    any of its codes), so a Telegram raiser is told there once a chat is linked."""
    channel = preferred_channel(raiser.channel, raiser.email, raiser.phone)
    if channel == "telegram":
        channel = "none" if chats_linked else default_channel(raiser.email, raiser.phone)
    if channel == "sms":
        return _sms(raiser.phone, raiser.name, raiser.language)
    if channel == "email":
        return make_recipient(raiser.email, raiser.name, raiser.language, audience="public")
    return None


def admin_recipients() -> list[Recipient]:
    """Every active admin."""
    admins = db.session.scalars(
        select(User).where(User.role == "admin", User.active.is_(True)).order_by(User.id)
    )
    return [r for r in map(user_recipient, admins) if r is not None]


def owner_or_admins(case: Case) -> list[Recipient]:
    """The case's owner; the admins when it has none (no case is ever nobody's)."""
    owner = user_recipient(case.owner)
    return [owner] if owner is not None else admin_recipients()


def agency_language(agency: Agency) -> str:
    """The language most of the agency's active users read, else English."""
    languages = db.session.scalars(
        select(User.language).where(User.agency_id == agency.id, User.active.is_(True))
    ).all()
    if not languages:
        return "en"
    counts = Counter(languages)
    return language_of(max(sorted(counts), key=lambda lang: counts[lang]))


def agency_recipients(agency: Agency | None) -> list[Recipient]:
    """The agency's contact addresses, in its users' language."""
    if agency is None:
        return []
    language = agency_language(agency)
    found = (
        make_recipient(email, agency.name_en, language, audience="agency")
        for email in agency.contact_emails or []
        if isinstance(email, str)
    )
    return [r for r in found if r is not None]


def known_address(email: str, case: Case) -> bool:
    """An address the tracker has met before this case: a user's, or given on an earlier case."""
    spellings = {email, email.lower()}
    if db.session.scalar(select(User.id).where(User.email.in_(spellings)).limit(1)) is not None:
        return True
    earlier = select(Case.id).where(Case.raised_by_email.in_(spellings), Case.id != case.id)
    return db.session.scalar(earlier.limit(1)) is not None
