"""The Content Security Policy allows no inline script or style, so no template may contain any.

A `<script>` without `src`, a `<style>` element or a `style="..."` attribute would
be blocked by the browser in every environment. Put scripts in static/js/ and
styles in static/src/ (widths and colours as classes, as the progress bar does).
"""

import re
from pathlib import Path

import pytest

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"

INLINE = {
    "inline <script>": re.compile(r"<script\b(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.I),
    "<style> element": re.compile(r"<style\b", re.I),
    "style attribute": re.compile(r"""\sstyle\s*=\s*["'{]""", re.I),
    "event handler attribute": re.compile(r"""\son[a-z]+\s*=\s*["']""", re.I),
    "javascript: link": re.compile(r"""href\s*=\s*["']\s*javascript:""", re.I),
}


def templates():
    return sorted(TEMPLATES.rglob("*.html"))


def test_there_are_templates_to_check():
    assert len(templates()) > 5


@pytest.mark.parametrize("path", templates(), ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_template_has_no_inline_script_or_style(path):
    text = path.read_text(encoding="utf-8")
    found = [
        f"{what} on line {text.count(chr(10), 0, match.start()) + 1}: {match.group(0)!r}"
        for what, pattern in INLINE.items()
        for match in pattern.finditer(text)
    ]
    assert not found, (
        f"{path.relative_to(TEMPLATES)} would be blocked by the Content Security Policy: "
        + "; ".join(found)
    )
