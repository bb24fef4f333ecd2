"""Cross-year pairs across the ways one agency prints its name."""

from __future__ import annotations

from conftest import real_file

import nlp
from nlp.checks import check_cross_year, consecutive_pairs
from nlp.report import Report


def test_a_report_named_without_its_city_pairs_with_last_years_full_name():
    earlier = Report(source="a", agency="淮安市洪泽区人民政府", year=2023)
    later = Report(source="b", agency="洪泽区人民政府", year=2024)
    other_city = Report(source="c", agency="南京市鼓楼区人民政府", year=2023)
    assert consecutive_pairs([earlier, later, other_city]) == [(earlier, later)]


def test_hongze_2023_and_2024_are_compared_and_agree():
    reports = [
        nlp.read(real_file("kirogovcompare/hzq2023_working.pdf")),
        nlp.read(real_file("kirogovcompare/hzq2024_working.pdf")),
    ]
    assert reports[0].agency != reports[1].agency  # 洪泽区人民政府 / 淮安市洪泽区人民政府
    assert consecutive_pairs(reports) == [(reports[0], reports[1])]
    assert check_cross_year(reports) == []  # 结转 0 → 上年结转 0 in every column
