"""The command line logs a case in another workflow and fires that workflow's triggers."""

from __future__ import annotations

import json
import re


def cli(runner, *args: str):
    """Run one command and return its result."""
    return runner.invoke(args=list(args))


def test_an_information_request_through_the_cli(runner, app, officer):
    logged = cli(
        runner, "cases", "log", "--as", officer.email,
        "--set", "title=Which form?", "--set", "description=Asked at the forum.",
        "--set", "category=maternity", "--set", "workflow=info_request",
    )  # fmt: skip
    assert logged.exit_code == 0, logged.output
    reference = re.search(r"GRV-\d{4}-\d{5}", logged.output).group(0)
    refused = cli(runner, "cases", "fire", reference, "analyse", "--as", officer.email)
    assert refused.exit_code == 1 and "unknown trigger 'analyse'" in refused.output
    answered = cli(
        runner, "cases", "fire", reference, "answer", "--as", officer.email,
        "--set", "response=Form B4.",
    )  # fmt: skip
    assert answered.exit_code == 0, answered.output
    assert json.loads(answered.output)["state"] == "answered"
    shown = cli(runner, "cases", "show", reference, "--as", officer.email)
    assert "[info_request: answered]" in shown.output


def test_an_unknown_workflow_is_refused_by_the_cli(runner, app, officer):
    logged = cli(
        runner, "cases", "log", "--as", officer.email, "--set", "title=t",
        "--set", "description=d", "--set", "category=maternity", "--set", "workflow=parcel",
    )  # fmt: skip
    assert logged.exit_code == 1 and "workflow" in logged.output


def test_workflow_prints_another_workflow_as_mermaid(runner, app):
    result = cli(runner, "workflow", "info_request")
    assert result.exit_code == 0
    assert "logged --> answered: answer" in result.output
