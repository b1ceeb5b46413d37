"""Which council a letter is about, from a plain list of councils passed in."""

import re
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass
class CouncilRef:
    """A council the reader may find: our name for it, its DfE code, and the other
    names a letter may call it by (older names, "City of X", "X Metropolitan
    Borough Council"; predecessors are councils of their own)."""

    name: str
    la_code: str
    other_names: tuple[str, ...] = ()


_COUNCIL_SUFFIX = (
    r"(?:(?:Metropolitan|County|City|Borough|District)\s+)*(?:Borough\s+|District\s+)?Council"
)
_COUNCIL_PREFIX = (
    r"(?:The\s+)?(?:Council of the|(?:London|Royal|Metropolitan)\s+Borough of|Borough of"
    r"|City of|County of|Corporation of)"
)
# Words around a council's name that say it is the council being named.
_COUNCIL_WORDS = (
    r"(?:(?:Metropolitan |County |City |Borough |District |Royal |London )*"
    r"(?:Borough |District )?Council|local authority|children[’']s services)"
)
# The places a letter names the council it is about, most telling first.
_TITLES = (
    re.compile(r"Inspection of (?P<x>[^.\n]{2,90}?) local authority children[’']s services", re.I),
    re.compile(
        r"(?:Focused|Monitoring) visit (?:to|of) (?P<x>[^.\n]{2,90}?) children[’']s services",
        re.I,
    ),
    re.compile(
        r"(?:Joint targeted area inspection|JTAI)\b[^\n]{0,250}?\bin (?P<x>[A-Z][^.\n:]{1,60})"
    ),
    re.compile(r"visit to (?P<x>[^.\n]{2,90}?) (?:children[’']s services|local authority)", re.I),
)


def _variants(name: str) -> set[str]:
    names = {name}
    if ", " in name:
        # "Bristol, City of" is "City of Bristol" and "Bristol" in a letter.
        head, tail = name.split(", ", 1)
        if tail.lower() in {"city of", "county of"}:
            names |= {f"{tail} {head}", head}
    for current in list(names):
        # "X Metropolitan Borough Council", "London Borough of X": X.
        bare = re.sub(r"\s+" + _COUNCIL_SUFFIX + r"$", "", current)
        bare = re.sub(r"^(?:" + _COUNCIL_PREFIX + r")\s+", "", bare)
        names.add(bare)
    for current in list(names):
        names.add(current.replace("St. ", "St "))
        names.add(current.replace(" and ", " & "))
    return {" ".join(n.split()) for n in names if len(n.strip()) >= 3}


def _normalise(text: str) -> str:
    return text.replace("'", "’")


class CouncilMatcher:
    def __init__(self, councils: Sequence[CouncilRef]):
        self.refs = list(councils)
        alias_to_refs: dict[str, list[int]] = {}
        for index, ref in enumerate(self.refs):
            for alias in _variants(ref.name) | {
                variant for other in ref.other_names for variant in _variants(other)
            }:
                refs = alias_to_refs.setdefault(_normalise(alias).lower(), [])
                if index not in refs:
                    refs.append(index)
        self.alias_to_refs = alias_to_refs
        aliases = sorted(alias_to_refs, key=len, reverse=True)
        self.pattern = None
        if aliases:
            # Whole words only, the longest name first at each place, any run
            # of spaces between words; capitals are checked on each match.
            parts = [r"\s+".join(re.escape(word) for word in alias.split()) for alias in aliases]
            self.pattern = re.compile(r"(?<![\w-])(?:" + "|".join(parts) + r")(?![\w-])", re.I)

    def _matches(self, text: str) -> list[tuple[int, int, list[int]]]:
        if self.pattern is None:
            return []
        found = []
        for match in self.pattern.finditer(_normalise(text)):
            # A council's name is a proper noun: "Reading", never "reading".
            if not match.group(0)[:1].isupper():
                continue
            refs = self.alias_to_refs.get(" ".join(match.group(0).lower().split()))
            if refs:
                found.append((match.start(), match.end(), refs))
        return found

    def _one(self, phrase: str) -> CouncilRef | None:
        matches = self._matches(phrase)
        if not matches:
            return None
        longest = max(matches, key=lambda m: m[1] - m[0])
        return self.refs[longest[2][0]]

    def match(self, blocks: Sequence[str]) -> CouncilRef | None:
        if not self.refs:
            return None
        head = "\n".join(blocks[:40])
        for title in _TITLES:
            for found in title.finditer(head):
                ref = self._one(found.group("x"))
                if ref is not None:
                    return ref
        # A short block near the top that is only a council's name ("Birmingham
        # City Council", "Herefordshire") is the report's title.
        for block in blocks[:12]:
            if len(block) <= 80:
                bare = re.sub(r"\s*" + _COUNCIL_WORDS + r"$", "", block).strip(" ,")
                refs = self.alias_to_refs.get(" ".join(_normalise(bare).lower().split()))
                if refs and bare[:1].isupper():
                    return self.refs[refs[0]]
        return self._most_named(blocks)

    def _most_named(self, blocks: Sequence[str]) -> CouncilRef | None:
        scores: dict[int, float] = {}
        position = 0
        for block in blocks:
            for _start, end, refs in self._matches(block):
                index = refs[0]
                weight = 1.0
                if re.match(r"\s*" + _COUNCIL_WORDS, block[end:]):
                    weight += 2
                if position < 3000:
                    weight += 1
                scores[index] = scores.get(index, 0) + weight
            position += len(block)
        if not scores:
            return None
        best = max(scores, key=lambda i: (scores[i], -i))
        return self.refs[best] if scores[best] >= 2 else None


def match_council(blocks: Sequence[str], councils: Sequence[CouncilRef]) -> CouncilRef | None:
    return CouncilMatcher(councils).match(blocks)
