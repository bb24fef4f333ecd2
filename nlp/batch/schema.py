"""The column types of the batch tables (docs/batch.md), fixed so every part file agrees."""

from __future__ import annotations

import pyarrow as pa

_REPORT_KEYS = [
    ("report_id", pa.string()),
    ("source", pa.string()),
    ("agency", pa.string()),
    ("year", pa.int64()),
]

SCHEMAS: dict[str, pa.Schema] = {
    "reports": pa.schema(
        [
            *_REPORT_KEYS,
            ("level", pa.string()),
            ("kind", pa.string()),
            ("format", pa.string()),
            ("input_format", pa.string()),
            ("mixed_layout", pa.bool_()),
            ("confidence", pa.float64()),
            ("n_parse_warnings", pa.int64()),
            ("parse_warnings", pa.string()),
            ("n_sentences", pa.int64()),
            ("n_claims", pa.int64()),
            ("n_errors", pa.int64()),
            ("n_warnings", pa.int64()),
            ("n_info", pa.int64()),
            ("narrative_chars", pa.int64()),
        ]
    ),
    "cells": pa.schema(
        [
            *_REPORT_KEYS,
            ("table", pa.string()),
            ("row", pa.string()),
            ("col", pa.string()),
            ("value", pa.float64()),
            ("raw", pa.string()),
        ]
    ),
    "sentences": pa.schema(
        [
            *_REPORT_KEYS,
            ("section", pa.string()),
            ("index", pa.int64()),
            ("text", pa.string()),
            ("start", pa.int64()),
            ("end", pa.int64()),
            ("theme", pa.string()),
            ("function", pa.string()),
            ("theme_score", pa.float64()),
            ("function_score", pa.float64()),
            ("uncertain", pa.bool_()),
        ]
    ),
    "claims": pa.schema(
        [
            *_REPORT_KEYS,
            ("section", pa.string()),
            ("sentence", pa.int64()),
            ("text", pa.string()),
            ("value", pa.float64()),
            ("unit", pa.string()),
            ("qualifier", pa.string()),
            ("negated", pa.bool_()),
            ("kind", pa.string()),
            ("counts", pa.string()),
            ("start", pa.int64()),
            ("end", pa.int64()),
            ("metric", pa.string()),
            ("cells", pa.string()),
            ("link_score", pa.float64()),
            ("strong", pa.bool_()),
            ("scope", pa.string()),
        ]
    ),
    "findings": pa.schema(
        [
            *_REPORT_KEYS,
            ("rule", pa.string()),
            ("kind", pa.string()),
            ("severity", pa.string()),
            ("message", pa.string()),
            ("section", pa.string()),
            ("evidence", pa.string()),
            ("evidence_start", pa.int64()),
            ("evidence_end", pa.int64()),
            ("claim", pa.string()),
            ("cells", pa.string()),
            ("fingerprint", pa.string()),
        ]
    ),
    "errors": pa.schema(
        [
            ("file", pa.string()),
            ("report_id", pa.string()),
            ("stage", pa.string()),
            ("error", pa.string()),
            ("reason", pa.string()),
        ]
    ),
}

TABLES: tuple[str, ...] = tuple(SCHEMAS)
