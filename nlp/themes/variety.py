"""Labelled training reports assembled from the `variety` phrase bank (`nlp/corpus/phrases.yaml`).

The generator's reports all share one layout and voice; real ones come from townships to
provinces, number their sub-headings in every style (and, printed as crawler dumps, glue them to
the sentence after), open with ideology, speak about the report itself, phrase the sub-headings
of 五 as actions and its measures with or without 将. These small reports carry that variety,
every sentence labelled by the conventions of `../shared/spec/themes.md`, and keep it in its
place in an outline, so that the structure features see it where real reports put it.
"""

from __future__ import annotations

import random
import re
from functools import cache
from importlib import resources

import pandas as pd
import yaml

from nlp.corpus.narrative import bank
from nlp.report import Report
from nlp.themes.features import sentence_frame, within_sections

VARIETY = {"n": 200, "seed": 20240506}
SECTION_HEADINGS = {
    "overall": "一、总体情况",
    "problems": "五、存在的主要问题及改进情况",
    "other": "六、其他需要报告的事项",
}
_COUNT = re.compile(r"\{n\}")
# Share of headings glued to the sentence after them, as crawler dumps print a section in one
# line; the glued unit is labelled by the sentence's content (corpora/annotations/GUIDE.md).
_GLUED = 0.15
# Share of themes whose measure in 五 is one already taken with its result (an achievement).
_DONE = 0.15
# Reports of 2019–2020 are the hardest for the model: give them more weight among the years.
_YEARS = (2019, 2019, 2020, 2020, 2021, 2022, 2023, 2024, 2025)


def variety_examples(n: int = VARIETY["n"], seed: int = VARIETY["seed"]) -> pd.DataFrame:
    """The labelled sentences of `n` assembled reports, grouped by report."""
    rng = random.Random(seed)
    parts = []
    for k in range(n):
        sections, labels = _report(rng)
        report = Report(source=f"variety/{k}", sections=sections)
        frame = within_sections(sentence_frame(report), report)
        label = frame["text"].map(labels)
        frame = frame[label.notna()].assign(
            theme=label.dropna().str[0], function=label.dropna().str[1]
        )
        parts.append(frame.assign(group=f"variety/{k}"))
    return pd.concat(parts, ignore_index=True).assign(source="variety")


class _Writer:
    def __init__(self, rng: random.Random):
        self.rng = rng
        self.bank = variety_bank()
        self.self_ = rng.choice(self.bank["selves"])
        self.year = rng.choice(_YEARS)
        self.lines: list[str] = []
        self.labels: dict[str, tuple[str, str]] = {}
        self.heading_style = rng.choice(self.bank["numbering"])
        self.ordinal = 0
        self.glued = ""  # a heading waiting to be glued to the next sentence

    def say(self, template: str, theme: str, function: str) -> None:
        text = template.format(self=self.self_, year=self.year, next_year=self.year + 1, n="{n}")
        text = self.glued + _COUNT.sub(lambda _: str(self.rng.randint(1, 3000)), text)
        self.glued = ""
        self.lines.append(text)
        self.labels[text] = (theme, function)

    def section_heading(self, text: str) -> None:
        """The section's heading: a unit of its own, or glued to the first sentence."""
        if self.rng.random() < _GLUED:
            self.glued = text
        else:
            self.say(text, "general", "framing")

    def sentences(self, theme: str, function: str, k: int) -> None:
        pool = self.bank["sentences"].get(theme, {}).get(function, [])
        for template in self.rng.sample(pool, min(k, len(pool))):
            self.say(template, theme, function)

    def heading(self, text: str, theme: str) -> None:
        ordinal = self.bank["ordinals"][self.ordinal % len(self.bank["ordinals"])]
        self.ordinal += 1
        number = self.heading_style.format(c=ordinal, d=self.ordinal)
        if number.strip() and self.rng.random() < _GLUED:
            self.glued += f"{number}{text}"
            return
        ending = self.rng.choice(["", "", "。"]) if number.strip() else ""
        self.say(f"{number}{text}{ending}", theme, "framing")

    def text(self) -> str:
        return "\n".join(self.lines)


@cache
def variety_bank() -> dict:
    """The generator's `variety` bank with this package's additions (`variety.yaml`): lists of
    the same theme and function, and of the same sub-heading theme, are joined."""
    base = bank()["variety"]
    text = resources.files("nlp.themes").joinpath("variety.yaml").read_text(encoding="utf-8")
    more = yaml.safe_load(text)
    themes = {**base["sentences"], **more["sentences"]}
    sentences = {
        theme: _joined(base["sentences"].get(theme, {}), more["sentences"].get(theme, {}))
        for theme in themes
    }
    headings = _joined(base["action_headings"], more["action_headings"])
    return {**base, "sentences": sentences, "action_headings": headings}


def _joined(base: dict[str, list], more: dict[str, list]) -> dict[str, list]:
    return {key: base.get(key, []) + more.get(key, []) for key in {**base, **more}}


def _report(rng: random.Random) -> tuple[dict[str, str], dict[str, tuple[str, str]]]:
    sections, labels = {}, {}
    for name, write in (("overall", _overall), ("problems", _problems), ("other", _other)):
        writer = _Writer(rng)
        writer.section_heading(SECTION_HEADINGS[name])
        write(writer)
        sections[name] = writer.text()
        labels.update(writer.labels)
    return sections, labels


def _overall(w: _Writer) -> None:
    if w.rng.random() < 0.8:
        w.sentences("general", "framing", 1)
    themes = [t for t in w.bank["headings"] if t != "general"]
    for theme in w.rng.sample(themes, w.rng.randint(3, 6)):
        if w.rng.random() < 0.85:
            w.heading(w.rng.choice(w.bank["headings"][theme]), theme)
        w.sentences(theme, "achievement", w.rng.randint(1, 3))


def _problems(w: _Writer) -> None:
    themes = [t for t in w.bank["sentences"] if w.bank["sentences"][t].get("problem")]
    chosen = w.rng.sample(themes, w.rng.randint(2, 4))
    if w.rng.random() < 0.5:
        w.heading(w.rng.choice(w.bank["headings"]["general"][2:4]), "general")
    w.sentences("general", "problem", 1)
    for theme in chosen:
        if theme != "general":
            w.sentences(theme, "problem", 1)
    if w.rng.random() < 0.5:
        w.heading(w.rng.choice(w.bank["headings"]["general"][4:6]), "general")
    w.sentences("general", "measure", 1)
    for theme in chosen:
        actions = w.bank["action_headings"].get(theme)
        if actions and w.rng.random() < 0.5:
            w.heading(w.rng.choice(actions), theme)
        if theme == "general":
            continue
        if w.rng.random() < _DONE:
            w.sentences(theme, "achievement", 1)
        else:
            w.sentences(theme, "measure", 1)


def _other(w: _Writer) -> None:
    if w.rng.random() < 0.3:
        w.heading(w.rng.choice(w.bank["headings"]["fees"]), "fees")
    w.sentences("fees", "achievement", 1)
    if w.rng.random() < 0.5:
        w.say(w.rng.choice(w.bank["sentences"]["general"]["framing"][5:]), "general", "framing")
