"""Negated statements: each a claim of zero, counting what is negated."""

from __future__ import annotations

from decimal import Decimal

import pytest

from nlp.claims import extract_claims


@pytest.mark.parametrize(
    ("sentence", "counts", "unit"),
    [
        ("2023年，我局未收到依申请公开申请。", "申请", "件"),
        ("本年度没有收到政府信息公开申请。", "申请", "件"),
        ("本年度尚未收到公民、法人提出的政府信息公开申请。", "申请", "件"),
        ("本年度无政府信息公开申请。", "申请", "件"),
        ("本机关全年未受理政府信息公开申请。", "申请", "件"),
        ("全年依申请公开零申请。", "申请", "件"),
        ("本年度未发生政府信息公开行政复议。", "行政复议", "件"),
        ("本年度未发生政府信息公开行政诉讼。", "行政诉讼", "件"),
        ("未出现因政府信息公开被申请行政复议的情况。", "行政复议", "件"),
        ("没有发生因政府信息公开引起的行政诉讼。", "行政诉讼", "件"),
        ("本年度无政府信息公开行政复议案件。", "行政复议", "件"),
        ("因职能限制本年度未制定面向社会的政策性文件。", "规范性文件", "件"),
        ("本年度未制发行政规范性文件。", "规范性文件", "件"),
        ("本年度未出台规章。", "规章", "件"),
        ("本年度未收取信息处理费。", "信息处理费", "元"),
        ("办理申请时未收取任何费用。", "信息处理费", "元"),
        ("本年度没有收取信息处理费。", "信息处理费", "元"),
    ],
)
def test_negation_is_a_claim_of_zero(sentence, counts, unit):
    claims = [c for c in extract_claims(sentence) if c.negated]
    assert len(claims) == 1, claims
    claim = claims[0]
    assert (claim.value, claim.qualifier, claim.kind) == (Decimal(0), "exact", "negation")
    assert (claim.counts, claim.unit) == (counts, unit)
    assert sentence[claim.start : claim.end] == claim.text


def test_review_and_litigation_together_are_two_claims():
    claims = extract_claims("本年度未发生政府信息公开行政复议、行政诉讼。")
    assert [c.counts for c in claims] == ["行政复议", "行政诉讼"]
    assert all(c.value == 0 and c.negated for c in claims)


def test_a_review_request_is_not_an_information_request():
    claims = extract_claims("本年度未收到行政复议申请。")
    assert [c.counts for c in claims] == ["行政复议"]


@pytest.mark.parametrize(
    "sentence",
    [
        "申请人无正当理由逾期不补正的，视为放弃申请。",
        "对于无法提供的申请，及时告知申请人。",
        "未经复议直接起诉的案件已审结。",
        "全年未发生泄密事件。",
        "收到申请后未及时答复的情形得到纠正。",
    ],
)
def test_negations_that_are_not_claims_of_zero(sentence):
    assert [c for c in extract_claims(sentence) if c.negated] == []
