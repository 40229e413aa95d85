"""Sphinx extension: drop repeated inline ``<script>`` blocks from each page.

With Jupyter Book 1.0.4, sphinx-thebe's inline configuration script reaches each page twice (once
registered with the file name ``None``, once with ``""``), so the browser logs "Identifier
'THEBE_JS_URL' has already been declared" on every page. Identical scripts are removed here
before the page is written, so each one runs once.
"""

from __future__ import annotations

from typing import Any


def _dedupe(app: Any, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    scripts = context.get("script_files")
    if not scripts:
        return
    seen, unique = set(), []
    for script in scripts:
        # an inline script is registered with filename None by one extension and "" by another
        filename = getattr(script, "filename", script) or ""
        key = (str(filename), tuple(sorted(getattr(script, "attributes", {}).items())))
        if key not in seen:
            seen.add(key)
            unique.append(script)
    scripts[:] = unique


def setup(app: Any) -> dict:
    # Early: Sphinx stops calling handlers once one returns a template name.
    app.connect("html-page-context", _dedupe, priority=100)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
