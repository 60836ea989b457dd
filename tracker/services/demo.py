"""Illustrative demo data drawn from the NSSF–Oxfam forum article (all marked illustrative)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import select

from tracker.extensions import db
from tracker.models import Agency, Forum, User, now_utc
from tracker.services.cases import log_case
from tracker.services.credentials import set_password
from tracker.services.directory import organisation_named
from tracker.services.transitions import fire_trigger
from tracker.services.unit_of_work import unit_of_work
from tracker.services.users import create_user

AGENCIES = [
    ("NSSF", "National Social Security Fund", "បេឡាជាតិរបបសន្តិសុខសង្គម", 20),
    (
        "GS-NSPC",
        "General Secretariat of the National Social Protection Council",
        "អគ្គលេខាធិការដ្ឋានក្រុមប្រឹក្សាជាតិគាំពារសង្គម",
        20,
    ),
    ("MOH", "Ministry of Health", "ក្រសួងសុខាភិបាល", 15),
    ("MOWA", "Ministry of Women's Affairs", "ក្រសួងកិច្ចការនារី", 20),
    ("MLVT", "Ministry of Labour and Vocational Training", "ក្រសួងការងារ និងបណ្តុះបណ្តាលវិជ្ជាជីវៈ", 20),
]
FORUMS = [
    (
        "First annual forum: inclusive, gender-responsive social security",
        "annual",
        date(2023, 12, 18),
        "KH-12",
        "Phnom Penh",
    ),
    (
        "Regional forum, Siem Reap (illustrative)",
        "regional",
        date(2023, 10, 20),
        "KH-17",
        "Siem Reap",
    ),
    (
        "Regional forum, Kampong Cham (illustrative)",
        "regional",
        date(2023, 11, 3),
        "KH-3",
        "Kampong Cham",
    ),
    (
        "Regional forum, Preah Sihanouk (illustrative)",
        "regional",
        date(2023, 11, 24),
        "KH-18",
        "Sihanoukville",
    ),
]
# (email, role, name, agency code, organisation, language)
USERS = [
    ("admin@example.org", "admin", "Demo Admin", None, None, "en"),
    ("officer@example.org", "officer", "Sokha (NSSF case officer)", None, None, "en"),
    ("officer.km@example.org", "officer", "ចាន់ ដារ៉ា", None, None, "km"),
    ("nssf.focal@example.org", "agency", "NSSF focal point", "NSSF", None, "en"),
    ("moh.focal@example.org", "agency", "MOH focal point", "MOH", None, "km"),
    (
        "rep.garment@example.org",
        "representative",
        "Garment union representative",
        None,
        "Garment Workers' Union (illustrative)",
        "km",
    ),
    (
        "rep.indigenous@example.org",
        "representative",
        "Indigenous community representative",
        None,
        "Indigenous Community Network (illustrative)",
        "en",
    ),
]
# (title, description, category, group, gender, people, province, raiser email, forum index,
#  days ago, path of triggers)
CASES = [
    (
        "IEC materials in Indigenous languages",
        "A representative of an Indigenous community requests social-protection information and "
        "health-service materials in Indigenous languages so that the community can use them.",
        "information_access",
        "indigenous_community",
        "all",
        350,
        "KH-16",
        "rep.indigenous@example.org",
        0,
        30,
        ["analyse", "refer"],
    ),
    (
        "Simplify registration and payment of worker contributions",
        "Workers' representatives report that registering workers and paying contributions is slow "
        "and that some workers find they are not registered when they need care.",
        "contributions",
        "garment_workers",
        "all",
        1200,
        "KH-12",
        "rep.garment@example.org",
        1,
        40,
        ["analyse", "refer", "respond"],
    ),
    (
        "Maternity and pregnancy protection for women workers",
        "Women workers ask for protection during pregnancy and for maternity benefits to be "
        "paid on time, including for workers on short contracts.",
        "maternity",
        "garment_workers",
        "women",
        800,
        "KH-5",
        "rep.garment@example.org",
        0,
        12,
        ["analyse"],
    ),
    (
        "Quality of NSSF-paid healthcare at the provincial hospital",
        "Members report long waits and being asked for extra payments at a hospital contracted by "
        "the NSSF.",
        "healthcare",
        "garment_workers",
        "all",
        200,
        "KH-17",
        None,
        1,
        3,
        [],
    ),
    (
        "Voluntary registration for informal-economy workers",
        "Local leaders ask how informal-economy workers can join the NSSF voluntarily.",
        "contributions",
        "informal_economy",
        "all",
        500,
        "KH-3",
        None,
        2,
        60,
        ["analyse", "refer", "respond", "close"],
    ),
    (
        "Employer deducts contributions but does not pay them",
        "A factory deducts NSSF contributions from wages but workers' cards show no payments.",
        "employer_compliance",
        "garment_workers",
        "all",
        90,
        "KH-3",
        "rep.garment@example.org",
        2,
        45,
        ["analyse", "refer"],
    ),
    (
        "Slow payment of work-injury claims",
        "Claims for work-injury benefits take months to be paid.",
        "benefits",
        "garment_workers",
        "men",
        40,
        "KH-18",
        None,
        3,
        1,
        [],
    ),
    (
        "Health coverage for smallholder farmers",
        "Smallholder farmers ask to be covered by NSSF health insurance.",
        "other",
        "smallholder_farmers",
        "all",
        2000,
        "KH-2",
        None,
        1,
        50,
        ["analyse", "close"],
    ),
]


def demo_data_present() -> bool:
    """Tell whether the demo data has been loaded into this database."""
    return db.session.scalar(select(User.id).where(User.email == USERS[0][0])) is not None


def load_demo(password: str | None = None, now: datetime | None = None) -> bool:
    """Create the demo data unless it is there; with ``password``, set it for the demo users.

    Answers whether the data was created now. Without a password the data must be new.
    """
    created = not demo_data_present()
    if created:
        if password is None:
            raise ValueError("new demo data needs a password for its users")
        _create_reference_data()
        _create_users(password)
        _create_cases(now or now_utc())
    elif password is not None:
        with unit_of_work():
            for user in db.session.scalars(select(User).where(User.email.in_(demo_emails()))):
                set_password(user, password, now=now)
    return created


def demo_emails() -> list[str]:
    """The demo users' addresses."""
    return [email for email, *_ in USERS]


def demo_logins() -> list[tuple[str, str]]:
    """The demo users as (role, email)."""
    return [(role, email) for email, role, *_ in USERS]


def _create_reference_data() -> None:
    with unit_of_work():
        for code, name_en, name_km, days in AGENCIES:
            db.session.add(
                Agency(
                    code=code,
                    name_en=name_en,
                    name_km=name_km,
                    response_days=days,
                    contact_emails=[f"{code.lower()}.referrals@example.org"],
                )
            )
        for title, kind, day, province, venue in FORUMS:
            db.session.add(
                Forum(
                    title=title,
                    kind=kind,
                    date=day,
                    province=province,
                    venue=venue,
                    illustrative=True,
                )
            )


def _create_users(password: str) -> None:
    agencies = {a.code: a.id for a in db.session.scalars(select(Agency))}
    for email, role, name, agency, organisation, language in USERS:
        organisation_id = None
        if organisation:
            with unit_of_work():
                organisation_id = organisation_named(organisation).id
        create_user(
            email,
            password,
            role,
            name=name,
            agency_id=agencies.get(agency),
            organisation_id=organisation_id,
            language=language,
        )


def _create_cases(now: datetime) -> None:
    users = {u.email: u for u in db.session.scalars(select(User))}
    forums = list(db.session.scalars(select(Forum).order_by(Forum.id)))
    agencies = {a.code: a for a in db.session.scalars(select(Agency))}
    officer = users["officer@example.org"]
    nssf_focal = users["nssf.focal@example.org"]
    for (
        title,
        description,
        category,
        group,
        gender,
        people,
        province,
        raiser,
        forum_index,
        days_ago,
        path,
    ) in CASES:
        actor = users.get(raiser or "", officer)
        at = now - timedelta(days=days_ago)
        raiser_user = users.get(raiser or "")
        logged = log_case(
            actor,
            {
                "title": title,
                "description": description,
                "category": category,
                "affected_group": group,
                "gender_focus": gender,
                "people_affected": people,
                "province": province,
                "forum_id": forums[forum_index].id,
                "raised_by_name": raiser_user.name if raiser_user else "Forum participant",
                "raised_by_email": raiser or "",
                "language": raiser_user.language if raiser_user else "en",
            },
            now=at,
            illustrative=True,
        )
        agency = agencies["MOH" if category == "healthcare" else "NSSF"]
        data = {
            "analyse": {"owner_id": officer.id, "note": "Checked with the forum notes."},
            "refer": {"agency_id": agency.id, "note": "Please review and answer."},
            "respond": {"response": "Reviewed; the process is being simplified this year."},
            "close": {
                "outcome": "resolved" if "respond" in path else "out_of_scope",
                "resolution": "Reported back to the representatives at the forum.",
            },
        }
        for step, trigger in enumerate(path, start=1):
            by = nssf_focal if trigger == "respond" else officer
            at_step = at + timedelta(days=step * max(days_ago // (len(path) + 1), 1))
            fire_trigger(by, logged.case.reference, trigger, data[trigger], now=at_step)
