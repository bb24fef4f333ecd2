import pytest

from nlp.agency import AgencyProfile, agency_keys, describe


@pytest.mark.parametrize(
    ("name", "level", "kind"),
    [
        ("沂水县教育局", "county", "department"),
        ("临沂市兰山区教育局", "district", "department"),
        ("临沂市市场监督管理局", "city", "department"),
        ("山东省人民政府办公厅", "province", "government"),
        ("北京市海淀区人民政府", "district", "government"),
        ("淮安市洪泽区人民政府办公室", "district", "government"),
        ("某某街道办事处", "township", "department"),
        ("峨边彝族自治县人民政府", "county", "government"),
        ("国家统计局", "national", "department"),
        ("沂水县 教育局（办公室编制）", "county", "department"),
    ],
)
def test_level_and_kind_come_from_the_name(name, level, kind):
    assert describe(name) == AgencyProfile(level, kind)


def test_no_name_says_nothing():
    assert describe(None) == AgencyProfile(None, None)
    assert describe("") == AgencyProfile(None, None)


def test_a_name_without_a_place_has_no_level():
    assert describe("教育局").level is None


def test_a_name_without_its_parent_place_joins_the_one_fuller_name():
    keys = agency_keys(["洪泽区人民政府", "淮安市洪泽区人民政府", "沂水县 教育局（办公室编制）"])
    assert keys["洪泽区人民政府"] == keys["淮安市洪泽区人民政府"] == "淮安市洪泽区人民政府"
    assert keys["沂水县 教育局（办公室编制）"] == "沂水县教育局"


def test_a_short_name_that_several_cities_share_stays_apart():
    keys = agency_keys(["鼓楼区教育局", "南京市鼓楼区教育局", "福州市鼓楼区教育局"])
    assert keys["鼓楼区教育局"] == "鼓楼区教育局"
    assert len(set(keys.values())) == 3


def test_only_a_placed_remainder_counts_as_the_same_agency():
    assert agency_keys(["人民政府", "淮安市人民政府"])["人民政府"] == "人民政府"
