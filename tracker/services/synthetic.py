"""Synthetic cases for benchmarks and scale tests: many illustrative cases, written in bulk.

Each case walks a prefix of the case workflow (logged → analysed → referred → responded →
closed, a few put on hold), with the events and referral rows those steps leave, spread over
states, categories, provinces, agencies, forums and the five years before ``now``. The same
seed on the same database gives the same cases. Rows go in by PostgreSQL ``COPY`` (psycopg's
``cursor.copy``) or by ``executemany`` on SQLite, one transaction per batch, bypassing the
services on purpose: no notifications are queued for made-up history.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import func, select, text

from tracker.codes import PROVINCES
from tracker.extensions import db
from tracker.models import Agency, Category, Forum, Organisation, ReferenceCounter, User, now_utc
from tracker.models.base import local_day
from tracker.working_days import response_working_days, working_calendar
from workflows import WorkingCalendar

YEARS = 5
BATCH = 20_000
# Of every 100 cases: how far along the workflow they went (logged … closed), and on hold.
PATH_WEIGHTS = {0: 12, 1: 14, 2: 16, 3: 10, 4: 45, -1: 3}
PATH = ("analyse", "refer", "respond", "close")
STATE_AFTER = {0: "logged", 1: "analysed", 2: "referred", 3: "responded", 4: "closed"}
DEADLINE_DAYS = {"logged": 7, "analysed": 14, "referred": 28, "responded": 14}
OUTCOMES = ("resolved", "partly_resolved", "not_resolved", "withdrawn", "out_of_scope")
GENDER = ("women", "men", "all", "unspecified")
GROUPS = ("garment_workers", "informal_economy", "smallholder_farmers", "indigenous_community",
          "domestic_workers", "other")  # fmt: skip
PRIORITIES = ("low", "normal", "normal", "normal", "high", "urgent")
TOPICS_EN = (
    "registration of workers and payment of contributions",
    "maternity benefits paid late",
    "extra payments asked at a contracted hospital",
    "work-injury claim not paid",
    "information in Indigenous languages",
    "employer deducts contributions but does not pay them",
    "voluntary membership for informal-economy workers",
    "health coverage for smallholder farmers",
)
TOPICS_KM = (
    "ការចុះឈ្មោះកម្មករនិងការបង់ភាគទាន",
    "ប្រាក់ឧបត្ថម្ភមាតុភាពយឺតយ៉ាវ",
    "មន្ទីរពេទ្យសុំប្រាក់បន្ថែម",
    "សំណងគ្រោះថ្នាក់ការងារមិនទាន់ទូទាត់",
    "ព័ត៌មានជាភាសាជនជាតិដើមភាគតិច",
)
PROVINCE_CODES = tuple(PROVINCES)
KM_SHARE = 0.3  # of the cases are in Khmer
CASE_COLUMNS = (
    "id", "reference", "access_code_hash", "workflow", "title", "description", "category",
    "forum_id", "organisation_id", "raised_by_name", "raised_by_email", "raised_by_phone",
    "affected_group", "gender_focus", "people_affected", "province", "priority", "language",
    "owner_id", "agency_id", "created_by_id", "state", "state_entered_at", "due_at", "outcome",
    "resolution", "held_state", "held_working_days", "illustrative", "created_at", "logged_on",
    "updated_at", "version",
)  # fmt: skip
EVENT_COLUMNS = ("case_id", "kind", "trigger", "from_state", "to_state", "actor_id",
                 "actor_label", "note", "data", "public", "at", "stay_seconds")  # fmt: skip
REFERRAL_COLUMNS = ("case_id", "agency_id", "note", "referred_at", "referred_by_id", "due_at",
                    "response", "answered_at", "answered_by_id", "response_days")  # fmt: skip
# No code opens these cases' public status: the stored hash matches no code.
NO_ACCESS_CODE = "synthetic$none"


@dataclass
class Pools:
    """The reference rows cases are spread over."""

    categories: list[str]
    agencies: list[int]
    forums: list[int]
    organisations: list[int]
    officers: list[tuple[int, str]]
    calendar: WorkingCalendar
    # Response working days by (referral day, answer day): a few thousand pairs, not a count
    # per referral.
    _response_days: dict[tuple[date, date], int] = field(default_factory=dict)

    def response_days(self, referred_at: datetime, answered_at: datetime) -> int:
        """What the answer effect records (tracker.working_days.response_working_days)."""
        key = (local_day(referred_at), local_day(answered_at))
        if key not in self._response_days:
            self._response_days[key] = response_working_days(
                referred_at, answered_at, self.calendar
            )
        return self._response_days[key]


@dataclass
class Batch:
    """The rows of one batch of cases."""

    cases: list[tuple] = field(default_factory=list)
    events: list[tuple] = field(default_factory=list)
    referrals: list[tuple] = field(default_factory=list)


def add_synthetic_cases(
    count: int,
    seed: int = 1,
    now: datetime | None = None,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Add ``count`` illustrative cases (with events and referrals); answer how many."""
    now = now or now_utc()
    pools = _pools()
    rng = random.Random(seed)
    done = 0
    while done < count:
        size = min(BATCH, count - done)
        _write_batch(rng, pools, size, now)
        done += size
        if progress:
            progress(size)
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE cases, events, referrals"))
    return done


def _pools() -> Pools:
    """The categories, agencies, forums, organisations and officers (made when missing)."""
    from tracker.services.demo import AGENCIES, FORUMS

    if not db.session.scalar(select(func.count()).select_from(Agency)):
        for code, name_en, name_km, days in AGENCIES:
            db.session.add(Agency(code=code, name_en=name_en, name_km=name_km,
                                  response_days=days, contact_emails=[]))  # fmt: skip
    if not db.session.scalar(select(func.count()).select_from(Forum)):
        for title, kind, day, province, venue in FORUMS:
            db.session.add(Forum(title=title, kind=kind, date=day, province=province,
                                 venue=venue, illustrative=True))  # fmt: skip
    if not db.session.scalar(select(func.count()).select_from(Organisation)):
        for name in ("Garment Workers' Union (synthetic)", "Informal Workers' Network (synthetic)"):
            db.session.add(Organisation(name=name, kind="union"))
    if not db.session.scalar(select(func.count()).where(User.role == "officer")):
        for number in range(1, 6):
            db.session.add(User(email=f"synthetic.officer{number}@example.org",
                                name=f"Synthetic officer {number}", role="officer",
                                password_hash="!", active=False))  # fmt: skip
    db.session.commit()
    return Pools(
        categories=list(db.session.scalars(select(Category.code).order_by(Category.code))),
        agencies=list(db.session.scalars(select(Agency.id).order_by(Agency.id))),
        forums=list(db.session.scalars(select(Forum.id).order_by(Forum.id))),
        organisations=list(db.session.scalars(select(Organisation.id).order_by(Organisation.id))),
        officers=[
            (u.id, u.name or u.email)
            for u in db.session.scalars(
                select(User).where(User.role == "officer").order_by(User.id)
            )
        ],
        calendar=working_calendar(),
    )


def _write_batch(rng: random.Random, pools: Pools, size: int, now: datetime) -> None:
    """Generate and insert one batch in one transaction (ids and counters taken under a lock)."""
    postgres = db.engine.dialect.name == "postgresql"
    with db.engine.begin() as connection:
        if postgres:
            connection.execute(text("LOCK TABLE cases, reference_counters IN EXCLUSIVE MODE"))
        next_id = (connection.scalar(text("SELECT max(id) FROM cases")) or 0) + 1
        counters = dict(
            connection.execute(text("SELECT year, last_number FROM reference_counters")).all()
        )
        span = YEARS * 365 * 86400
        created = sorted(now - timedelta(seconds=rng.uniform(0, span)) for _ in range(size))
        batch = Batch()
        for offset, at in enumerate(created):
            counters[at.year] = counters.get(at.year, 0) + 1
            reference = f"GRV-{at.year}-{counters[at.year]:05d}"
            _one_case(rng, pools, batch, next_id + offset, reference, at, now)
        _insert(connection, postgres, batch)
        _save_counters(connection, counters)
        if postgres:
            connection.execute(text("SELECT setval(pg_get_serial_sequence('cases', 'id'), :last)"),
                               {"last": next_id + size - 1})  # fmt: skip


def _one_case(rng, pools: Pools, batch: Batch, case_id: int, reference: str,
              at: datetime, now: datetime) -> None:  # fmt: skip
    """Append one case's row, events and referrals to the batch."""
    khmer = rng.random() < KM_SHARE
    topic = rng.choice(TOPICS_KM if khmer else TOPICS_EN)
    officer_id, officer_name = rng.choice(pools.officers)
    steps = rng.choices(list(PATH_WEIGHTS), weights=list(PATH_WEIGHTS.values()))[0]
    held = steps == -1
    steps = rng.randint(0, 3) if held else steps
    events = [(case_id, "created", None, None, "logged", officer_id, officer_name, "", "{}",
               True, at, None)]  # fmt: skip
    state, moment, owner_id, agency_id, outcome = "logged", at, None, None, None
    for trigger in PATH[:steps]:
        entered, moment = moment, min(now, moment + timedelta(hours=rng.uniform(2, 24 * 30)))
        new_state = STATE_AFTER[PATH.index(trigger) + 1]
        data: dict = {}
        if trigger == "analyse":
            owner_id = officer_id
            data = {"owner_id": owner_id}
        elif trigger == "refer":
            agency_id = rng.choice(pools.agencies)
            data = {"agency_id": agency_id}
            answered = moment + timedelta(days=rng.uniform(1, 40)) if steps >= 3 else None
            answered = min(answered, now) if answered else None
            batch.referrals.append((case_id, agency_id, "Please review and answer.", moment,
                                    officer_id, moment + timedelta(days=28),
                                    "Reviewed and answered." if answered else None, answered,
                                    officer_id if answered else None,
                                    pools.response_days(moment, answered) if answered else None,
                                    ))  # fmt: skip
        elif trigger == "close":
            outcome = rng.choice(OUTCOMES)
            data = {"outcome": outcome}
        officer = (officer_id, officer_name)
        events.append(_step(case_id, trigger, state, new_state, officer, "Synthetic step.",
                            json.dumps(data), moment, entered))  # fmt: skip
        state = new_state
    held_state = None
    if held:
        entered, moment = moment, min(now, moment + timedelta(hours=rng.uniform(2, 24 * 30)))
        waiting = '{"waiting_for": "raiser"}'
        events.append(_step(case_id, "hold", state, "on_hold", (officer_id, officer_name),
                            "Waiting for the raiser.", waiting, moment, entered))  # fmt: skip
        held_state, state = state, "on_hold"
    days = DEADLINE_DAYS.get(state)
    due_at = moment + timedelta(days=days) if days else None
    batch.events.extend(events)
    batch.cases.append((
        case_id, reference, NO_ACCESS_CODE, "case",
        f"{topic} ({reference})", f"Forum participants report: {topic}.",
        rng.choice(pools.categories), rng.choice(pools.forums) if pools.forums else None,
        rng.choice(pools.organisations) if pools.organisations and rng.random() < 0.4 else None,
        "Forum participant", "", "", rng.choice(GROUPS), rng.choice(GENDER),
        rng.randint(1, 2000), rng.choice(PROVINCE_CODES), rng.choice(PRIORITIES),
        "km" if khmer else "en", owner_id, agency_id, officer_id, state, moment, due_at,
        outcome, "Synthetic resolution." if outcome else "", held_state,
        5 if held_state else None, True, at, local_day(at), moment, len(events),
    ))  # fmt: skip


def _step(case_id: int, trigger: str, before: str, after: str, officer: tuple[int, str],
          note: str, data: str, at: datetime, entered: datetime) -> tuple:  # fmt: skip
    """The event row of one transition (with its stay in the state it leaves)."""
    stay = (at - entered).total_seconds()
    return (case_id, "transition", trigger, before, after, *officer, note, data, True, at, stay)


def _insert(connection, postgres: bool, batch: Batch) -> None:
    """COPY the rows on PostgreSQL; executemany on other databases."""
    tables = (("cases", CASE_COLUMNS, batch.cases), ("events", EVENT_COLUMNS, batch.events),
              ("referrals", REFERRAL_COLUMNS, batch.referrals))  # fmt: skip
    if postgres:
        cursor = connection.connection.driver_connection.cursor()
        for table, columns, rows in tables:
            with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        return
    for table, columns, rows in tables:
        if rows:
            marks = ", ".join("?" for _ in columns)
            sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"
            connection.exec_driver_sql(sql, [_sqlite_row(row) for row in rows])


def _sqlite_row(row: tuple) -> tuple:
    """Datetimes and dates as the SQLite columns store them (naive UTC text, ISO dates)."""
    return tuple(
        v.replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f")
        if isinstance(v, datetime)
        else v.isoformat()
        if isinstance(v, date)
        else v
        for v in row
    )


def _save_counters(connection, counters: dict[int, int]) -> None:
    """Move each year's reference counter past the numbers this batch used."""
    table = ReferenceCounter.__table__
    existing = set(connection.scalars(select(table.c.year)))
    for year, last in counters.items():
        if year in existing:
            connection.execute(table.update().where(table.c.year == year).values(last_number=last))
        else:
            connection.execute(table.insert().values(year=year, last_number=last))
