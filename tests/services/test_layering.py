"""Services and notifications do not import each other: notifications listen to signals."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def imported_modules(folder: Path) -> dict[str, set[str]]:
    """Every module each Python file of a folder imports (absolute names)."""
    found: dict[str, set[str]] = {}
    for path in sorted(folder.rglob("*.py")):
        names: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module)
        found[str(path.relative_to(ROOT))] = names
    return found


@pytest.mark.parametrize(
    ("folder", "forbidden"),
    [("tracker/services", "notifications"), ("notifications", "tracker.services")],
)
def test_no_imports_between_services_and_notifications(folder, forbidden):
    offending = {
        path: sorted(n for n in names if n == forbidden or n.startswith(forbidden + "."))
        for path, names in imported_modules(ROOT / folder).items()
    }
    assert {path: names for path, names in offending.items() if names} == {}


def test_domain_errors_carry_no_http_status():
    from tracker.services import errors

    for error in vars(errors).values():
        if isinstance(error, type) and issubclass(error, Exception):
            assert not hasattr(error, "status") and not hasattr(error, "code"), error
