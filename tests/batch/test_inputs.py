from pathlib import Path

from nlp.batch.inputs import content_id, expand


def _touch(path: Path, data: bytes = b"x") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def test_folders_are_walked_for_report_files_and_the_rest_is_counted(tmp_path):
    _touch(tmp_path / "a" / "r1.txt")
    _touch(tmp_path / "a" / "sub" / "r2.PDF")
    _touch(tmp_path / "a" / "old.doc")
    _touch(tmp_path / "a" / "MANIFEST.csv")
    _touch(tmp_path / "a" / "logo.png")
    found = expand([tmp_path / "a"])
    names = [Path(f).name for f in found.files]
    assert names == ["old.doc", "r1.txt", "r2.PDF"]
    assert found.passed_over == 2
    assert found.unmatched == []


def test_a_file_named_outright_is_taken_whatever_its_suffix(tmp_path):
    odd = _touch(tmp_path / "report.json")
    assert expand([odd]).files == [str(odd)]


def test_globs_expand_and_each_file_is_taken_once(tmp_path):
    first = _touch(tmp_path / "r1.txt")
    _touch(tmp_path / "r2.md")
    found = expand([str(tmp_path / "*.txt"), first, str(tmp_path / "r*")])
    assert [Path(f).name for f in found.files] == ["r1.txt", "r2.md"]


def test_arguments_that_match_nothing_are_kept(tmp_path):
    found = expand([tmp_path / "missing.txt", str(tmp_path / "none-*.pdf")])
    assert found.files == []
    assert found.unmatched == [str(tmp_path / "missing.txt"), str(tmp_path / "none-*.pdf")]


def test_content_id_depends_on_the_bytes_only(tmp_path):
    one = _touch(tmp_path / "one.txt", "报告".encode())
    two = _touch(tmp_path / "elsewhere" / "two.txt", "报告".encode())
    other = _touch(tmp_path / "three.txt", "报告。".encode())
    assert content_id(one) == content_id(two)
    assert content_id(one) != content_id(other)
    assert len(content_id(one)) == 16
