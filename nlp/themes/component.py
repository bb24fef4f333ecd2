"""A spaCy component, `xxgk_themes`: sets `Span._.theme` and `Span._.function` on sentences.

    nlp = nlp.text.nlp(); nlp.add_pipe("xxgk_themes", config={"section": "problems"})

The doc is taken as one section's text (its name from config, or `doc._.section` when set).
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span

from nlp.themes.features import sentence_frame

COMPONENT = "xxgk_themes"

for _name, _owner in (("theme", Span), ("function", Span), ("theme_score", Span)):
    if not _owner.has_extension(_name):
        _owner.set_extension(_name, default=None)
if not Doc.has_extension("section"):
    Doc.set_extension("section", default=None)


class ThemeComponent:
    def __init__(self, section: str, model_path: str | None):
        self.section = section
        self.model_path = model_path

    def __call__(self, doc: Doc) -> Doc:
        from nlp.themes.api import load_model

        section = doc._.section or self.section
        frame = sentence_frame({section: doc.text}, which=(section,))
        if frame.empty:
            return doc
        predicted = load_model(self.model_path).predict_frame(frame)
        spans = {(s.start_char, s.end_char): s for s in doc.sents}
        for start, end, row in zip(
            frame["start"], frame["end"], predicted.itertuples(), strict=True
        ):
            span = spans.get((start, end)) or doc.char_span(start, end, alignment_mode="expand")
            if span is None:
                continue
            span._.theme, span._.function = row.theme, row.function
            span._.theme_score = float(row.theme_score)
        return doc


@Language.factory(COMPONENT, default_config={"section": "overall", "model_path": None})
def make_theme_component(nlp: Language, name: str, section: str, model_path: str | None):
    return ThemeComponent(section, model_path)
