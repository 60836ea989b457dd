"""Definition files: built-in ones load, extra folders add workflows, broken files are named."""

from __future__ import annotations

import json
import re

import pytest

from workflows import CASE_WORKFLOW, DefinitionFileError, WorkflowDefinitionError, load_registry


def test_the_built_in_files_are_case_and_info_request():
    registry = load_registry(None)
    assert registry.names() == ["case", "info_request"]
    assert registry.workflow("case") == CASE_WORKFLOW
    assert registry.final_states == ("closed",)


def test_a_json_file_in_the_extra_folder_adds_a_workflow(tmp_path):
    definition = CASE_WORKFLOW.to_dict() | {"name": "case_copy"}
    (tmp_path / "copy.json").write_text(json.dumps(definition))
    (tmp_path / "notes.txt").write_text("not a definition")
    registry = load_registry(tmp_path)
    assert registry.names() == ["case", "info_request", "case_copy"]
    assert registry.workflow("case_copy").transitions == CASE_WORKFLOW.transitions


@pytest.mark.parametrize(
    ("name", "text", "problem"),
    [
        ("bad.yaml", "name: [unclosed", "cannot be read"),
        ("bad.json", "{", "cannot be read"),
        ("list.yaml", "- a\n- b\n", "must hold one mapping"),
        ("broken.yaml", "name: x\nstates: {a: null}\ninitial: b\n", "initial state 'b'"),
    ],
)
def test_a_broken_file_is_refused_naming_the_file_and_the_problem(tmp_path, name, text, problem):
    (tmp_path / name).write_text(text)
    with pytest.raises(DefinitionFileError) as caught:
        load_registry(tmp_path)
    assert str(tmp_path / name) in str(caught.value)
    assert re.search(re.escape(problem), str(caught.value))


def test_a_missing_folder_is_refused(tmp_path):
    with pytest.raises(DefinitionFileError, match="is not a folder"):
        load_registry(tmp_path / "nowhere")


def test_two_workflows_of_one_name_are_refused(tmp_path):
    (tmp_path / "case.json").write_text(json.dumps(CASE_WORKFLOW.to_dict()))
    with pytest.raises(WorkflowDefinitionError, match="two workflows are named 'case'"):
        load_registry(tmp_path)


def test_a_state_final_in_one_workflow_is_final_in_all(tmp_path):
    definition = {
        "name": "odd",
        "initial": "closed",
        "final": ["done"],
        "states": {"closed": None, "done": None},
        "transitions": [{"trigger": "finish", "from": "closed", "to": "done", "roles": "admin"}],
    }
    (tmp_path / "odd.json").write_text(json.dumps(definition))
    with pytest.raises(WorkflowDefinitionError, match="state 'closed' is final in one workflow"):
        load_registry(tmp_path)
