"""Every claim form of issue 14, each with a sentence that makes the claim and one that does not
(or makes another): negations, non-claims, measure words, qualifiers, changes."""

from __future__ import annotations

from decimal import Decimal

import pytest

from nlp.claims import extract_claims


def claims(sentence: str):
    return [
        (c.text, c.value, c.unit, c.qualifier, c.negated, c.kind) for c in extract_claims(sentence)
    ]


def negations(sentence: str) -> list[str | None]:
    return [c.counts for c in extract_claims(sentence) if c.negated]


# ------------------------------------------------------------------------------------ negations


@pytest.mark.parametrize(
    ("sentence", "counts"),
    [
        ("本年度收到行政复议数量：无。", ["行政复议"]),
        ("政府信息公开行政诉讼数量为0。", ["行政诉讼"]),
        ("未出现行政诉讼案件。", ["行政诉讼"]),
        ("未向申请人收取任何费用。", ["信息处理费"]),
        ("本机关未向申请人收取信息处理费。", ["信息处理费"]),
    ],
)
def test_a_negation_is_a_claim_of_zero(sentence, counts):
    assert negations(sentence) == counts
    assert all(c.value == 0 for c in extract_claims(sentence) if c.negated)


@pytest.mark.parametrize(
    "sentence",
    [
        "本年度收到行政复议数量：3件。",  # a count after the colon, not 无
        "行政复议机关：无锡市人民政府。",  # 无 begins a name
        "出现行政诉讼案件2件。",  # no negation word
        "向申请人收取复印费用20元。",  # 收取 without 未
        "未向社会公开征求意见。",  # 未向 without 收取 … 费用
    ],
)
def test_a_sentence_without_negation_makes_no_zero_claim(sentence):
    assert negations(sentence) == []


# ----------------------------------------------------------------------------------- non-claims


@pytest.mark.parametrize(
    "sentence",
    [
        "召开第四次会议，研究部署工作。",
        "学习贯彻十四届人大二次会议精神。",
        "认真落实四次全会精神。",
        "聚焦三个关键环节。",
        "开展5·15政务公开日活动。",
        "印发《实施方案》（某政办〔2023〕12号）。",
        "和群众一起座谈。",
        "联合三部门开展检查。",
    ],
)
def test_ordinals_sessions_labels_numbers_and_set_phrases_are_not_claims(sentence):
    assert claims(sentence) == []


@pytest.mark.parametrize(
    ("sentence", "value"),
    [
        ("全年召开会议四次。", 4),  # a count of meetings, after its noun
        ("开展政务公开日活动5场。", 5),
        ("印发文件12件。", 12),
        ("涉及三个部门。", 3),  # a count of departments, no enumeration
    ],
)
def test_the_same_numbers_as_counts_are_claims(sentence, value):
    assert [c[1] for c in claims(sentence)] == [Decimal(value)]


# -------------------------------------------------------------------------------- measure words


@pytest.mark.parametrize(
    ("sentence", "text", "unit"),
    [
        ("办理行政复议案件3起。", "3起", "起"),
        ("回复网民留言12则。", "12则", "则"),
        ("制定规章2部。", "2部", "部"),
        ("编制公开目录5种。", "5种", "种"),
        ("开展培训200篇次。", "200篇次", "篇次"),
        ("举办活动6场次。", "6场次", "场次"),
    ],
)
def test_measure_words_are_kept_with_the_number(sentence, text, unit):
    (claim,) = claims(sentence)
    assert (claim[0], claim[2]) == (text, unit)


@pytest.mark.parametrize("sentence", ["多种渠道公开信息。", "全部予以答复。", "一则以喜。"])
def test_measure_words_without_a_number_make_no_claim(sentence):
    assert claims(sentence) == []


# ----------------------------------------------------------------------------------- qualifiers


@pytest.mark.parametrize(
    ("sentence", "value", "qualifier"),
    [
        ("网站访问量突破100万次。", 1_000_000, "at_least"),
        ("至少有3件申请涉及同一事项。", 3, "at_least"),
        ("粉丝1万+。", 10_000, "at_least"),
        ("开展近百场宣传活动。", 100, "about"),
        ("组织上百次培训。", 100, "at_least"),
        ("开展数十次检查。", 10, "at_least"),
        ("办理申请50件以上。", 50, "at_least"),
        ("覆盖50家单位以上。", 50, "at_least"),
    ],
)
def test_qualifiers_are_read(sentence, value, qualifier):
    (claim,) = claims(sentence)
    assert (claim[1], claim[3]) == (Decimal(value), qualifier)


@pytest.mark.parametrize(
    ("sentence", "value"),
    [
        ("网站访问量100万次。", 1_000_000),
        ("有3件申请涉及同一事项。", 3),
        ("开展百场宣传活动。", None),  # 百 alone is no vague numeral
        ("开展十次检查。", 10),
        ("办理申请50件，以上均已办结。", 50),  # 以上 in another clause
    ],
)
def test_without_a_qualifier_a_number_is_exact(sentence, value):
    found = claims(sentence)
    if value is None:
        assert found == []
    else:
        assert [(c[1], c[3]) for c in found] == [(Decimal(value), "exact")]


# -------------------------------------------------------------------------------------- changes


@pytest.mark.parametrize(
    ("sentence", "value", "unit"),
    [
        ("收到申请比上年增加5件。", 5, "件"),
        ("制发文件比上年减少3项。", -3, "项"),
        ("申请量同比增长13.9%。", Decimal("13.9"), "%"),
        ("办结率下降2个百分点。", -2, "个百分点"),
    ],
)
def test_a_change_is_a_claim_of_kind_change(sentence, value, unit):
    (claim,) = claims(sentence)
    assert (claim[1], claim[2], claim[5]) == (Decimal(value), unit, "change")


@pytest.mark.parametrize(
    ("sentence", "kind"),
    [
        ("收到申请5件。", "quantity"),
        ("办结率为98.5%。", "percent"),
        ("访问量增长了两倍。", "ratio"),
    ],
)
def test_a_stock_is_no_change(sentence, kind):
    (claim,) = claims(sentence)
    assert claim[5] == kind
