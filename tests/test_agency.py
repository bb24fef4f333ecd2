from pathlib import Path

import pytest

import nlp
from nlp.agency import AgencyProfile, agency_keys, describe, normalise_agency, use_aliases


@pytest.mark.parametrize(
    ("name", "level", "kind"),
    [
        ("沂水县教育局", "county", "department"),
        ("临沂市兰山区教育局", "county", "department"),
        ("临沂市市场监督管理局", "city", "department"),
        ("山东省人民政府办公厅", "province", "government"),
        ("北京市海淀区人民政府", "county", "government"),
        ("淮安市洪泽区人民政府办公室", "county", "government"),
        ("某某街道办事处", "township", "department"),
        ("峨边彝族自治县人民政府", "county", "government"),
        ("国家统计局", "national", "department"),
        ("沂水县 教育局（办公室编制）", "county", "department"),
        # The four 直辖市 and their own bodies are of province level; their 区 and 县 are not.
        ("上海市人民政府办公厅", "province", "government"),
        ("上海市科学技术委员会", "province", "department"),
        ("重庆市市场监督管理局", "province", "department"),
        ("上海市浦东新区人民政府", "county", "government"),
        ("重庆市巫山县人民政府", "county", "government"),
        # A 市 named under a city is a county-level city.
        ("苏州市昆山市人民政府", "county", "government"),
        ("恩施土家族苗族自治州恩施市人民政府", "county", "government"),
        ("山东省临沂市人民政府", "city", "government"),
        # Zones are run by a management committee; the name does not give their level.
        ("平潭综合实验区管委会", None, "zone_committee"),
        ("平潭综合实验区", None, "zone_committee"),
        ("临沂经济技术开发区管理委员会", None, "zone_committee"),
    ],
)
def test_level_and_kind_come_from_the_name(name, level, kind):
    assert describe(name) == AgencyProfile(level, kind)


def test_district_and_county_are_peers_of_one_level():
    assert describe("临沂市兰山区人民政府").level == describe("沂水县人民政府").level


def test_no_name_says_nothing():
    assert describe(None) == AgencyProfile(None, None)
    assert describe("") == AgencyProfile(None, None)


def test_a_name_without_a_place_has_no_level():
    assert describe("教育局").level is None


def test_a_name_without_its_parent_place_joins_the_one_fuller_name():
    keys = agency_keys(["洪泽区人民政府", "淮安市洪泽区人民政府", "沂水县 教育局（办公室编制）"])
    assert keys["洪泽区人民政府"] == keys["淮安市洪泽区人民政府"] == "淮安市洪泽区人民政府"
    assert keys["沂水县 教育局（办公室编制）"] == "沂水县教育局"


def test_a_zone_with_and_without_its_committee_ending_is_one_agency():
    keys = agency_keys(["平潭综合实验区管委会", "平潭综合实验区"])
    assert keys["平潭综合实验区管委会"] == keys["平潭综合实验区"]


def test_a_short_name_that_several_cities_share_stays_apart():
    keys = agency_keys(["鼓楼区教育局", "南京市鼓楼区教育局", "福州市鼓楼区教育局"])
    assert keys["鼓楼区教育局"] == "鼓楼区教育局"
    assert len(set(keys.values())) == 3


def test_only_a_placed_remainder_counts_as_the_same_agency():
    assert agency_keys(["人民政府", "淮安市人民政府"])["人民政府"] == "人民政府"


@pytest.fixture
def alias_file(tmp_path: Path):
    path = tmp_path / "aliases.yaml"
    path.write_text(
        "aliases:\n"
        "  沐阳县人民政府: 沭阳县人民政府\n"
        "  某市科委: 某市科学技术委员会\n"
        "agencies:\n"
        "  平潭综合实验区: {level: city, kind: zone_committee}\n",
        encoding="utf-8",
    )
    use_aliases(path)
    yield path
    use_aliases(None)


def test_an_alias_file_names_the_agency_and_says_what_the_name_cannot(alias_file):
    assert normalise_agency("沐阳县 人民政府") == "沭阳县人民政府"
    keys = agency_keys(["沐阳县人民政府", "沭阳县人民政府"])
    assert keys["沐阳县人民政府"] == keys["沭阳县人民政府"]
    assert describe("平潭综合实验区管委会") == AgencyProfile("city", "zone_committee")


def test_without_the_alias_file_the_names_stay_apart(alias_file):
    use_aliases(None)
    assert normalise_agency("沐阳县人民政府") == "沐阳县人民政府"
    assert describe("平潭综合实验区").level is None


def test_a_wrong_level_in_the_alias_file_is_a_clear_error(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("agencies:\n  某局: {level: district}\n", encoding="utf-8")
    use_aliases(path)
    try:
        with pytest.raises(ValueError, match="level must be one of"):
            describe("某局")
    finally:
        use_aliases(None)


@pytest.mark.real
def test_every_agency_of_the_real_corpus_has_its_level_and_kind(real_corpus):
    real_reports = []
    for path in sorted(p for p in real_corpus.rglob("*") if p.suffix in {".txt", ".md", ".pdf"}):
        real_reports.append(nlp.read(path))
    expected = {
        "淮安市人民政府": ("city", "government"),
        "淮安市洪泽区人民政府": ("county", "government"),
        "洪泽区人民政府": ("county", "government"),
        "上海市科委": ("province", "department"),
        "上海市人民政府办公厅": ("province", "government"),
        "沐阳县人民政府": ("county", "government"),
        "平潭综合实验区": (None, "zone_committee"),
        "烟台市大数据局": ("city", "department"),
        "临沂市大数据局": ("city", "department"),
    }
    names = {report.agency for report in real_reports if report.agency}
    assert names <= set(expected), names - set(expected)
    for name in names:
        assert describe(name) == AgencyProfile(*expected[name]), name
    keys = agency_keys(names)
    assert keys["洪泽区人民政府"] == keys["淮安市洪泽区人民政府"]
