"""A spaCy component, `xxgk_themes`: sets `Span._.theme` and `Span._.function` on sentences.

    nlp = nlp.text.nlp(); nlp.add_pipe("xxgk_themes", config={"section": "problems"})

The doc is taken as one section's text (its name from config, or `doc._.section` when set). The
sentences classified are the doc's own, `doc.sents` (marked by `report_sentences`, so the same as
the report's sentence table), less the spans of marks only that the table leaves out; each sentence
is classified as `nlp.themes(report)` classifies it.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span

from nlp.text.sentences import Sentence, is_sentence
from nlp.themes.features import sentence_columns

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

        spans, sentences = doc_sentences(doc, doc._.section or self.section)
        if not sentences:
            return doc
        predicted = load_model(self.model_path).predict_columns(sentence_columns(sentences))
        for k, span in enumerate(spans):
            span._.theme = str(predicted["theme"][k])
            span._.function = str(predicted["function"][k])
            span._.theme_score = float(predicted["theme_score"][k])
        return doc


def doc_sentences(doc: Doc, section: str) -> tuple[list[Span], list[Sentence]]:
    """The sentences of `doc.sents` that are sentences, with their trimmed text and offsets."""
    spans, sentences = [], []
    for span in doc.sents:
        text = span.text.strip()
        if not text or not is_sentence(text):
            continue
        start = span.start_char + span.text.index(text)
        sentences.append(Sentence(len(sentences), text, start, start + len(text), section))
        spans.append(span)
    return spans, sentences


@Language.factory(COMPONENT, default_config={"section": "overall", "model_path": None})
def make_theme_component(nlp: Language, name: str, section: str, model_path: str | None):
    return ThemeComponent(section, model_path)
