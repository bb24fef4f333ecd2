"""Report text → its six sections (plus preamble) and its metadata (agency, year, period).

Headings are recognised by meaning: a keyword title (`sections.yaml`) that stands where a heading
stands — behind a section number, at the start of a line, or glued into a one-line web page right
after a sentence or a table. Matching runs over the text with all whitespace removed, so spaced-out
headings and headings split over two lines are found; offsets are mapped back to the cleaned text.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from itertools import chain, islice
from pathlib import Path
from typing import Any

import yaml

from nlp.ingest.lines import drop_furniture
from nlp.ingest.model import numbering
from nlp.report import SECTION_KEYS, ParseWarning

HEADED_KEYS: tuple[str, ...] = tuple(k for k in SECTION_KEYS if k != "preamble")


@dataclass
class SectionSplit:
    """Sections of one report. Spans are offsets into `text`, the cleaned text."""

    sections: dict[str, str] = field(default_factory=dict)
    spans: dict[str, tuple[int, int]] = field(default_factory=dict)
    text: str = ""
    warnings: list[ParseWarning] = field(default_factory=list)


@dataclass
class Metadata:
    agency: str | None = None
    year: int | None = None
    period: tuple[str, str] | None = None


@dataclass(frozen=True)
class _Heading:
    key: str
    start: int  # offset in the cleaned text
    end: int  # offset just after the heading's title
    level: int | None = None  # level of its numbering (heading_styles.yaml); None: unnumbered
    ordinal: int | None = None  # its number: 2 for 二、 and （二）


class _Compact:
    """The text without whitespace, with a map from each kept character back to its offset."""

    def __init__(self, text: str):
        # `\s` is `str.isspace` (both are Unicode whitespace); the runs keep the loop in C.
        runs = [match.span() for match in _NOT_SPACE.finditer(text)]
        # `chain` of `range`s: the offsets listed in C, not one by one in a comprehension.
        self.origin = list(chain.from_iterable(range(start, end) for start, end in runs))
        self.text = "".join(text.split())  # what the runs hold: `split` drops `\s` too, in C
        self.source = text
        self._prefix_starts: list[int] | None = None

    def prefix_starts(self) -> list[int]:
        """Every index where a section number (`heading_prefix`) begins, overlaps included."""
        if self._prefix_starts is None:
            found = _vocab()["prefix_starts"].finditer(self.text)
            self._prefix_starts = [match.start() for match in found]
        return self._prefix_starts

    def offset(self, compact_index: int) -> int:
        """Offset in the source of a compact index (the end maps to just past the last char)."""
        if compact_index < len(self.origin):
            return self.origin[compact_index]
        return self.origin[-1] + 1 if self.origin else 0

    def index(self, offset: int) -> int:
        """The first compact index at or after a source offset."""
        lo, hi = 0, len(self.origin)
        while lo < hi:
            mid = (lo + hi) // 2
            if self.origin[mid] < offset:
                lo = mid + 1
            else:
                hi = mid
        return lo


_NOT_SPACE = re.compile(r"\S+")


@cache
def _vocab() -> dict[str, Any]:
    raw = yaml.safe_load(Path(__file__).with_name("sections.yaml").read_text(encoding="utf-8"))
    prefix = raw["heading_prefix"]
    return {
        "headings": {
            key: [
                (
                    re.compile(rf"(?P<prefix>{prefix})?(?P<title>{title})", re.VERBOSE),
                    re.compile(title, re.VERBOSE),
                )
                for title in raw["section_titles"][key]
            ]
            for key in HEADED_KEYS
        },
        "prefix_starts": re.compile(rf"(?=(?:{prefix}))", re.VERBOSE),
        "glue_before": set(raw["glue_before"]),
        "recover_problems": re.compile(raw["recover_problems"], re.VERBOSE),
        "title_lines": [re.compile(p) for p in raw["title_lines"]],
        "title_end": raw["title_end"],
        "title_max_lines": raw["title_max_lines"],
        "title_patterns": [re.compile(p, re.VERBOSE) for p in raw["title_patterns"]],
        "period_patterns": [re.compile(p, re.VERBOSE) for p in raw["period_patterns"]],
    }


def clean_text(text: str) -> str:
    """Drop page footers/headers ("- 1 -", "第3页 共7页") and "正文" marker lines (whole lines
    only; the vocabulary is ingest's, `nlp/ingest/furniture.yaml`)."""
    return drop_furniture(text)


def split_sections(text: str) -> SectionSplit:
    """Cut a report into preamble and the six sections, in document order."""
    cleaned = clean_text(text)
    compact = _Compact(cleaned)
    headings, warnings = _find_headings(compact)
    if "problems" not in {h.key for h in headings}:
        recovered = _recover_problems(compact, headings)
        if recovered:
            headings.append(recovered)
            warnings.append(
                ParseWarning(
                    "sections.recovered_heading",
                    "heading of section problems (存在的主要问题及改进情况) not found; "
                    "section starts at the paragraph after the review table that speaks of problems",
                )
            )
    found = {h.key for h in headings}
    warnings += [
        ParseWarning("sections.missing", f"section {key} not found")
        for key in HEADED_KEYS
        if key not in found
    ]
    split = SectionSplit(text=cleaned, warnings=warnings)
    for key, start, end in _spans(cleaned, headings):
        split.spans[key] = (start, end)
        split.sections[key] = cleaned[start:end]
    return split


def _find_headings(compact: _Compact) -> tuple[list[_Heading], list[ParseWarning]]:
    """Each section's heading: the best-ranked one after the previous section's heading.

    Only a heading of the report's top level starts a section: the sub-headings of 一 are
    often worded like section titles (（一）主动公开政府信息情况), so a candidate numbered in the
    report's top level ranks first, an unnumbered one next, a deeper one last. Where sections
    and sub-headings share a style (（一）总体情况 … （一）主动公开…), the number that follows the
    previous section's decides."""
    candidates = {key: _candidates(compact, key) for key in HEADED_KEYS}
    top = _top_level(candidates)
    headings: list[_Heading] = []
    warnings: list[ParseWarning] = []
    position = 0
    for key in HEADED_KEYS:
        previous = headings[-1].ordinal if headings else None

        def rank(c: _Heading, previous: int | None = previous) -> tuple[int, bool, int]:
            return _rank(c, top), _breaks_sequence(c, previous), c.start

        later = [c for c in candidates[key] if c.start >= position]
        heading = min(later, key=rank, default=None)
        if heading:
            headings.append(heading)
            position = heading.end
            continue
        earlier = min(candidates[key], key=rank, default=None)
        if earlier and all(earlier.start != h.start for h in headings):
            headings.append(earlier)
            warnings.append(
                ParseWarning(
                    "sections.out_of_order", f"section {key} comes before its predecessors"
                )
            )
    return headings, warnings


def _candidates(compact: _Compact, key: str) -> list[_Heading]:
    """Every place where a title of `key` stands as a heading, with its numbering style."""
    hits: dict[int, _Heading] = {}
    for pattern, title in _vocab()["headings"][key]:
        for match in _matches(compact, pattern, title):
            start = _heading_start(compact, match)
            if start is None or start in hits:
                continue
            prefix = match.group("prefix")
            style = numbering(prefix) if prefix else None
            end = compact.offset(match.end() - 1) + 1
            level = style[1] if style else None
            hits[start] = _Heading(key, start, end, level, _ordinal(prefix) if prefix else None)
    return sorted(hits.values(), key=lambda h: h.start)


def _matches(compact: _Compact, pattern: re.Pattern[str], title: re.Pattern[str]):
    """The matches `pattern.finditer(compact.text)` yields, tried only where one can begin.

    A heading pattern is an optional section number and a title, so a match begins where a
    number begins or where the title does. Trying `pattern.match` there in order, going on
    from each match's end as `finditer` does, gives the same matches without running the
    pattern (its five kinds of number first) at every character of the text.
    """
    text = compact.text
    starts = set(compact.prefix_starts())
    found = title.search(text)
    while found:
        starts.add(found.start())
        found = title.search(text, found.start() + 1)
    position = 0
    for start in sorted(starts):
        if start < position:
            continue
        match = pattern.match(text, start)
        if match:
            yield match
            position = match.end()


def _top_level(candidates: dict[str, list[_Heading]]) -> int | None:
    """The level of the report's top headings: that of its 总体情况 heading (the sub-headings
    of 一 all come after it), else of the numbering style most sections' candidates share."""
    if candidates["overall"]:
        return candidates["overall"][0].level
    votes = Counter(
        level for found in candidates.values() for level in {c.level for c in found} if level
    )
    return votes.most_common(1)[0][0] if votes else None


def _breaks_sequence(heading: _Heading, previous: int | None) -> bool:
    """True when both are numbered and this one does not follow the previous section's."""
    return None not in (heading.ordinal, previous) and heading.ordinal != previous + 1


_ORDINAL_DIGITS = {ch: i for i, ch in enumerate("〇一二三四五六七八九")}
_ORDINAL_NUMBER = re.compile(r"[一二三四五六七八九十]+|[0-9]+")


def _ordinal(prefix: str) -> int | None:
    """The number of a heading's prefix: 三、 → 3, （十二） → 12, 第二部分 → 2, 4. → 4."""
    match = _ORDINAL_NUMBER.search(unicodedata.normalize("NFKC", prefix))
    if not match:
        return None
    word = match.group()
    if word.isdigit():
        return int(word)
    if "十" not in word:
        return _ORDINAL_DIGITS[word[-1]]
    tens, _, ones = word.partition("十")
    return (_ORDINAL_DIGITS[tens] if tens else 1) * 10 + (_ORDINAL_DIGITS[ones] if ones else 0)


def _rank(heading: _Heading, top: int | None) -> int:
    """0 for a heading at the top level (or above it), 1 unnumbered, 2 deeper than the top."""
    if heading.level is None:
        return 1
    return 0 if top is not None and heading.level <= top else 2


def _heading_start(compact: _Compact, match: re.Match[str]) -> int | None:
    """Where the heading begins, if the title stands as one: opening a line (markdown marks
    included), or numbered and glued into a running line right after a sentence or a figure."""
    source = compact.source
    start = compact.offset(match.start())
    line_start = source.rfind("\n", 0, start) + 1
    opens_line = not source[line_start:start].strip(" \t\u3000#*>")
    if match.group("prefix"):
        if opens_line:
            return line_start
        return start if _glue_allowed(source, start) else None
    if not opens_line:
        return None
    end = compact.offset(match.end() - 1) + 1
    line_end = source.find("\n", end)
    rest = source[end : line_end if line_end >= 0 else len(source)]
    return None if rest.strip(" \t\u3000#*:：。") else line_start


def _glue_allowed(source: str, start: int) -> bool:
    if start == 0:
        return True
    before = source[start - 1]
    return (
        before.isspace()
        or before.isdigit()
        or unicodedata.category(before).startswith("P")
        or before in _vocab()["glue_before"]
    )


def _recover_problems(compact: _Compact, headings: list[_Heading]) -> _Heading | None:
    """Where the problems heading was lost: the first paragraph after review about problems."""
    review = next((h for h in headings if h.key == "review"), None)
    if review is None:
        return None
    later = [h.start for h in headings if h.start > review.start]
    region_end = min(later, default=len(compact.source))
    pattern = _vocab()["recover_problems"]
    for start in _paragraph_starts(compact.source, review.end, region_end):
        match = pattern.match(compact.text, compact.index(start))
        if match and compact.offset(match.end() - 1) < region_end:
            return _Heading("problems", start, compact.offset(match.end() - 1) + 1)
    return None


def _paragraph_starts(source: str, begin: int, end: int) -> list[int]:
    """Offsets where a paragraph may begin: line starts, after a sentence, after a figure."""
    starts = []
    previous = "\n"  # the last character before i that is not a blank within the line
    for i in range(begin, end):
        ch = source[i]
        if ch in " \t\u3000":
            continue
        if ch == "\n":
            previous = ch
            continue
        opens = previous == "\n" or previous in "。；;！？!?"
        if opens or (previous.isdigit() and not ch.isdigit()):
            starts.append(i)
        previous = ch
    return starts


def _spans(cleaned: str, headings: list[_Heading]) -> list[tuple[str, int, int]]:
    """Each section runs from its heading to the next heading; the preamble precedes them all."""
    ordered = sorted(headings, key=lambda h: h.start)
    bounds = [h.start for h in ordered] + [len(cleaned)]
    spans = []
    first = bounds[0]
    if cleaned[:first].strip():
        spans.append(("preamble", *_trimmed(cleaned, 0, first)))
    for heading, end in zip(ordered, bounds[1:], strict=True):
        spans.append((heading.key, *_trimmed(cleaned, heading.start, end)))
    return spans


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while end > start and text[end - 1].isspace():
        end -= 1
    while start < end and text[start].isspace():
        start += 1
    return start, end


def metadata(text: str, split: SectionSplit | None = None) -> Metadata:
    """Agency and year from the title, statistical period from the preamble."""
    cleaned = split.text if split else clean_text(text)
    period = _period(cleaned)
    agency, year = _agency_and_year(_title(cleaned))
    if year is None and period:
        year = int(period[0][:4])
    return Metadata(agency=agency, year=year, period=period)


_CHINESE_DIGITS = str.maketrans("〇零一二三四五六七八九", "00123456789")
_CHINESE_YEAR = re.compile(r"[〇零一二三四五六七八九]{4}(?=年)")


def _normalised(text: str) -> str:
    """NFKC, no whitespace, and years written in Chinese digits (二〇二一年) as Arabic ones."""
    compact = "".join(unicodedata.normalize("NFKC", text).split())  # `\s` runs dropped, in C
    return _CHINESE_YEAR.sub(lambda m: m.group().translate(_CHINESE_DIGITS), compact)


def _title(cleaned: str) -> str | None:
    vocab = _vocab()
    # Markdown titles may be split over several headings (# 某某局 / # 2021年…报告).
    # Only the first lines are looked at: the rest of the text is not split for them.
    first = (line.lstrip("#").strip() for line in _lines(cleaned) if line.strip())
    lines = list(islice(first, vocab["title_max_lines"] * 3))
    for pattern in vocab["title_lines"]:
        for line in lines:
            match = pattern.match(line)
            if match:
                return match.group("title")
    head = lines[: vocab["title_max_lines"]]
    for count, line in enumerate(head, start=1):
        if vocab["title_end"] in line:
            return "".join(head[:count])
    return None


def _lines(text: str) -> Iterator[str]:
    """`text.split("\n")`, one line at a time."""
    start = 0
    while (end := text.find("\n", start)) >= 0:
        yield text[start:end]
        start = end + 1
    yield text[start:]


def _agency_and_year(title: str | None) -> tuple[str | None, int | None]:
    if not title:
        return None, None
    compact = _normalised(title)
    for pattern in _vocab()["title_patterns"]:
        match = pattern.search(compact)
        if match:
            agency = match.group("agency").strip("#*:：，,。") or None
            return agency, int(match.group("year"))
    return None, None


def _period(cleaned: str) -> tuple[str, str] | None:
    compact = _normalised(cleaned)
    for pattern in _vocab()["period_patterns"]:
        match = pattern.search(compact)
        if match:
            y1 = int(match["y1"])
            y2 = int(match["y2"]) if match["y2"] else y1
            first = f"{y1:04d}-{int(match['m1']):02d}-{int(match['d1']):02d}"
            last = f"{y2:04d}-{int(match['m2']):02d}-{int(match['d2']):02d}"
            return first, last
    return None
