"""Lay out a workflow as an SVG diagram: states in a row, moves forward above, back below."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from workflows import Workflow

BOX_W, BOX_H, GAP, MARGIN = 130, 46, 80, 20
ARC = 36  # how far an arc bulges per state it spans


@dataclass(frozen=True)
class Node:
    """A state's box."""

    state: str
    label: str
    x: int
    y: int
    initial: bool
    final: bool


@dataclass(frozen=True)
class Edge:
    """A transition's arrow (an SVG path) and where its label goes."""

    trigger: str
    label: str
    path: str
    label_x: int
    label_y: int


@dataclass(frozen=True)
class Diagram:
    """Everything the template needs to draw the SVG."""

    width: int
    height: int
    nodes: list[Node]
    edges: list[Edge]


def layout(
    workflow: Workflow, state_label: Callable[[str], str], trigger_label: Callable[[str], str]
) -> Diagram:
    """Place the states left to right in definition order and route every transition."""
    span = max(
        abs(_dist(workflow, s, d)) for t in workflow.transitions for s in t.sources for d in t.dests
    )
    middle = MARGIN + 24 + ARC * span
    index = {state: i for i, state in enumerate(workflow.states)}
    nodes = [
        Node(
            state,
            state_label(state),
            MARGIN + i * (BOX_W + GAP),
            middle - BOX_H // 2,
            state == workflow.initial,
            state in workflow.final_states,
        )
        for i, state in enumerate(workflow.states)
    ]
    edges = [
        _edge(nodes[index[source]], nodes[index[dest]], t.trigger, trigger_label(t.trigger))
        for t in workflow.transitions
        for source in t.sources
        for dest in t.dests
    ]
    width = 2 * MARGIN + len(nodes) * BOX_W + (len(nodes) - 1) * GAP
    return Diagram(width, 2 * middle, nodes, edges)


def _dist(workflow: Workflow, source: str, dest: str) -> int:
    return workflow.states.index(dest) - workflow.states.index(source)


def _edge(source: Node, dest: Node, trigger: str, label: str) -> Edge:
    """A straight arrow to the next state; otherwise an arc above (forward) or below (back)."""
    steps = (dest.x - source.x) // (BOX_W + GAP)
    if steps == 1:
        y = source.y + BOX_H // 2
        x1, x2 = source.x + BOX_W, dest.x
        return Edge(trigger, label, f"M{x1},{y} L{x2 - 2},{y}", (x1 + x2) // 2, y - 8)
    forward = steps > 0
    x1, x2 = source.x + BOX_W // 2 + (8 if forward else -8), dest.x + BOX_W // 2
    y = source.y if forward else source.y + BOX_H
    bulge = -2 * ARC * abs(steps) if forward else 2 * ARC * abs(steps)
    mid = (x1 + x2) // 2
    path = f"M{x1},{y} Q{mid},{y + bulge} {x2},{y + (-2 if forward else 2)}"
    label_y = y + bulge // 2 + (-6 if forward else 16)
    return Edge(trigger, label, path, mid, label_y)
