"""The first characters of a pattern's matches, and the scan that skips text none can start in."""

from __future__ import annotations

import random
import re
from functools import cache
from importlib import resources

import pytest
import yaml

from nlp.claims.link import cues
from nlp.claims.rules import claim_rules
from nlp.text.leading import finditer, leading_chars, leading_class, locator


@cache
def heading() -> re.Pattern[str]:
    """The heading pattern of the sentence rules, from their data (not from sentences.py)."""
    raw = resources.files("nlp.text").joinpath("sentences.yaml").read_text(encoding="utf-8")
    return re.compile(yaml.safe_load(raw)["heading"])


def spans(matches) -> list[tuple[tuple[int, int], dict]]:
    return [(m.span(), m.groupdict()) for m in matches]


@pytest.mark.parametrize(
    ("pattern", "chars"),
    [
        ("收到|新收(?:到)?", {"收", "新"}),
        ("(?<!未)(?<!没有)受理", {"受"}),
        (r"\s*(?:年|月)", None),  # \s cannot be listed
        ("[0-3]x|百(?=[余多])", {"0", "1", "2", "3", "百"}),
        ("(?:结转|转)?下年", {"结", "转", "下"}),
        ("a*", None),  # may match empty text: no character is needed
        ("[^a]b", None),  # a negated class
        (".b", None),
        ("(?i:ab)", None),  # case folded
        (r"a{0,2}?b", {"a", "b"}),  # a lazy repeat that may be empty
        (r"a{0}b", {"a", "b"}),
        (r"(?P<n>[一二]+)件", {"一", "二"}),
        (r"\u4e00x|\.", {"一", "."}),
        (r"[\]a-c]|[a\-z]|[-x]", {"]", "a", "b", "c", "-", "z", "x"}),
        (r"(?=a)b|\bc", {"b", "c"}),  # lookarounds and \b are zero width
        (r"(a)\1", {"a"}),  # a back reference after the first character is skipped over
        ("x|", None),  # an empty alternative
        ("(?x)a b", None),  # inline flags
    ],
)
def test_leading_chars(pattern, chars):
    # read from the pattern's source with public `re` only (no `re._parser`)
    found = leading_chars(re.compile(pattern))
    assert found == (None if chars is None else frozenset(chars))


def test_leading_class_keeps_categories_and_ranges():
    leading = leading_class(re.compile(r"\s*(?:年|[0-9])"))
    assert leading is not None
    assert all(leading.match(c) for c in " \n年07")
    assert not leading.match("月")
    assert leading_class(re.compile("(?:x)?")) is None
    both = leading_class(re.compile("a|b"), re.compile("(?<!x)c"))
    assert both is not None and [bool(both.match(c)) for c in "abcd"] == [True, True, True, False]
    assert leading_class(re.compile("a"), re.compile(".")) is None


# Text made of what the project's patterns look for, and of what they must not match.
ALPHABET = list(
    "0123456789０１２一二三十百万余件人次个%％.．,，。、：:（）() 年月号第未无不收到申请受理复议诉讼规范性文件《》电话"
) + [
    "百分之",
    "政府信息",
    "〔2021〕",
    "12345",
    "一件事",
    "上年结转",
    "予以公开",
    "行政许可",
    "信息处理费",
]


def random_texts(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choices(ALPHABET, k=rng.randint(0, 40))) for _ in range(count)]


def project_patterns() -> list[re.Pattern[str]]:
    rules = claim_rules()
    patterns = [rules.number, rules.negation_hint, rules.exclusions, heading()]
    patterns += [metric.cues for metric in cues().metrics]
    return patterns


def test_every_project_pattern_has_a_leading_class():
    # Otherwise the scan falls back to trying the pattern everywhere: correct, but slow.
    for pattern in [claim_rules().number, claim_rules().negation_hint, heading()]:
        assert leading_class(pattern) is not None, pattern.pattern


@pytest.mark.parametrize("index", range(len(project_patterns())))
def test_finditer_finds_what_the_pattern_finds(index):
    pattern = project_patterns()[index]
    leading = leading_class(pattern)
    for text in random_texts(300, seed=index):
        assert spans(finditer(pattern, leading, text)) == spans(pattern.finditer(text))
        if len(text) > 6:
            assert spans(finditer(pattern, leading, text, 3, len(text) - 2)) == spans(
                pattern.finditer(text, 3, len(text) - 2)
            )


def test_a_lookbehind_sees_the_text_before_the_scan_position():
    pattern = re.compile(r"(?<![0-9])[0-9]+")
    leading = leading_class(pattern)
    assert spans(finditer(pattern, leading, "a12 3", 2)) == spans(pattern.finditer("a12 3", 2))
    assert [m.group() for m in finditer(pattern, leading, "a12 3", 2)] == ["3"]


def test_every_metric_lists_the_characters_its_cues_begin_with():
    for metric in cues().metrics:
        assert metric.leads is not None, metric.name
        for text in random_texts(100, seed=1):
            if metric.cues.search(text):
                assert not metric.leads.isdisjoint(text), (metric.name, text)


@pytest.mark.parametrize("index", range(len(project_patterns())))
def test_locator_finds_where_the_first_match_begins(index):
    pattern = project_patterns()[index]
    for text in random_texts(300, seed=100 + index):
        first = pattern.search(text)
        found = locator(pattern).search(text)
        assert (found and found.start()) == (first and first.start())
        # every place a match can begin is located, even inside an earlier match
        starts = [m.start() for m in locator(pattern).finditer(text)]
        assert starts == [i for i in range(len(text)) if pattern.match(text, i)]


def test_locator_scans_for_the_leading_class():
    located = locator(re.compile(r"(?<![0-9])[0-9]+件"))
    assert [m.start() for m in located.finditer("a12件 3件 45")] == [1, 5]
    assert located.pattern.startswith("[")  # so that `re` scans for it in C


def test_locator_without_a_leading_class_looks_ahead():
    located = locator(re.compile(r".b"))
    assert located.pattern == "(?=.b)"
    assert [m.start() for m in located.finditer("abcb")] == [0, 2]
