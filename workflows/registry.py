"""Definition files: read them (JSON or YAML), validate them, and hold the loaded workflows."""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from workflows.engine import WorkflowEngine
from workflows.spec import Workflow, WorkflowDefinitionError, load_workflow

BUILTIN_DIR = Path(__file__).resolve().parent / "definitions"
SUFFIXES = (".json", ".yaml", ".yml")


class DefinitionFileError(WorkflowDefinitionError):
    """A definition file cannot be read or is not a valid workflow; names the file."""

    def __init__(self, path: Path, problem: str) -> None:
        self.path = path
        self.problem = problem
        super().__init__(f"workflow definition {path}: {problem}")


def read_definition(path: Path) -> dict[str, Any]:
    """Read the raw data of one definition file."""
    try:
        text = path.read_text(encoding="utf-8")
        data = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    except (OSError, UnicodeDecodeError, ValueError, yaml.YAMLError) as exc:
        raise DefinitionFileError(path, f"cannot be read ({exc})") from exc
    if not isinstance(data, dict):
        raise DefinitionFileError(path, "must hold one mapping (a workflow definition)")
    return data


def load_file(path: Path) -> Workflow:
    """Load and validate one definition file."""
    try:
        return load_workflow(read_definition(path))
    except DefinitionFileError:
        raise
    except WorkflowDefinitionError as exc:
        raise DefinitionFileError(path, str(exc)) from exc


def definition_files(folder: Path) -> list[Path]:
    """The definition files of a folder, by name."""
    if not folder.is_dir():
        raise DefinitionFileError(folder, "is not a folder")
    return sorted(p for p in folder.iterdir() if p.suffix in SUFFIXES and p.is_file())


class WorkflowRegistry:
    """The workflows an app runs: built-in ones and those of WORKFLOW_PATH, one engine each."""

    def __init__(self, workflows: Iterable[Workflow]) -> None:
        self._workflows: dict[str, Workflow] = {}
        for workflow in workflows:
            if workflow.name in self._workflows:
                raise WorkflowDefinitionError(f"two workflows are named '{workflow.name}'")
            self._workflows[workflow.name] = workflow
        self._engines = {name: WorkflowEngine(w) for name, w in self._workflows.items()}
        self._check_final_states()

    def _check_final_states(self) -> None:
        """A state final in one workflow is final in all (so "open" means one thing)."""
        for workflow in self._workflows.values():
            for state in workflow.states:
                if state not in workflow.final_states and state in self.final_states:
                    raise WorkflowDefinitionError(
                        f"state '{state}' is final in one workflow but not in '{workflow.name}'"
                    )

    def names(self) -> list[str]:
        """The workflow names, built-in ones first."""
        return list(self._workflows)

    def __contains__(self, name: object) -> bool:
        return name in self._workflows

    def workflow(self, name: str) -> Workflow:
        """The named workflow, or KeyError."""
        try:
            return self._workflows[name]
        except KeyError:
            raise KeyError(f"no workflow named '{name}'") from None

    def engine(self, name: str) -> WorkflowEngine:
        """The engine of the named workflow, or KeyError."""
        self.workflow(name)
        return self._engines[name]

    @cached_property
    def final_states(self) -> tuple[str, ...]:
        """The states where a case is finished, in any workflow: no deadline, not "open"."""
        return tuple(sorted({s for w in self._workflows.values() for s in w.final_states}))

    @cached_property
    def states(self) -> tuple[str, ...]:
        """Every state of every workflow, in definition order, each once."""
        return tuple(dict.fromkeys(s for w in self._workflows.values() for s in w.states))

    def state_label(self, state: str, language: str, workflow: str | None = None) -> str:
        """A state's label in a language, from its workflow (or the first that has it)."""
        candidates = [self._workflows[workflow]] if workflow in self._workflows else []
        for w in [*candidates, *self._workflows.values()]:
            if state in w.state_labels:
                return w.state_labels[state].get(language) or state
        return state


def load_registry(extra_folder: str | Path | None = None) -> WorkflowRegistry:
    """Load the built-in definitions and those of `extra_folder`; a broken file raises."""
    files = definition_files(BUILTIN_DIR)
    if extra_folder:
        files += definition_files(Path(extra_folder))
    return WorkflowRegistry(load_file(path) for path in files)
