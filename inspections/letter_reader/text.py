"""Undo what PDF extraction does to a letter.

`tidy_text` takes text as pypdf or pdftotext give it (pages separated by form
feeds, or not), or as someone pasted it, and returns the letter as blocks: one
paragraph, heading, list item or table row per line, with a blank line between
blocks. It removes the running page headers and footers, page numbers and
Ofsted's address panel, rejoins words hyphenated across lines and lines wrapped
mid-sentence, and marks list items with "• ". It is idempotent: tidying tidy
text changes nothing, so pasted text and extracted text go the same way.
"""

import re
import statistics
import unicodedata
from collections import Counter

BULLET = "•"
_BULLET_CHARS = "•●▪■◼◾◆◇‣∙⁃▸►➢✓✔❖⦁\x7f"
_BULLET_LINE = re.compile(r"^\s*(?:[" + _BULLET_CHARS + r"\ue000-\uf8ff]|[-–](?=\s+\S))\s*(?=\S)")
_LONE_BULLET = re.compile(r"^[" + _BULLET_CHARS + r"\ue000-\uf8ff]$")
NUMBERED = re.compile(r"^\(?(\d{1,3})(?:[.)]|\.\d{1,2})\s+(?=\S)")
_PAGE_NUMBER = re.compile(
    r"^\s*(?:page\s+)?[-–]?\s*\d{1,3}\s*[-–]?(?:\s*(?:of|/)\s*\d{1,3})?\s*$", re.I
)
_TERMINAL = re.compile(r"[.!?;][’'\"”)\]]*\s*$")
_LIGATURES = {"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "ﬅ": "st", "ﬆ": "st"}
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_PRIVATE_USE = re.compile(r"[\ue000-\uf8ff]")
_INVISIBLE = re.compile(r"[\u200b-\u200d\u2060\ufeff]")

# Ofsted's address panel sits beside the first page's text and lands in the
# middle of it. Lines that can only be the panel go; the short lines around
# them ("Ofsted", "Manchester", "T") go with them.
_PANEL_STRONG = re.compile(
    r"^(?:piccadilly gate|store street|aviation house|125 kingsway|agora|"
    r"6 cumberland place|(?:manchester\s+)?m1 2wd|(?:london\s+)?wc2b 6se|"
    r"(?:nottingham\s+)?ng1 6hj|(?:[a-z]+:?\s+)?0300 123 ?1231|(?:[a-z]+:?\s+)?0300 013 ?\d+|"
    r"(?:textphone|minicom):?\s+[\d ]+|(?:[a-z]:\s*)?enquiries@ofsted\.gov\.uk|"
    r"(?:[a-z]:\s*)?www\.(?:gov\.uk/ofsted|ofsted\.gov\.uk)|"
    r"direct (?:t|f|tel|fax|email)\b.*|[tf]:?\s+0\d{3} ?\d{3} ?\d{4})$",
    re.I,
)
_PANEL_WEAK = re.compile(
    r"^(?:ofsted|manchester|london|nottingham|[tfew]|email|textphone|www|"
    r"office for standards in education)$",
    re.I,
)

# Headings: a block of their own, never joined to the line before or after.
HEADINGS = re.compile(
    r"^(?:what needs to improve(?: in this area of (?:social work )?practice)?|"
    r"what does the local authority need to improve|areas? for priority action|"
    r"priority and immediate action|priority actions?|areas for (?:further )?improvement|"
    r"recommendations?|headline findings|main findings|findings|overview|summary|"
    r"summary of key findings|key strengths|strengths|areas of strength|"
    r"next steps|evaluation of progress|areas covered by the visit|"
    r"information about this (?:inspection|local authority area)|"
    r"the inspection team|inspection judgements about the local authority|"
    r"key strengths and weaknesses of the lscb|contents|yours sincerely|"
    r"judgement grade|(?:inspection of|(?:focused|monitoring) visit (?:to|of)) [^.]{0,80}services|"
    r"section \d+:[^.]{0,90}|the (?:experiences and progress of|impact of leaders on)[^.]{0,120}"
    r":\s*(?:requires improvement(?: to be good)?|good|outstanding|inadequate))"
    r"[?:]?(?:\s+\d{1,3})?$",
    re.I,
)


# A JTAI letter's title ends with the area's name: "... in Wigan".
_JTAI_TITLE = re.compile(
    r"^(?i:joint targeted area inspection of) [^.]{0,160}"
    r"\bin (?:[A-Z][\w’'-]*,? ?(?:and |upon |on )?)+$"
)


def normalise_characters(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = "".join(_LIGATURES.get(ch, ch) for ch in text)
    text = _INVISIBLE.sub("", text)
    text = _SPACES.sub(" ", text)
    # Other control characters (except the form feed between pages and the
    # DEL that some PDF fonts give for a bullet) are noise.
    return "".join(
        ch
        for ch in text
        if ch in "\n\f\x7f\u00ad"
        or unicodedata.category(ch) == "Co"  # symbol-font bullets are private-use
        or not unicodedata.category(ch).startswith("C")
    )


def _split_pages(lines: list[str]) -> list[list[str]]:
    pages: list[list[str]] = [[]]
    for line in lines:
        parts = line.split("\f")
        pages[-1].append(parts[0])
        for part in parts[1:]:
            pages.append([part])
    if len(pages) > 1:
        return pages
    # No form feeds (pasted text, or a .txt saved without them): a line that is
    # only a page number marks the end of a page.
    pages = [[]]
    for line in lines:
        pages[-1].append(line)
        if _PAGE_NUMBER.match(line) and line.strip():
            pages.append([])
    return [page for page in pages if page]


def _edge_key(line: str) -> str:
    return re.sub(r"\d+", "#", " ".join(line.lower().split()))


def _edge_indexes(page: list[str], depth: int = 4) -> list[int]:
    filled = [i for i, line in enumerate(page) if line.strip()]
    return sorted(set(filled[:depth] + filled[-depth:]))


def _remove_running_lines(pages: list[list[str]]) -> list[list[str]]:
    """Drop page numbers, and lines repeated at the top or bottom of many pages."""
    counts: Counter[str] = Counter()
    for page in pages:
        counts.update({_edge_key(page[i]) for i in _edge_indexes(page)})
    total = len(pages)
    running = {
        key
        for key, count in counts.items()
        if count >= 2 and (count >= 0.4 * total or (total <= 3 and count >= total - 1))
    }
    cleaned = []
    for number, page in enumerate(pages):
        edges = set(_edge_indexes(page))
        if number == 0:
            # The first page's title often reads like the running header of the
            # pages after it: keep the top of page 1 (page numbers aside).
            filled = [i for i, line in enumerate(page) if line.strip()]
            top = set(filled[:4]) - set(filled[-4:])
            edges -= {i for i in top if not _PAGE_NUMBER.match(page[i])}
        # "4 to 15 March 2024 2": a header line that ends with this page's number.
        own_number = re.compile(rf"\b(?:19|20)\d\d\s+{number + 1}\s*$")
        cleaned.append(
            [
                line
                for i, line in enumerate(page)
                if not (
                    i in edges
                    and line.strip()
                    and (
                        _PAGE_NUMBER.match(line)
                        or _edge_key(line) in running
                        or (number and len(line) < 100 and own_number.search(line))
                    )
                )
            ]
        )
    return cleaned


def _remove_address_panel(lines: list[str]) -> list[str]:
    strong = [bool(_PANEL_STRONG.match(line.strip())) for line in lines]
    drop = list(strong)
    for index, is_strong in enumerate(strong):
        if not is_strong:
            continue
        for step in (-1, 1):
            j = index + step
            while 0 <= j < len(lines) and (
                not lines[j].strip() or _PANEL_WEAK.match(lines[j].strip()) or strong[j]
            ):
                if lines[j].strip():
                    drop[j] = True
                j += step
    return [line for line, dropped in zip(lines, drop, strict=True) if not dropped]


def _trim_blank_edges(page: list[str]) -> list[str]:
    filled = [i for i, line in enumerate(page) if line.strip()]
    return page[filled[0] : filled[-1] + 1] if filled else []


def _typical_width(lines: list[str]) -> float:
    lengths = sorted(len(line.strip()) for line in lines if line.strip())
    if len(lengths) < 8:
        return 80.0
    return max(40.0, statistics.quantiles(lengths, n=10)[8])


def _words(text: str) -> set[str]:
    return {word.lower() for word in re.findall(r"[A-Za-z]+(?:-[A-Za-z]+)*", text)}


def _is_heading(line: str) -> bool:
    return bool(HEADINGS.match(line.strip()))


def _join(left: str, right: str, words: set[str]) -> str:
    """Join two lines of one paragraph, undoing a hyphen split at the line end."""
    if left.endswith("\u00ad"):
        return left[:-1] + right
    match = re.search(r"(\w+)-$", left)
    if match and right[:1].isalpha():
        first = match.group(1)
        second = re.match(r"[A-Za-z]+", right)
        second_word = second.group(0) if second else ""
        if first.isdigit() or first[-1:].isdigit():
            # "16-" + "and 17-year-old": a suspended hyphen, not a split word.
            if second_word.lower() in {"and", "or", "to"}:
                return left + " " + right
            return left + right
        whole = (first + second_word).lower()
        hyphenated = f"{first}-{second_word}".lower()
        if whole in words and hyphenated not in words:
            return left[:-1] + right
        return left + right
    return left + " " + right


def _starts_block(line: str) -> bool:
    return bool(_BULLET_LINE.match(line) or NUMBERED.match(line))


def _joins(current: str, following: str, width: float, block: str = "") -> bool:
    """Does `following` continue the paragraph whose last line is `current`?"""
    if _starts_block(following) or _is_heading(following) or _is_heading(current):
        return False
    if block and (_is_heading(block) or _JTAI_TITLE.match(block)):
        return False
    first = following.lstrip()[:1]
    continues_lowercase = first.islower() or first in "(,;:–-)’”"
    short = len(current) < 0.75 * width
    if current.endswith("-") or current.endswith("\u00ad"):
        return True
    if _TERMINAL.search(current):
        if continues_lowercase:
            return True
        # A sentence that ends at the end of a full line may go on below;
        # one that ends a short line ends its paragraph.
        heading_like = len(following) < 0.6 * width and not _TERMINAL.search(following)
        return not short and not heading_like
    if continues_lowercase or first.isdigit():
        return True
    # No full stop: a wrapped line goes on, unless it is short (a heading,
    # a table cell, an address line, a signature) and the next starts afresh.
    return not short


def tidy_text(raw: str) -> str:
    """The letter as blocks, one per line with blank lines between (see module doc)."""
    if not raw:
        return ""
    text = normalise_characters(raw)
    words = _words(text)
    pages = _split_pages(text.split("\n"))
    if len(pages) > 1:
        pages = _remove_running_lines(pages)
    # Pages run on: a paragraph cut by a page break is joined up again by the
    # same rules as a wrapped line, so blank lines at page edges are dropped.
    lines = [line.rstrip() for page in pages for line in _trim_blank_edges(page)]
    lines = _remove_address_panel(lines)
    width = _typical_width(lines)

    blocks: list[str] = []
    current = last = ""
    pending_bullet = False
    for line in lines:
        stripped = line.strip()
        if not stripped:
            if current:
                blocks.append(current)
                current = ""
            continue
        if _LONE_BULLET.match(stripped):
            # A bullet drawn a little off the line's baseline comes out on a
            # line of its own: it belongs to the line after it.
            pending_bullet = True
            continue
        if pending_bullet:
            stripped = f"{BULLET} {stripped}"
            pending_bullet = False
        bullet = _BULLET_LINE.match(stripped)
        if bullet:
            stripped = f"{BULLET} " + stripped[bullet.end() :]
        if current and _joins(last, stripped, width, current):
            current = _join(current, stripped, words)
        else:
            if current:
                blocks.append(current)
            current = stripped
        last = stripped
    if current:
        blocks.append(current)
    # A private-use character left inside a line is a symbol-font glyph, not text.
    return "\n\n".join(" ".join(_PRIVATE_USE.sub(" ", block).split()) for block in blocks)


def blocks_of(tidy: str) -> list[str]:
    return [block for block in tidy.split("\n") if block.strip()]


def collapse(text: str) -> str:
    return " ".join(text.split())
