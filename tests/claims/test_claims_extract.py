"""Numeric claims: numerals, units, qualifiers, exclusions, offsets, counted things.

Every sentence here is written for the tests in the style of the reports.
"""

from __future__ import annotations

import time
from decimal import Decimal

import pytest

from nlp.claims import Claim, extract_claims
from nlp.claims.link import link_claims


def only(sentence: str) -> Claim:
    claims = extract_claims(sentence)
    assert len(claims) == 1, claims
    return claims[0]


def summary(claim: Claim) -> tuple[str, str | None, str, str]:
    return str(claim.value), claim.unit, claim.qualifier, claim.kind


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("本年度共收到申请2件。", ("2", "件", "exact", "quantity")),
        ("本年度共收到申请两件。", ("2", "件", "exact", "quantity")),
        ("全年办结申请十九件。", ("19", "件", "exact", "quantity")),
        ("全年公开信息一百零八条。", ("108", "条", "exact", "quantity")),
        ("全年发布信息三千五百条。", ("3500", "条", "exact", "quantity")),
        ("门户网站发布信息1,234条。", ("1234", "条", "exact", "quantity")),
        ("门户网站发布信息１２３条。", ("123", "条", "exact", "quantity")),
        ("政务微博阅读量达1.5万次。", ("15000", "次", "exact", "quantity")),
        ("公众号关注人数3万余人。", ("30000", "人", "at_least", "quantity")),
        ("公众号关注人数3万余。", ("30000", None, "at_least", "quantity")),
        ("组织培训150人次。", ("150", "人次", "exact", "quantity")),
        ("开展督查3次。", ("3", "次", "exact", "quantity")),
        ("发稿 250 余篇。", ("250", "篇", "at_least", "quantity")),
        ("设置专栏6个。", ("6", "个", "exact", "quantity")),
        ("梳理事项十二项。", ("12", "项", "exact", "quantity")),
        ("满意率达到百分之百。", ("100", "%", "exact", "percent")),
        ("公开率为百分之三十五点五。", ("35.5", "%", "exact", "percent")),
        ("予以公开占比33.9%。", ("33.9", "%", "exact", "percent")),
        ("予以公开占比３３．９％。", ("33.9", "%", "exact", "percent")),
        ("办结率提高2.5个百分点。", ("2.5", "个百分点", "exact", "change")),
        ("网站访问量是去年3倍多。", ("3", "倍", "at_least", "ratio")),
        ("访问量增长了两倍。", ("2", "倍", "exact", "ratio")),
        ("本年收取信息处理费380元。", ("380", "元", "exact", "money")),
        ("本年收费金额0.5万元。", ("0.5", "万元", "exact", "money")),
        ("本年收费金额1,200.50元。", ("1200.5", "元", "exact", "money")),
        ("采购总金额3万余元。", ("3", "万元", "at_least", "money")),
        ("采购总金额二十万元。", ("20", "万元", "exact", "money")),
        ("采购总金额2.3亿元。", ("2.3", "亿元", "exact", "money")),
    ],
)
def test_numerals_and_units(sentence, expected):
    assert summary(only(sentence)) == expected


def test_money_is_a_decimal():
    value = only("收取费用12.35元。").value
    assert isinstance(value, Decimal)
    assert value == Decimal("12.35")


@pytest.mark.parametrize(
    ("sentence", "qualifier", "text"),
    [
        ("微信公众号发稿400余篇。", "at_least", "400余篇"),
        ("发布信息3万多条。", "at_least", "3万多条"),
        ("累计订阅超过10000人次。", "at_least", "超过10000人次"),
        ("累计订阅超过了10000人次。", "at_least", "超过了10000人次"),
        ("全年办理逾200件。", "at_least", "逾200件"),
        ("参训人员200人次以上。", "at_least", "200人次以上"),
        ("参训人员不少于50人。", "at_least", "不少于50人"),
        ("网站访问量是去年的3倍多。", "at_least", "3倍多"),
        ("官方微信发布近150条。", "about", "近150条"),
        ("官方微信发布约150条。", "about", "约150条"),
        ("官方微信发布约为150条。", "about", "约为150条"),
        ("办理答复10件左右。", "about", "10件左右"),
        ("开展活动十来次。", "about", "十来次"),
        ("平均答复时间不足10个。", "at_most", "不足10个"),
        ("依申请公开占比不到5%。", "at_most", "不到5%"),
        ("差错率控制在1%以内。", "at_most", "1%以内"),
        ("差错信息3条以下。", "at_most", "3条以下"),
        ("全年发布信息共计263件。", "exact", "共计263件"),
        ("累计上线应用达到772个。", "exact", "达到772个"),
        ("全年累计公开263件。", "exact", "263件"),
        ("应用总数达到14000余个。", "at_least", "达到14000余个"),
    ],
)
def test_qualifiers(sentence, qualifier, text):
    claim = only(sentence)
    assert claim.qualifier == qualifier
    assert claim.text == text


@pytest.mark.parametrize(
    "sentence",
    [
        "2021年，本局持续推进政务公开。",
        "统计期限自2023年1月1日起至2023年12月31日止。",
        "二〇二一年，本局持续推进政务公开。",
        "一是加强组织领导，二是健全工作制度。",
        "根据《条例》第二十条第（五）项规定办理。",
        "依据条例第三十六条作出答复。",
        "依据国办公开办函〔2021〕30号文件要求。",
        "如有疑问请联系，电话：0591-12345678。",
        "通讯地址为示例路8号，邮编：350400。",
        "1.做好政策解读工作。",
        "（1）做好政策解读工作。",
        "运用H5、5G等形式开展解读。",
        "在15个工作日内予以答复。",
        "在两个月内完成整改。",
        "全面贯彻党的二十大精神，编制十四五规划。",
        "统一规范公开目录，逐一核对。",
        "高效办成一件事，推行一次性告知。",
        "主动公开《示例市2021年实施方案》等文件。",
        "第3季度召开专题会议。",
        "发布时间为15:34。",
    ],
)
def test_exclusions_are_not_claims(sentence):
    assert extract_claims(sentence) == []


def test_a_year_before_the_count_is_not_a_claim():
    claim = only("2021年共收到申请2件。")
    assert (claim.value, claim.unit, claim.counts) == (Decimal(2), "件", "申请")


@pytest.mark.parametrize(
    ("sentence", "texts"),
    [
        ("2021年共收到申请2件。", ["2件"]),  # not 202 of 2021年
        ("1,234年后办结3件。", ["3件"]),  # not 1 of 1,234年
        ("3万年来办结12.5万件。", ["12.5万件"]),  # not 3 of 3万年
        ("截至2021 年底办结2021 件。", ["2021 件"]),
        ("共计3余年。", ["共计3余"]),  # 余 stands between: the number ends with it
    ],
)
def test_a_date_is_turned_down_whole_and_the_numbers_after_it_are_found(sentence, texts):
    assert [claim.text for claim in extract_claims(sentence)] == texts


def test_a_list_marker_before_the_count_is_not_a_claim():
    claim = only("（2）全年公开信息20条。")
    assert claim.value == Decimal(20)


SENTENCES = [
    "2023年，本局共收到政府信息公开申请２件，其中予以公开1件，不予公开1件。",
    "全年累计公开263件，其中局网站173件、新媒体 90 件，满意率达到百分之百。",
    "微博粉丝超过1.2万人次，是去年3倍多，收取费用0.5万元，未收到行政复议申请。",
    "本年度未发生政府信息公开行政复议、行政诉讼，未收取任何费用。",
]


@pytest.mark.parametrize("sentence", SENTENCES)
def test_span_text_is_the_sentence_slice(sentence):
    claims = extract_claims(sentence)
    assert claims
    for claim in claims:
        assert sentence[claim.start : claim.end] == claim.text
        assert sentence[: claim.start].endswith(claim.context)
    assert [c.start for c in claims] == sorted(c.start for c in claims)


def test_parts_of_a_whole_are_each_a_claim():
    claims = extract_claims(SENTENCES[1])
    assert [(c.value, c.unit) for c in claims] == [
        (Decimal(263), "件"),
        (Decimal(173), "件"),
        (Decimal(90), "件"),
        (Decimal(100), "%"),
    ]


@pytest.mark.parametrize(
    ("sentence", "counts"),
    [
        ("本年度共收到政府信息公开申请2件。", "申请"),
        ("全年主动公开政府信息13500条。", "政府信息"),
        ("集中发布现行有效行政规范性文件393件。", "规范性文件"),
        ("全年发布政策解读117篇。", "政策解读"),
        ("在局门户网站发稿250余篇。", "稿件"),
        ("及时公开了4次局长办公会议有关情况。", "会议"),
        ("收到网民留言12条。", "留言"),
        ("办理人大代表建议50件。", "建议提案"),
        ("全年开展活动3次。", None),
    ],
)
def test_what_is_counted(sentence, counts):
    assert only(sentence).counts == counts


def test_context_is_the_words_before_the_number_within_the_clause():
    claims = extract_claims("全年共收到政府信息公开申请2件，其中予以公开1件。")
    assert claims[0].context == "全年共收到政府信息公开申请"[-12:]
    assert claims[1].context == "其中予以公开"


def test_claim_as_a_dict():
    row = only("本年度共收到申请2件。").to_dict()
    assert row["value"] == Decimal(2)
    assert set(row) >= {"value", "unit", "qualifier", "negated", "start", "end", "text", "counts"}


def test_the_claim_locator_turns_away_no_sentence_that_holds_a_claim(monkeypatch, tmp_path):
    """The one scan that lets most sentences go (ClaimRules.claim_locator) changes no result:
    every sentence of a generated corpus, and each with its digits made full-width, gives the
    same claims as when every sentence is looked at in full."""
    import dataclasses
    import re

    import nlp
    from nlp.analysis import narrative_sentences
    from nlp.claims import extract
    from nlp.claims.rules import claim_rules
    from nlp.corpus import write_corpus

    root = write_corpus(tmp_path, 12, seed=3, inject=0.5)
    sentences = [
        s.text for path in sorted(root.glob("*.txt")) for s in narrative_sentences(nlp.read(path))
    ]
    full_width = str.maketrans("0123456789%.:", "０１２３４５６７８９％．：")
    sentences += [s.translate(full_width) for s in sentences]
    gated = [extract_claims(s) for s in sentences]
    everything = dataclasses.replace(claim_rules(), claim_locator=re.compile(""))
    monkeypatch.setattr(extract, "claim_rules", lambda: everything)
    assert [extract_claims(s) for s in sentences] == gated
    assert sum(map(bool, gated)) > len(sentences) / 10  # the corpus does hold claims


@pytest.mark.parametrize("unit", ["1 ", "1 件", "申请1 ", "〔2023〕1号", "近百场 "])
def test_extraction_and_linking_grow_linearly_on_runs_of_numbers(unit):
    """A run of numbers in one clause (a table dumped as text, a hostile file): each claim
    costs the same however long the clause, so four times the text takes about four times as
    long, never sixteen (quadratic)."""

    def seconds(repeats: int) -> float:
        text = unit * repeats
        best = float("inf")
        for _ in range(3):
            started = time.perf_counter()
            link_claims(text, extract_claims(text), "overall", 2021, "某局", "2021")
            best = min(best, time.perf_counter() - started)
        return best

    # A floor of 50 ms for the short run: below it a loaded machine's noise is the measure;
    # four times the text at ten times the time still tells linear (4) from quadratic (16).
    assert seconds(8_000) < 10 * max(seconds(2_000), 0.05)
