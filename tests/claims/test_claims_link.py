"""Linking claims to the table cells they speak of (nlp/claims/link.py, cues.yaml)."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from nlp.claims import extract_claims
from nlp.claims.link import _metrics_in, cues, link_claims


def links(sentence: str, section: str = "overall", year: int = 2021, agency: str = "某市某局"):
    return link_claims(sentence, extract_claims(sentence), section, year, agency, "2021")


def only(sentence: str, **kwargs):
    found = links(sentence, **kwargs)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    ("sentence", "metric", "cells"),
    [
        ("2021年，本机关共收到政府信息公开申请12件。", "requests_new", ("requests/new/total",)),
        ("本年度新收政府信息公开申请8件。", "requests_new", ("requests/new/total",)),
        ("全年共办结政府信息公开申请9件。", "requests_handled", ("requests/handled_total/total",)),
        (
            "上年结转政府信息公开申请2件。",
            "requests_carried_over",
            ("requests/carried_over/total",),
        ),
        ("在已办结的申请中，予以公开5件。", "requests_granted", ("requests/granted/total",)),
        ("在已办结的申请中，部分公开3件。", "requests_partial", ("requests/partial/total",)),
        ("在已办结的申请中，不予公开2件。", "requests_denied", ("requests/denied.*/total",)),
        ("本年度制发行政规范性文件6件。", "normative_issued", ("active/normative_docs/issued",)),
        ("全年作出行政许可决定120件。", "licensing", ("active/licensing/decisions",)),
        ("全年涉及政府信息公开的行政复议3件。", "review_total", ("review/review/total",)),
        (
            "全年发生政府信息公开行政诉讼4件。",
            "litigation_total",
            ("review/litigation_direct/total", "review/litigation_after_review/total"),
        ),
        (
            "因政府信息公开被直接提起行政诉讼2件。",
            "litigation_direct",
            ("review/litigation_direct/total",),
        ),
    ],
)
def test_each_cue_family_links_to_its_cells(sentence, metric, cells):
    link = only(sentence)
    assert link.metric == metric
    assert link.cells == cells
    assert link.kind == "cell"


def test_a_full_link_with_unit_and_counted_thing_is_strong():
    link = only("2021年，本机关共收到政府信息公开申请12件。")
    assert link.strong and link.score >= 0.7
    assert link.scope is None


def test_a_cue_without_the_counted_thing_is_weak():
    link = only("本年度共收到8件，已全部处理完毕。", section="other")
    assert link.metric == "requests_new"
    assert not link.strong


def test_a_blocking_word_prevents_the_link():
    assert links("人大建议和政协提案，本年度共收到8件，已全部答复完毕。", section="other") == []


def test_a_bare_clause_takes_the_cue_of_the_clause_before():
    found = links("新收申请数：10件；办结数：17件。")
    assert [(link.metric, float(link.claim.value)) for link in found] == [
        ("requests_new", 10.0),
        ("requests_handled", 17.0),
    ]
    assert all(link.strong for link in found)


def test_numbers_of_other_things_are_not_linked():
    assert links("全年通过门户网站主动公开各类政府信息260条。") == []
    assert links("累计上线高频应用达到 772 个，一链办理 51 个。") == []


def test_negation_links_to_the_denied_metric_as_zero():
    link = only("2021年，本机关未收到政府信息公开申请。")
    assert link.metric == "requests_new"
    assert link.claim.negated and link.claim.value == 0
    assert link.strong


def test_negation_of_an_outcome_is_not_a_count_of_zero():
    assert links("全年未发生因依申请公开被行政复议纠错或行政诉讼败诉情形。") == []


def test_office_speaking_for_a_government_is_scoped():
    link = only(
        "2024年，区政府办代表区政府受理政府信息公开申请17件。",
        year=2024,
        agency="淮安市洪泽区人民政府",
    )
    assert link.metric == "requests_new"
    assert "代表" in link.scope and "区政府办" in link.scope


def test_other_years_are_skipped_and_changes_link_only_as_changes():
    assert links("2020年共收到政府信息公开申请30件。", year=2021) == []
    (change,) = links("收到政府信息公开申请较上年增加5件。")
    assert (change.kind, change.metric, change.claim.value) == ("change", "requests_new", 5)


@pytest.mark.parametrize(
    ("sentence", "metric", "value"),
    [
        ("全年收到政府信息公开申请15件，比上年增加3件。", "requests_new", 3),
        ("全年共办结政府信息公开申请20件，比上年减少2件。", "requests_handled", -2),
        ("收到政府信息公开申请同比增长13.9%。", "requests_new", Decimal("13.9")),
        ("2021年收到政府信息公开申请比2020年增加3件。", "requests_new", 3),
    ],
)
def test_a_change_links_to_the_metric_it_changes(sentence, metric, value):
    (change,) = [link for link in links(sentence, year=2021) if link.kind == "change"]
    assert (change.metric, change.claim.value, change.strong) == (metric, value, True)


@pytest.mark.parametrize(
    "sentence",
    [
        "2020年收到政府信息公开申请比2019年增加3件。",  # the change of another year
        "网站发布信息比上年增加30条。",  # no metric of the tables
    ],
)
def test_a_change_of_another_year_or_thing_links_to_nothing(sentence):
    assert [link for link in links(sentence, year=2021) if link.kind == "change"] == []


def test_a_change_of_percentage_points_links_to_its_rate():
    (change,) = [link for link in links("办结率比上年提高2个百分点。") if link.kind == "change"]
    assert change.metric == "handled_rate" and change.per


def test_information_processing_fees_never_link_to_table_two():
    assert links("全年收取政府信息公开信息处理费0元。", section="other") == []


def test_handled_rate_is_computed_from_the_table():
    found = links("全年共办结政府信息公开申请9件，办结率100%。")
    rate = [link for link in found if link.kind == "rate"]
    assert rate and rate[0].metric == "handled_rate"
    assert rate[0].max_severity == "warning"


def test_on_time_rates_are_not_the_tables():
    found = links("全年依申请公开答复按期办结率为100%。")
    assert [link for link in found if link.kind == "rate"] == []


def test_a_bare_clause_takes_a_cue_after_the_number_before_earlier_clauses():
    found = links("本年度收到政府信息公开申请30件，另有3件顺延至下一年度办理。")
    assert [(x.metric, float(x.claim.value)) for x in found] == [
        ("requests_new", 30.0),
        ("requests_carried_forward", 3.0),
    ]
    assert found[1].score < found[0].score  # a cue after the number is weaker than before it


def test_a_blocking_word_in_the_clause_before_a_bare_clause_prevents_the_link():
    # 咨询 stands in the clause before 共计 12 件, where the cue 收到 is found.
    assert links("收到群众咨询，共计12件。", section="other") == []
    assert links("收到政府信息公开申请，共计12件。")[0].metric == "requests_new"


def test_a_cue_in_an_earlier_clause_scores_less_the_further_back():
    near, far = links("收到申请，共计12件。"), links("收到申请，办理中，共计12件。")
    assert near[0].score > far[0].score


def test_a_number_holding_a_comma_keeps_its_whole_clause():
    # 1,234 holds a clause stop: the number's clause runs past it.
    link = only("全年共收到政府信息公开申请1,234件，")
    assert float(link.claim.value) == 1234.0
    assert link.metric == "requests_new"


def test_scope_words_are_listed_in_vocabulary_order_once():
    link = only("本部门代表所属单位，全年共收到政府信息公开申请12件。")
    assert link.scope == "代表、本部门、所属"


@pytest.mark.parametrize(
    "text",
    ["2021年", "在2021 年", "12021年", "a2020年", "1999年与2000年", "2019", "２０２１年", "3020年"],
)
def test_the_year_pattern_finds_what_a_leading_lookbehind_would(text):
    plain = re.compile(r"(?<!\d)((?:19|20)\d\d)\s*年")
    found = [(m.start(), m.group(1)) for m in cues().year.finditer(text)]
    assert found == [(m.start(), m.group(1)) for m in plain.finditer(text)]


def test_the_metrics_a_window_is_searched_for_hold_every_metric_with_a_cue_in_it():
    windows = ["本年度新收到申请", "予以公开和部分公开", "被直接提起行政诉讼", "公民个人", "其他"]
    vocab = cues()
    for window in windows:
        tried = _metrics_in(window, vocab)
        assert [m for m in vocab.metrics if m.cues.search(window)] == [
            m for m in tried if m.cues.search(window)
        ]
    assert _metrics_in("其他", vocab) == ()


@pytest.mark.parametrize(
    "window",
    [
        "本年度新收到申请",
        "未收到申请",
        "不掌握等",
        "全年公开信息",
        "其他",
        "",
        "予以公开和部分公开",
    ],
)
def test_any_cue_finds_a_window_where_some_metric_has_a_cue(window):
    vocab = cues()
    found = vocab.any_cue.search(window) is not None
    assert found == any(metric.cues.search(window) for metric in vocab.metrics)


@pytest.mark.parametrize(
    ("sentence", "metric"),
    [
        ("依申请公开数量不多，全年6件，已全部办理完毕。", "requests_new"),
        ("本年度办结政府信息公开申请数量比上年减少5件。", "requests_handled"),
        ("全年收到政府信息公开申请数量比上年减少5件。", "requests_new"),
    ],
)
def test_the_count_a_quantity_word_names_is_linked(sentence, metric):
    (link,) = links(sentence)
    assert link.metric == metric and link.strong
