"""``flask --app wsgi …`` commands: thin wrappers that parse arguments and call one service."""

from __future__ import annotations

import json
import secrets
import time
import unicodedata
from pathlib import Path

import click
from flask import Flask, current_app

from tracker.codes import LANGUAGES
from tracker.extensions import db
from tracker.models import ROLES
from tracker.services.errors import DomainError


def fail(error: DomainError) -> None:
    """Print a domain error and its field errors, then exit non-zero."""
    click.echo(f"Error: {error.detail}", err=True)
    for field, messages in error.errors.items():
        click.echo(f"  {field}: {' '.join(messages)}", err=True)
    raise SystemExit(1)


@click.group("users")
def users_cli() -> None:
    """Manage users."""


@users_cli.command("create")
@click.option("--email", required=True)
@click.option("--password", required=True, help="At least 10 characters.")
@click.option("--role", required=True, type=click.Choice(ROLES))
@click.option("--name", default="")
@click.option("--agency", "agency_code", help="Agency code, for agency users.")
@click.option("--organisation", "organisation_name", help="Organisation name, for representatives.")
@click.option("--language", default="en", type=click.Choice(list(LANGUAGES)))
def create_user_command(email, password, role, name, agency_code, organisation_name, language):
    """Create a user."""
    from tracker.services.directory import agency_by_code, organisation_named
    from tracker.services.users import create_user

    try:
        agency_id = agency_by_code(agency_code).id if agency_code else None
        organisation_id = organisation_named(organisation_name).id if organisation_name else None
        user = create_user(
            email,
            password,
            role,
            name=name,
            agency_id=agency_id,
            organisation_id=organisation_id,
            language=language,
        )
    except DomainError as error:
        db.session.rollback()
        fail(error)
    click.echo(f"Created {user.role} {user.email} (id {user.id}).")


@click.command("demo")
@click.option(
    "--reset-passwords", is_flag=True, help="Give the demo users a new password (when loaded)."
)
@click.option(
    "--bulk",
    type=click.IntRange(1, 10_000_000),
    help="Add this many synthetic illustrative cases (for benchmarks), fast, in bulk.",
)
@click.option("--seed", type=int, default=1, show_default=True, help="Seed of --bulk.")
def demo_command(reset_passwords: bool, bulk: int | None, seed: int) -> None:
    """Load illustrative demo data (forums, agencies, users, cases) once and print the logins."""
    from tracker.services.demo import demo_data_present, demo_logins, load_demo

    if bulk is not None:
        _bulk_demo(bulk, seed)
        return

    password_file = Path(current_app.config["DEMO_PASSWORD_FILE"])
    password = None
    if reset_passwords or not demo_data_present():
        password = secrets.token_urlsafe(9)
    created = load_demo(password)
    if password is not None:
        password_file.parent.mkdir(parents=True, exist_ok=True)
        password_file.write_text(password)
        password_file.chmod(0o600)
    elif password_file.exists():
        password = password_file.read_text().strip()
    if created:
        click.echo("Demo data loaded (all cases are marked illustrative). Log in with:")
    elif reset_passwords:
        click.echo("Demo data was already there; the demo users have a new password:")
    else:
        click.echo("Demo data was already there and is left as it was. Log in with:")
    shown = password or "(unknown: run `flask --app wsgi demo --reset-passwords`)"
    for role, email in demo_logins():
        click.echo(f"  {role:<15} {email:<32} password: {shown}")


def _bulk_demo(count: int, seed: int) -> None:
    """Add ``count`` synthetic cases with a progress bar."""
    from tracker.services.synthetic import add_synthetic_cases

    started = time.perf_counter()
    with click.progressbar(length=count, label="Synthetic cases") as bar:
        added = add_synthetic_cases(count, seed=seed, progress=bar.update)
    elapsed = time.perf_counter() - started
    click.echo(f"Added {added} synthetic illustrative cases (seed {seed}) in {elapsed:.1f} s.")


@click.group("cases")
def cases_cli() -> None:
    """Log, show and move cases."""


def _actor(email: str):
    from tracker.services.users import find_user_by_email

    user = find_user_by_email(email)
    if user is None or not user.active:
        raise click.BadParameter(f"no active user {email}", param_hint="--as")
    return user


def _pairs(values: tuple[str, ...]) -> dict[str, object]:
    """Parse ``key=value`` options; values that look like JSON numbers become numbers."""
    data: dict[str, object] = {}
    for item in values:
        key, sep, value = item.partition("=")
        if not sep:
            raise click.BadParameter(f"expected key=value, got {item!r}", param_hint="--set")
        data[key.strip()] = int(value) if value.strip().isdigit() else value
    return data


@cases_cli.command("log")
@click.option("--as", "actor_email", required=True, help="Email of the acting user.")
@click.option("--set", "values", multiple=True, help="field=value, e.g. title=…, category=…")
def log_case_command(actor_email: str, values: tuple[str, ...]) -> None:
    """Log one concern as a new case."""
    from tracker.services.cases import log_case

    try:
        logged = log_case(_actor(actor_email), _pairs(values))
    except DomainError as error:
        fail(error)
    click.echo(f"Logged {logged.case.reference}; access code {logged.access_code} (shown once).")


@cases_cli.command("show")
@click.argument("reference")
@click.option("--as", "actor_email", required=True, help="Email of the acting user.")
def show_case_command(reference: str, actor_email: str) -> None:
    """Show a case and its timeline (what the acting user may read; escapes printed as text)."""
    from tracker.services.case_views import visible_events
    from tracker.services.cases import get_case

    try:
        actor = _actor(actor_email)
        case = get_case(actor, reference)
    except DomainError as error:
        fail(error)
    click.echo(f"{case.reference}  [{case.workflow}: {case.state}]  {terminal_safe(case.title)}")
    click.echo(
        f"  category {case.category}  province {case.province or '-'}  "
        f"priority {case.priority}  due {case.due_at.isoformat() if case.due_at else '-'}"
    )
    click.echo(
        f"  owner {case.owner.email if case.owner else '-'}  "
        f"agency {case.agency.code if case.agency else '-'}  version {case.version}"
    )
    for event in visible_events(actor, case):
        move = f"{event.from_state or ''}→{event.to_state}" if event.to_state else ""
        click.echo(
            f"  {event.at:%Y-%m-%d %H:%M}  {event.kind:<10} {event.trigger or '':<8} "
            f"{move:<22} {terminal_safe(event.actor_label)}: {terminal_safe(event.note or '')}"
        )


def terminal_safe(text: str) -> str:
    """Text with control characters (escape sequences, line breaks) and bidirectional overrides
    written as escapes, so stored text cannot move the cursor, recolour or clear the terminal
    or reorder what it shows. Zero-width spaces, which Khmer uses between words, stay."""
    return "".join(
        char.encode("unicode_escape").decode("ascii")
        if unicodedata.category(char) == "Cc" or char in _BIDI_CONTROLS
        else char
        for char in text
    )


_BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)


@cases_cli.command("fire")
@click.argument("reference")
@click.argument("trigger")
@click.option("--as", "actor_email", required=True, help="Email of the acting user.")
@click.option("--set", "values", multiple=True, help="field=value the trigger needs")
def fire_command(reference: str, trigger: str, actor_email: str, values: tuple[str, ...]) -> None:
    """Fire a workflow trigger on a case, e.g. ``analyse --set note=… --set owner_id=2``."""
    from tracker.services.transitions import fire_trigger

    try:
        case = fire_trigger(_actor(actor_email), reference, trigger, _pairs(values))
    except DomainError as error:
        fail(error)
        return
    click.echo(
        json.dumps(
            {
                "reference": case.reference,
                "state": case.state,
                "due_at": case.due_at.isoformat() if case.due_at else None,
                "version": case.version,
            }
        )
    )


@click.command("import-cases")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--forum", "forum_id", type=int, required=True, help="Id of the forum.")
@click.option("--as", "actor_email", help="Acting user (default: the first admin).")
def import_cases_command(file: Path, forum_id: int, actor_email: str | None) -> None:
    """Import concerns from a CSV or XLSX file: all new rows imported, or none."""
    from tracker.services.import_files import read_rows
    from tracker.services.intake import import_rows
    from tracker.services.users import first_admin

    try:
        actor = _actor(actor_email) if actor_email else first_admin()
        parsed = read_rows(file)
        with click.progressbar(length=len(parsed.rows), label="Logging cases") as bar:
            result = import_rows(
                actor, forum_id, parsed.rows, lines=parsed.lines, on_progress=bar.update
            )
    except DomainError as error:
        fail(error)
        return
    click.echo(f"Imported {len(result.logged)} cases, {len(result.duplicates)} duplicates:")
    for item in result.logged:
        click.echo(f"  {item.reference}  access code {item.access_code}  {item.title}")


@click.command("workflow")
@click.argument("name", default="case")
@click.option("--json", "as_json", is_flag=True, help="Print the definition as JSON instead.")
def workflow_command(name: str, as_json: bool) -> None:
    """Print a workflow as a Mermaid state diagram (or its definition as JSON)."""
    from tracker.workflow_registry import engine_for

    try:
        engine = engine_for(name)
    except KeyError:
        raise click.BadParameter(f"no workflow {name!r}", param_hint="NAME") from None
    click.echo(json.dumps(engine.workflow.to_dict(), indent=2) if as_json else engine.mermaid())


@click.group("reports")
def reports_cli() -> None:
    """Export reports."""


@reports_cli.command("export")
@click.option("--by", required=True, help="category, category,province, performance or ageing.")
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx"]), default="csv")
@click.option(
    "--out", type=click.Path(dir_okay=False, writable=True, path_type=Path), required=True
)
@click.option("--as", "actor_email", help="Acting user (default: the first admin).")
@click.option("--language", default="en", type=click.Choice(list(LANGUAGES)))
def export_report_command(
    by: str, fmt: str, out: Path, actor_email: str | None, language: str
) -> None:
    """Write a report over the acting user's visible cases to a CSV or XLSX file."""
    from tracker.services.exports import export_report
    from tracker.services.users import first_admin

    try:
        actor = _actor(actor_email) if actor_email else first_admin()
        _name, content = export_report(actor, by, fmt, language)
    except DomainError as error:
        fail(error)
        return
    out.write_bytes(content)
    click.echo(f"Wrote {out} ({len(content)} bytes) as {actor.email}.")


def register_commands(app: Flask) -> None:
    """Attach the command groups to the app."""
    from notifications.cli import COMMANDS as NOTIFICATION_COMMANDS

    commands = (
        users_cli,
        demo_command,
        cases_cli,
        import_cases_command,
        workflow_command,
        reports_cli,
    )
    for command in (*commands, *NOTIFICATION_COMMANDS):
        app.cli.add_command(command)
