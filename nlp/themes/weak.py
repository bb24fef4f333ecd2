"""Weak labels from sub-headings: under （一）主动公开情况 the paragraph is about `proactive`.

Free and noisy: only sentences of `overall` that sit under a sub-heading whose theme the keyword
table can name get a label (the heading itself is `framing`, the rest `achievement`).
"""

from __future__ import annotations

import pandas as pd

from nlp.report import Report
from nlp.themes.features import sentence_frame

UNINFORMATIVE = ("none", "general")


def weak_labels(report: Report) -> pd.DataFrame:
    """The `overall` sentences of a report under a named sub-heading, with weak labels."""
    frame = sentence_frame(report, which=("overall",))
    frame = frame[~frame["heading_theme"].isin(UNINFORMATIVE)].copy()
    frame["theme"] = frame["heading_theme"]
    frame["function"] = frame["is_heading"].map({True: "framing", False: "achievement"})
    return frame.reset_index(drop=True)
