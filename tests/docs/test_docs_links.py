"""The README and docs/ link only to files that exist in the repository."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("**/*.md"))]


def _local_targets(document: Path) -> list[str]:
    """Relative link targets of a Markdown file (web links and in-page anchors left out)."""
    targets = []
    for target in LINK.findall(document.read_text(encoding="utf-8")):
        if re.match(r"^[a-z][a-z0-9+.-]*:", target) or target.startswith("#"):
            continue
        targets.append(target.split("#", 1)[0])
    return targets


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_local_link_resolves_inside_the_repository(document: Path) -> None:
    for target in _local_targets(document):
        resolved = (document.parent / target).resolve()
        assert resolved.is_relative_to(ROOT), f"{document.name} links outside the repo: {target}"
        assert resolved.exists(), f"{document.name} links to a missing file: {target}"


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_document_sends_readers_to_the_teams_shared_folder(document: Path) -> None:
    assert "../shared" not in document.read_text(encoding="utf-8")


def test_the_readme_links_to_the_product_description() -> None:
    assert "docs/product.md" in _local_targets(ROOT / "README.md")
