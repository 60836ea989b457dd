"""The command line: users, demo data, and a case walked through the workflow."""

from __future__ import annotations

import json
import re

from sqlalchemy import func, select

from tracker.extensions import db
from tracker.models import Case, Event, Organisation, User
from tracker.services.demo import CASES as DEMO_CASES


def test_create_user_with_organisation(runner, app):
    result = runner.invoke(
        args=[
            "users",
            "create",
            "--email",
            "Rep@Example.org",
            "--password",
            "a long password",
            "--role",
            "representative",
            "--organisation",
            "Garment Union",
            "--language",
            "km",
        ]
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.email == "rep@example.org"))
    assert user.role == "representative" and user.language == "km"
    assert user.organisation.name == "Garment Union"


def test_create_user_reports_every_problem_and_creates_nothing(runner, app):
    result = runner.invoke(
        args=["users", "create", "--email", "x", "--password", "short", "--role", "agency"]
    )
    assert result.exit_code == 1
    for field in ("email", "password", "agency_id"):
        assert f"{field}:" in result.output
    assert db.session.scalar(select(func.count()).select_from(User)) == 0


def test_unknown_agency_code_is_an_error(runner, app):
    result = runner.invoke(
        args=[
            "users",
            "create",
            "--email",
            "a@example.org",
            "--password",
            "a long password",
            "--role",
            "agency",
            "--agency",
            "NOPE",
        ]
    )
    assert result.exit_code == 1 and "No agency with code NOPE" in result.output


def _printed_password(output: str) -> str:
    return re.search(r"admin@example.org\s+password: (\S+)", output).group(1)


def test_demo_loads_cases_in_every_state_and_prints_logins(runner, app, tmp_path):
    from tracker.services.users import authenticate

    app.config["DEMO_PASSWORD_FILE"] = str(tmp_path / "demo-password")
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    assert "Demo data loaded" in result.output
    password = _printed_password(result.output)
    states = set(db.session.scalars(select(Case.state)))
    assert states == {"logged", "analysed", "referred", "responded", "closed"}
    assert all(db.session.scalars(select(Case.illustrative)))
    assert db.session.scalar(select(func.count()).select_from(Organisation)) >= 2
    assert authenticate("admin@example.org", password) is not None


def test_a_second_demo_run_keeps_the_data_and_the_passwords(runner, app, tmp_path):
    from tracker.services.users import authenticate

    app.config["DEMO_PASSWORD_FILE"] = str(tmp_path / "demo-password")
    password = _printed_password(runner.invoke(args=["demo"]).output)
    again = runner.invoke(args=["demo"])
    assert again.exit_code == 0, again.output
    assert "already there and is left as it was" in again.output
    assert _printed_password(again.output) == password
    assert authenticate("admin@example.org", password) is not None
    assert db.session.scalar(select(func.count()).select_from(Case)) == len(DEMO_CASES)


def test_demo_reset_passwords_gives_a_new_one_and_ends_the_old(runner, app, tmp_path):
    from tracker.services.users import authenticate

    app.config["DEMO_PASSWORD_FILE"] = str(tmp_path / "demo-password")
    password = _printed_password(runner.invoke(args=["demo"]).output)
    reset = runner.invoke(args=["demo", "--reset-passwords"])
    assert reset.exit_code == 0, reset.output
    new_password = _printed_password(reset.output)
    assert new_password != password
    assert authenticate("admin@example.org", new_password) is not None
    assert authenticate("admin@example.org", password) is None
    assert db.session.scalar(select(func.count()).select_from(Case)) == len(DEMO_CASES)


def test_log_show_and_fire_from_the_command_line(runner, officer):
    logged = runner.invoke(
        args=[
            "cases",
            "log",
            "--as",
            officer.email,
            "--set",
            "title=Late pay",
            "--set",
            "description=Benefits paid late",
            "--set",
            "category=benefits",
        ]
    )
    assert logged.exit_code == 0, logged.output
    reference = re.search(r"GRV-\d{4}-\d{5}", logged.output).group(0)
    refused = runner.invoke(args=["cases", "fire", reference, "close", "--as", officer.email])
    assert refused.exit_code == 1 and "allowed: analyse" in refused.output
    fired = runner.invoke(
        args=[
            "cases",
            "fire",
            reference,
            "analyse",
            "--as",
            officer.email,
            "--set",
            f"owner_id={officer.id}",
            "--set",
            "note=Checked",
        ]
    )
    assert fired.exit_code == 0, fired.output
    assert json.loads(fired.output)["state"] == "analysed"
    shown = runner.invoke(args=["cases", "show", reference, "--as", officer.email])
    assert "[case: analysed]" in shown.output
    assert "logged→analysed" in shown.output and "Checked" in shown.output


def test_workflow_prints_mermaid_and_json(runner, app):
    diagram = runner.invoke(args=["workflow"])
    assert "stateDiagram-v2" in diagram.output.splitlines()  # after the title front matter
    assert "responded --> referred: refer" in diagram.output
    definition = json.loads(runner.invoke(args=["workflow", "case", "--json"]).output)
    assert definition["initial"] == "logged"
    assert runner.invoke(args=["workflow", "nope"]).exit_code == 2


def test_cases_show_prints_no_raw_escape_sequences(runner, officer, make_case):
    reference = make_case(title="Late \u202epay").case.reference
    # Text stored before the check existed (or written around it) must still print safely.
    event = db.session.scalar(select(Event).where(Event.kind == "created"))
    event.note = "Clear\x1b[2J\x1b]0;owned\x07 screen\nnext\u200bword"
    db.session.commit()
    shown = runner.invoke(args=["cases", "show", reference, "--as", officer.email])
    assert shown.exit_code == 0, shown.output
    assert "\x1b" not in shown.output and "\x07" not in shown.output
    assert "\u202e" not in shown.output
    assert "Clear\\x1b[2J\\x1b]0;owned\\x07 screen\\nnext\u200bword" in shown.output
    assert "Late \\u202epay" in shown.output
