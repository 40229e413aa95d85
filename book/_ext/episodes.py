"""Sphinx extension: show each chapter's questions, objectives and key points from one data file.

``book/_data/episodes.yml`` holds, per chapter (keyed by its page name, e.g.
``book/01_concatenating_inputs``), the questions, objectives and key points in the form of a
Carpentries episode. When the site is built, this extension adds to each of those pages a box
with the questions and objectives under the page's header (after the **Time:** line) and a box
with the key points at the start of its Summary section. The notebooks themselves are not
edited, and the Workshop page reads the same file, so the two cannot disagree.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml
from docutils import nodes

DATA = Path(__file__).resolve().parent.parent / "_data" / "episodes.yml"


def load(path: Path = DATA) -> dict[str, dict]:
    """The episodes file as ``{page name: entry}``; raises ``ValueError`` naming a malformed entry."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    for page, entry in data.items():
        for key in ("questions", "objectives", "keypoints"):
            items = (entry or {}).get(key)
            if not isinstance(items, list) or not items or not all(isinstance(i, str) and i.strip() for i in items):
                raise ValueError(f"{path.name}: {page!r} needs a non-empty list of sentences under {key!r}, got {items!r}")
        stumbles = (entry or {}).get("stumbles", [])
        if not all(isinstance(s, str) for s in stumbles):
            raise ValueError(f"{path.name}: {page!r} lists a stumble that is not a sentence (quote it if it holds ': '): {stumbles!r}")
    return data


def _inline(text: str) -> list[nodes.Node]:
    """Plain text with `code` spans, as docutils nodes."""
    parts = re.split(r"`([^`]+)`", text)
    return [nodes.literal(part, part) if i % 2 else nodes.Text(part) for i, part in enumerate(parts) if part]


def _bullets(items: list[str]) -> nodes.bullet_list:
    lst = nodes.bullet_list()
    for item in items:
        lst += nodes.list_item("", nodes.paragraph("", "", *_inline(item)))
    return lst


def _box(title: str, groups: list[tuple[str, list[str]]], css: str) -> nodes.admonition:
    box = nodes.admonition(classes=["episode", css])
    box += nodes.title(title, title)
    for label, items in groups:
        if label:
            box += nodes.paragraph("", "", nodes.strong(label, label))
        box += _bullets(items)
    return box


def _add_boxes(app: Any, doctree: nodes.document) -> None:
    docname = app.env.docname
    app.env.note_dependency(str(DATA))
    entry = load().get(docname)
    if entry is None:
        return
    top = next(iter(doctree.findall(nodes.section)), None)
    if top is None:
        return
    overview = _box("Questions and objectives", [("Questions", entry["questions"]), ("Objectives", entry["objectives"])], "tip")
    # under the header: after the paragraph that gives the time, else right after the title
    position = 1
    for index, child in enumerate(top.children[:6]):
        if isinstance(child, nodes.paragraph) and child.astext().startswith("Time:"):
            position = index + 1
            break
    top.insert(position, overview)
    keypoints = _box("Key points", [("", entry["keypoints"])], "important")
    summary = next(
        (s for s in top.findall(nodes.section) if s is not top and s[0].astext().strip().lower().startswith("summary")),
        None,
    )
    if summary is not None:
        summary.insert(1, keypoints)
    else:
        top += keypoints


def setup(app: Any) -> dict:
    app.connect("doctree-read", _add_boxes)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
