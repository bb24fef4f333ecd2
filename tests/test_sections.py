"""Sections and metadata: synthetic texts for each hard case, then every real report."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from nlp.report import SECTION_KEYS
from nlp.sections import Metadata, clean_text, metadata, split_sections

SIX = ("overall", "active", "requests", "review", "problems", "other")

PREAMBLE = (
    "示例市示例局2023年政府信息公开工作年度报告\n"
    "本报告包括总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、"
    "政府信息公开行政复议和行政诉讼情况、存在的主要问题及改进情况、其他需要报告的事项等六个部分。"
    "本报告所列数据的统计期限自2023年1月1日起至2023年12月31日止。\n"
)
OVERALL = (
    "一、总体情况\n"
    "2023年，示例局持续推进政务公开。\n"
    "（一）主动公开情况。全年公开信息120条。\n"
    "（二）依申请公开情况。全年收到申请3件。\n"
)
ACTIVE = (
    "二、主动公开政府信息情况\n信息内容\t本年制发件数\t本年废止件数\t现行有效件数\n规章\t0\t0\t0\n"
)
REQUESTS = (
    "三、收到和处理政府信息公开申请情况\n"
    "一、本年新收政府信息公开申请数量\t3\t0\t0\t0\t0\t0\t3\n"
    "三、本年度办理结果\t（一）予以公开\t2\t0\t0\t0\t0\t0\t2\n"
    "四、结转下年度继续办理\t1\t0\t0\t0\t0\t0\t1\n"
)
REVIEW = "四、政府信息公开行政复议、行政诉讼情况\n行政复议\t行政诉讼\n0\t0\t0\t0\t0\t0\t0\t0\n"
PROBLEMS = "五、存在的主要问题及改进情况\n公开意识还需增强。下一步将加强培训。\n"
OTHER = "六、其他需要报告的事项\n本年度未收取信息处理费。\n"
REPORT = PREAMBLE + OVERALL + ACTIVE + REQUESTS + REVIEW + PROBLEMS + OTHER


def codes(split) -> list[str]:
    return [w.code for w in split.warnings]


def compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


# --- clean_text ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "footer",
    ["- 1 -", "— 2 —", "-1-", "第 3 页", "第3页 共7页", "  －12－  ", "正文", "===== 正文 ====="],
)
def test_clean_text_drops_page_furniture_lines(footer):
    assert clean_text(f"规章\t1\n{footer}\n规范性文件\t2") == "规章\t1\n规范性文件\t2"


def test_clean_text_keeps_figures_and_running_text():
    text = "行政许可\n1\n本页共3页的说明。一、总体情况 - 1 - 仍在一行"
    assert clean_text(text) == text


# --- split_sections: the ordinary case and the traps --------------------------------------


def test_six_sections_and_preamble_in_document_order():
    split = split_sections(REPORT)
    assert list(split.sections) == list(SECTION_KEYS)
    assert split.sections["overall"] == OVERALL.strip()
    assert split.sections["other"] == OTHER.strip()
    assert split.warnings == []
    for key, (start, end) in split.spans.items():
        assert split.text[start:end] == split.sections[key]
    starts = [split.spans[k][0] for k in SECTION_KEYS]
    assert starts == sorted(starts)


def test_preamble_list_of_section_names_is_not_a_heading():
    split = split_sections(REPORT)
    assert "六个部分" in split.sections["preamble"]
    assert split.sections["overall"].startswith("一、总体情况")


def test_table_three_row_labels_are_not_headings():
    requests = split_sections(REPORT).sections["requests"]
    assert "三、本年度办理结果" in requests
    assert "四、结转下年度继续办理" in requests
    assert split_sections(REPORT).sections["review"].startswith("四、政府信息公开行政复议")


def test_sub_heading_about_active_disclosure_stays_in_overall():
    split = split_sections(REPORT)
    assert "（一）主动公开情况" in split.sections["overall"]
    assert split.sections["active"].startswith("二、主动公开政府信息情况")


def test_footer_inside_a_table_section_is_removed():
    text = REPORT.replace("规章\t0\t0\t0\n", "规章\t0\t0\t0\n— 2 —\n")
    active = split_sections(text).sections["active"]
    assert "2 —" not in active
    assert active.endswith("规章\t0\t0\t0")


# --- split_sections: heading variants ------------------------------------------------------


def test_spaced_out_headings_match():
    text = REPORT.replace("一、总体情况", "一 、 总 体 情 况").replace(
        "三、收到和处理政府信息公开申请情况", "三 、收 到 和 处 理 政 府 信 息 公 开 申 请 情 况"
    )
    split = split_sections(text)
    assert set(SIX) <= set(split.sections)
    assert split.sections["overall"].startswith("一 、 总 体 情 况")
    assert split.sections["requests"].startswith("三 、收 到")


def test_heading_split_over_two_lines():
    text = REPORT.replace(
        "三、收到和处理政府信息公开申请情况", "三、收到和处理政府信息公开\n申请情况"
    )
    split = split_sections(text)
    assert split.sections["requests"].startswith("三、收到和处理政府信息公开\n申请情况")
    assert split.sections["active"].endswith("规章\t0\t0\t0")


def test_markdown_headings_include_their_marks():
    text = REPORT
    for heading in (
        "一、总体情况",
        "二、主动公开",
        "三、收到和处理",
        "四、政府信息公开行政",
        "五、存在",
    ):
        text = text.replace(f"\n{heading}", f"\n## {heading}")
    split = split_sections(text)
    assert set(SIX) <= set(split.sections)
    assert split.sections["overall"].startswith("## 一、总体情况")
    assert not split.sections["preamble"].endswith("#")


def test_heading_variants_of_older_formats():
    text = (
        REPORT.replace("一、总体情况", "一、概述")
        .replace(
            "四、政府信息公开行政复议、行政诉讼情况",
            "四、因政府信息公开申请行政复议、提起行政诉讼的情况",
        )
        .replace("五、存在的主要问题及改进情况", "五、政府信息公开工作存在的主要问题和改进措施")
    )
    split = split_sections(text)
    assert set(SIX) <= set(split.sections)
    assert split.sections["review"].startswith("四、因政府信息公开申请行政复议")


def test_renumbered_report_maps_by_meaning_and_keeps_extra_narrative_in_overall():
    text = (
        PREAMBLE
        + OVERALL
        + "二、工作机制保障\n设立协调小组。\n"
        + "三、主动公开工作情况\n全年发布信息393件。\n"
        + "四、政府信息公开申请情况\n全年收到申请34件。\n"
        + ACTIVE.replace("二、", "一、")
        + REQUESTS.replace("三、收到", "二、收到")
        + REVIEW.replace("四、", "三、")
        + PROBLEMS.replace("五、", "四、")
        + OTHER.replace("六、", "五、")
    )
    split = split_sections(text)
    assert set(SIX) <= set(split.sections)
    assert "二、工作机制保障" in split.sections["overall"]
    assert "四、政府信息公开申请情况" in split.sections["overall"]
    assert split.sections["active"].startswith("一、主动公开政府信息情况")
    assert split.sections["requests"].startswith("二、收到和处理")
    assert split.warnings == []


def test_lost_problems_heading_is_recovered_from_content():
    text = REPORT.replace(
        "五、存在的主要问题及改进情况\n", "（一）2023年工作中存在问题的改进情况\n"
    )
    split = split_sections(text)
    assert split.sections["problems"].startswith("（一）2023年工作中存在问题的改进情况")
    assert split.sections["review"].endswith("0\t0\t0\t0\t0\t0\t0\t0")
    assert codes(split) == ["sections.recovered_heading"]


def test_unnumbered_title_opening_a_sentence_is_not_a_heading():
    problems = PROBLEMS + "其他需要报告的事项已在总体情况中一并说明。\n"
    split = split_sections(REPORT.replace(PROBLEMS, problems))
    assert "一并说明" in split.sections["problems"]
    assert split.sections["other"] == OTHER.strip()


def test_unnumbered_heading_alone_on_its_line_counts():
    split = split_sections(REPORT.replace("六、其他需要报告的事项", "其他需要报告的事项"))
    assert split.sections["other"].startswith("其他需要报告的事项\n")
    assert split.warnings == []


def test_part_numbering_and_arabic_numbering():
    text = REPORT.replace("一、总体情况", "第一部分 总体情况").replace("二、主动", "2. 主动")
    split = split_sections(text)
    assert split.sections["overall"].startswith("第一部分 总体情况")
    assert split.sections["active"].startswith("2. 主动公开政府信息情况")


def test_missing_section_is_reported_by_name():
    split = split_sections(REPORT.replace(OTHER, ""))
    assert "other" not in split.sections
    assert codes(split) == ["sections.missing"]
    assert "other" in split.warnings[0].message


def test_lost_problems_heading_without_problem_talk_is_missing_not_invented():
    split = split_sections(REPORT.replace("五、存在的主要问题及改进情况\n", ""))
    assert "problems" not in split.sections
    assert "公开意识还需增强" in split.sections["review"]
    assert codes(split) == ["sections.missing"]


def test_section_out_of_order_is_kept_and_reported():
    text = PREAMBLE + OVERALL + REQUESTS + ACTIVE + REVIEW + PROBLEMS + OTHER
    split = split_sections(text)
    assert set(SIX) <= set(split.sections)
    assert split.spans["requests"][0] < split.spans["active"][0]
    assert split.sections["requests"].rstrip().endswith("1\t0\t0\t0\t0\t0\t1")
    assert codes(split) == ["sections.out_of_order"]


def test_text_without_any_heading_is_all_preamble_and_six_warnings():
    split = split_sections("这是一段没有任何章节标题的文字。")
    assert list(split.sections) == ["preamble"]
    assert codes(split) == ["sections.missing"] * 6


def test_empty_text_does_not_crash():
    split = split_sections("")
    assert split.sections == {}
    assert len(split.warnings) == 6


# --- one-line web pages --------------------------------------------------------------------

ONE_LINE = (
    "标题: 示例区2021年度政府信息公开工作年度报告\n发布时间: 2022-02-08\n"
    "本报告包括总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、"
    "因政府信息公开申请行政复议、提起行政诉讼的情况、存在的主要问题及改进情况和其他需要报告的事项等六个部分。"
    "统计期限自2021年1月1日起至2021年12月31日止。联系电话：0591-1234567。"
    "一、总体情况2021年，我区推进政务公开。（一）主动公开情况。公开信息50条。"
    "二、主动公开政府信息情况第二十条第（一）项信息内容本年制发件数规章000"
    "行政事业性收费24252.31三、收到和处理政府信息公开申请情况一、本年新收政府信息公开申请数量7000007"
    "三、本年度办理结果（一）予以公开5000005四、结转下年度继续办理1000001"
    " 四、政府信息公开行政复议、行政诉讼情况行政复议行政诉讼000000000000000"
    "五、存在的主要问题及改进情况（一）存在的主要问题:解读形式单一。"
    "六、其他需要报告的事项 无其他需要报告的事项"
)


def test_one_line_page_finds_all_six_glued_headings():
    split = split_sections(ONE_LINE)
    assert list(split.sections) == list(SECTION_KEYS)
    assert split.sections["overall"].startswith("一、总体情况2021年")
    assert split.sections["preamble"].endswith("0591-1234567。")
    assert split.sections["active"].endswith("24252.31")
    assert split.sections["requests"].endswith("四、结转下年度继续办理1000001")
    assert split.sections["review"].startswith("四、政府信息公开行政复议")
    assert split.sections["other"] == "六、其他需要报告的事项 无其他需要报告的事项"
    assert split.warnings == []


def test_one_line_page_cross_reference_to_a_section_is_not_its_heading():
    text = ONE_LINE.replace("公开信息50条。", "公开信息50条，详见本报告二、主动公开政府信息情况。")
    split = split_sections(text)
    assert "详见本报告二、主动公开政府信息情况" in split.sections["overall"]
    assert split.sections["active"].startswith("二、主动公开政府信息情况第二十条")


def test_one_line_page_metadata():
    assert metadata(ONE_LINE) == Metadata("示例区", 2021, ("2021-01-01", "2021-12-31"))


# --- metadata ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("head", "agency", "year"),
    [
        ("临沂市大数据局 2021 年政府信息公开工作年度报告\n\n一、总体情况", "临沂市大数据局", 2021),
        ("2024 年上海市科委政府信息公开工作\n年度报告\n根据", "上海市科委", 2024),
        ("\n\n烟台市大数据局\n\n2020 年政府信息公开工作年度报告\n\n根据", "烟台市大数据局", 2020),
        ("淮安市洪泽区人民政府\n2024 年政府信息公开工作年度报告", "淮安市洪泽区人民政府", 2024),
        ("# 某县人民政府 2025 年 政府信息公开工作年度报告\n\n某县人民政府", "某县人民政府", 2025),
        ("正文\n示例市交通运输局2021年度政府信息公开工作年度报告", "示例市交通运输局", 2021),
        ("示例市统计局二〇二二年政府信息公开工作年度报告", "示例市统计局", 2022),
        ("示例市统计局２０２２年政府信息公开工作年度报告", "示例市统计局", 2022),
    ],
)
def test_agency_and_year_from_title(head, agency, year):
    meta = metadata(head)
    assert (meta.agency, meta.year) == (agency, year)


@pytest.mark.parametrize(
    ("sentence", "period"),
    [
        ("统计期限自2021年1月1日起至2021年12月31日止。", ("2021-01-01", "2021-12-31")),
        ("数据的统计周期为 2024 年 1 月 1 日至 12 月 31 日。", ("2024-01-01", "2024-12-31")),
        ("统计时限为2022年1月1日至2022年12月31日。", ("2022-01-01", "2022-12-31")),
        ("统计期限自 2023 年 1 月 1\n日起至 2023 年 12 月 31 日止", ("2023-01-01", "2023-12-31")),
    ],
)
def test_statistical_period(sentence, period):
    assert metadata("某报告\n" + sentence).period == period


def test_year_falls_back_to_the_statistical_period():
    meta = metadata("年度工作情况说明\n本报告统计期限为2023年1月1日至2023年12月31日。")
    assert meta.agency is None
    assert meta.year == 2023


def test_no_title_and_no_period_gives_empty_metadata():
    assert metadata("一、总体情况\n我局推进公开。") == Metadata(None, None, None)


def test_metadata_reuses_a_given_split():
    split = split_sections(REPORT)
    assert metadata("", split) == Metadata("示例市示例局", 2023, ("2023-01-01", "2023-12-31"))


# --- the real corpus -----------------------------------------------------------------------

# What each report's agency (as printed in its title) must contain; 沭阳 is OCR'd as 沐阳.
AGENCY_PART = {
    "seeds/000": "烟台市大数据局",
    "seeds/002": "临沂市大数据局",
    "kirogovcompare/kewei": "上海市科委",
    "kirogovcompare/shanghai-office": "上海市人民政府办公厅",
    "kirogovcompare/沭阳": "阳县人民政府",
    "kirogovcompare/hzq": "洪泽区人民政府",
    "govnianbao/szfgs": "淮安市人民政府",
    "pingtan/": "平潭综合实验区",
}
# Reports whose 五 heading is lost (the MANIFEST notes it for shanghai-office).
LOST_PROBLEMS_HEADING = ("kirogovcompare/kewei", "kirogovcompare/shanghai-office")
PARTIAL = {"govnianbao/section3_raw_text.txt"}
HEADING = {
    "overall": r"[#\s]*一、总体情况",
    "active": r"[#\s]*[一二]、主动公开政府信息情况",
    "requests": r"[#\s]*[二三]、收到和处理政府信息公开申请情况",
    "review": r"[#\s]*[三四]、政府信息公开行政法?复议、行政诉讼情况",
    "problems": r"[#\s]*五、(政府信息公开工作)?存在的主要问题及改进情况",
    "other": r"[#\s]*[五六]、其他需要报告的事项",
}
FOOTER = re.compile(r"^\s*[-—]\s*\d+\s*[-—]\s*$", re.MULTILINE)


def _manifest(corpus: Path) -> dict[str, dict[str, str]]:
    with open(corpus / "MANIFEST.csv", encoding="utf-8") as f:
        return {row["file"]: row for row in csv.DictReader(f)}


def _real_reports(corpus: Path) -> list[str]:
    manifest = _manifest(corpus)
    return sorted(
        name
        for name in manifest
        if Path(name).suffix in {".txt", ".md", ".pdf"} and name not in PARTIAL
    )


def _read(path: Path) -> str:
    if path.suffix != ".pdf":
        return path.read_text(encoding="utf-8-sig")
    pdfplumber = pytest.importorskip("pdfplumber")
    with pdfplumber.open(path) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


@pytest.mark.real
def test_real_corpus_has_every_kind_of_report(real_corpus):
    names = _real_reports(real_corpus)
    assert len(names) == 15
    assert all(any(n.startswith(k) for k in AGENCY_PART) for n in names)


@pytest.mark.real
def test_real_reports_split_into_six_sections_without_taking_the_traps(real_corpus):
    failures = []
    for name in _real_reports(real_corpus):
        text = _read(real_corpus / name)
        split = split_sections(text)
        missing = [k for k in SIX if k not in split.sections]
        if missing:
            failures.append(f"{name}: missing {missing}")
            continue
        lost = name.startswith(LOST_PROBLEMS_HEADING)
        for key, pattern in HEADING.items():
            if key == "problems" and lost:
                continue
            if not re.match(pattern, split.sections[key]):
                failures.append(f"{name}: {key} starts {split.sections[key][:30]!r}")
        starts = [split.spans[k][0] for k in SIX]
        if starts != sorted(starts):
            failures.append(f"{name}: sections out of document order")
        if "结转下年度继续办理" not in compact(split.sections["requests"]):
            failures.append(f"{name}: requests lacks its last row")
        if FOOTER.search(split.text):
            failures.append(f"{name}: page footer left in the text")
        expected_warnings = ["sections.recovered_heading"] if lost else []
        if codes(split) != expected_warnings:
            failures.append(f"{name}: warnings {codes(split)}")
    assert failures == []


@pytest.mark.real
def test_real_reports_metadata_matches_manifest(real_corpus):
    failures = []
    for name, row in _manifest(real_corpus).items():
        if name not in _real_reports(real_corpus):
            continue
        meta = metadata(_read(real_corpus / name))
        part = next(v for k, v in AGENCY_PART.items() if name.startswith(k))
        if meta.year != int(row["year"]) or part not in (meta.agency or ""):
            failures.append(f"{name}: {meta}")
        if meta.period and meta.period != (f"{row['year']}-01-01", f"{row['year']}-12-31"):
            failures.append(f"{name}: period {meta.period}")
    assert failures == []


@pytest.mark.real
def test_real_lost_problems_heading_recovered(real_corpus):
    text = (real_corpus / "kirogovcompare/shanghai-office-sample-source.md").read_text("utf-8")
    split = split_sections(text)
    assert "sections.recovered_heading" in codes(split)
    # the review table's last figures stay in review, the narrative goes to problems
    assert compact(split.sections["review"]).count("|22|") == 1
    assert "改进" in split.sections["problems"][:40]
    assert "行政复议" not in split.sections["problems"][:40]


@pytest.mark.real
def test_real_renumbered_report_keeps_extra_sections_in_overall(real_corpus):
    text = (real_corpus / "kirogovcompare/kewei-2024-source.md").read_text("utf-8")
    split = split_sections(text)
    assert "工作机制保障" in split.sections["overall"]
    assert "政府信息公开平台建设" in split.sections["overall"]
    assert split.sections["active"].startswith("一、主动公开政府信息情况")


@pytest.mark.real
def test_real_one_line_pages_keep_table_rows_in_their_sections(real_corpus):
    for page in sorted(real_corpus.glob("pingtan/*/page.txt")):
        split = split_sections(page.read_text("utf-8"))
        assert split.sections["active"].count("第二十条") >= 4, page
        assert "本年新收政府信息公开申请数量" in split.sections["requests"], page
        assert "本年新收政府信息公开申请数量" not in split.sections["active"], page


def test_markdown_title_split_over_two_headings():
    from nlp.sections import metadata

    meta = metadata("# 某某区统计局\n\n# 2021年政府信息公开工作年度报告\n\n一、总体情况\n正文。\n")
    assert meta.agency == "某某区统计局"
    assert meta.year == 2021


SUB_HEADED = """某区教育局2023年政府信息公开工作年度报告
{one}总体情况
本年度，我局扎实推进政务公开。
{a}主动公开政府信息情况
本年度主动公开各类信息120条。
{b}依申请公开政府信息情况
本年度共收到政府信息公开申请5件。
{c}政府信息管理
严格落实保密审查。
{two}主动公开政府信息情况
规章\t0\t0\t0
{three}收到和处理政府信息公开申请情况
总计\t1\t0\t0\t0\t0\t0\t1
{four}政府信息公开行政复议、行政诉讼情况
0\t0\t0\t0\t0
{five}存在的主要问题及改进情况
公开质量有待提高。
{six}其他需要报告的事项
无。"""

OUTLINES = {
    "chinese numerals over bracketed parts": (
        "一、",
        "二、",
        "三、",
        "四、",
        "五、",
        "六、",
        "（一）",
        "（二）",
        "（三）",
    ),
    "parts over arabic items": (
        "第一部分 ",
        "第二部分 ",
        "第三部分 ",
        "第四部分 ",
        "第五部分 ",
        "第六部分 ",
        "1.",
        "2.",
        "3.",
    ),
    "bracketed sections over arabic items": (
        "（一）",
        "（二）",
        "（三）",
        "（四）",
        "（五）",
        "（六）",
        "1.",
        "2.",
        "3.",
    ),
    "unnumbered sections over bracketed parts": (
        "",
        "",
        "",
        "",
        "",
        "",
        "（一）",
        "（二）",
        "（三）",
    ),
}


OUTLINE_SLOTS = ("one", "two", "three", "four", "five", "six", "a", "b", "c")


def sub_headed(outline: tuple[str, ...]) -> str:
    """SUB_HEADED numbered by `outline`: the six section numbers, then the three sub-headings'."""
    return SUB_HEADED.format(**dict(zip(OUTLINE_SLOTS, outline, strict=True)))


@pytest.mark.parametrize("outline", OUTLINES.values(), ids=OUTLINES.keys())
def test_sub_headings_worded_like_section_titles_stay_in_overall(outline):
    two, three = outline[1:3]
    split = split_sections(sub_headed(outline))
    assert "本年度共收到政府信息公开申请5件" in split.sections["overall"]
    assert split.sections["active"].split("\n")[0] == f"{two}主动公开政府信息情况"
    assert split.sections["requests"].split("\n")[0] == f"{three}收到和处理政府信息公开申请情况"
    assert split.sections["active"].endswith("规章\t0\t0\t0")
    assert not [w for w in split.warnings if w.code == "sections.out_of_order"]


def test_section_spans_give_back_the_section_text():
    text = sub_headed(OUTLINES["chinese numerals over bracketed parts"])
    split = split_sections(text)
    assert set(split.spans) == set(split.sections)
    for key, (start, end) in split.spans.items():
        assert split.text[start:end] == split.sections[key]


def test_sections_and_sub_headings_in_the_same_style_follow_the_section_numbers():
    text = sub_headed(
        ("（一）", "（二）", "（三）", "（四）", "（五）", "（六）", "（一）", "（二）", "（三）")
    )
    split = split_sections(text)
    assert "本年度共收到政府信息公开申请5件" in split.sections["overall"]
    assert split.sections["active"].startswith("（二）主动公开政府信息情况\n规章")
    assert split.sections["requests"].startswith("（三）收到和处理政府信息公开申请情况")
