"""The byte-level pre-scan, without Spark."""

from __future__ import annotations

import bz2
import gzip
import hashlib
from pathlib import Path

from framework.engine.bronze import landing
from framework.engine.bronze.landing import scan_file, survey
from tests.helpers import write_bytes, write_csv


def test_counts_data_lines_whatever_the_line_endings(tmp_path: Path) -> None:
    for newline in ("\n", "\r\n"):
        path = write_csv(tmp_path, "s", f"f{len(newline)}.csv", ["A", "B"], [["1", "2"], ["3", "4"]], newline=newline)
        scan = scan_file(path)
        assert (scan.header, scan.data_rows, scan.crlf) == (("A", "B"), 2, newline == "\r\n")


def test_blank_lines_and_missing_final_newline(tmp_path: Path) -> None:
    path = write_bytes(tmp_path, "s", "f.csv", b"A,B\n1,2\n\n\n3,4")
    scan = scan_file(path)
    assert scan.data_rows == 2 and scan.ends_without_newline


def test_blank_lines_across_chunk_edges(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(landing, "CHUNK", 4)
    path = write_bytes(tmp_path, "s", "f.csv", b"A,B\n1,2\n\n3,4\r\n\r\n5,6\n")
    assert scan_file(path).data_rows == 3
    # chunks "A,B\n" "1\n\n\n" "2,3\n": the blank lines the second chunk holds whole are not counted again
    # where it meets the third
    path = write_bytes(tmp_path, "s", "g.csv", b"A,B\n1\n\n\n2,3\n")
    assert scan_file(path).data_rows == 2


def test_bom_empty_and_header_only(tmp_path: Path) -> None:
    bom = scan_file(write_csv(tmp_path, "s", "bom.csv", ["Id", "X"], [["1", "2"]], bom=True))
    assert bom.has_bom and bom.header == ("Id", "X") and bom.data_rows == 1
    empty = scan_file(write_bytes(tmp_path, "s", "empty.csv", b""))
    assert empty.is_empty and empty.header == () and empty.data_rows == 0
    assert scan_file(write_csv(tmp_path, "s", "h.csv", ["A"], [])).data_rows == 0


def test_invalid_utf8_lines_are_located(tmp_path: Path) -> None:
    path = write_bytes(tmp_path, "s", "f.csv", b"A,B\n1,ok\n2,Jos\xe9\n3,\xff\xfe\n")
    assert scan_file(path).invalid_utf8_lines == (3, 4)


def test_a_utf8_sequence_the_file_ends_inside_is_invalid(tmp_path: Path) -> None:
    path = write_bytes(tmp_path, "s", "f.csv", b"A,B\n1,ok\n2,Jos\xc3")
    assert scan_file(path).invalid_utf8_lines == (3,)
    path = write_bytes(tmp_path, "s", "g.csv", b"A,B\n1,ok\n2,\xff,Jos\xc3")  # and invalid before, on that line
    assert scan_file(path).invalid_utf8_lines == (3,)


def test_utf8_across_chunk_edges(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A sequence that a chunk leaves open is completed, or found invalid, by the next chunk."""
    monkeypatch.setattr(landing, "CHUNK", 4)
    # chunks "A,B\n" "1,\xc3\xa9" "\n2,\xc3" "xyz\n" "3,y\n": a valid "é", then C3 left open before ASCII
    path = write_bytes(tmp_path, "s", "f.csv", b"A,B\n1,\xc3\xa9\n2,\xc3xyz\n3,y\n")
    assert scan_file(path).invalid_utf8_lines == (3,)


def test_same_content_same_fingerprint(tmp_path: Path) -> None:
    a = scan_file(write_csv(tmp_path, "s", "a.csv", ["A"], [["1"]]))
    b = scan_file(write_csv(tmp_path, "t", "b.csv", ["A"], [["1"]]))
    c = scan_file(write_csv(tmp_path, "u", "c.csv", ["A"], [["2"]]))
    assert a.sha256 == b.sha256 != c.sha256
    # a plain file's fingerprint is taken in the counting pass: the hash of its bytes
    assert a.sha256 == hashlib.sha256(a.path.read_bytes()).hexdigest()


def test_survey_separates_known_sources_unknown_folders_and_strays(tmp_path: Path) -> None:
    write_csv(tmp_path, "patients", "patients.csv", ["Id"], [["1"]])
    write_csv(tmp_path, "patients/archive/r1", "old.csv", ["Id"], [["1"]])
    write_csv(tmp_path, "pateints", "x.csv", ["Id"], [["1"]])
    (tmp_path / "loose.csv").write_text("Id\n")
    found = survey(tmp_path, {"patients", "payers"})
    assert [p.name for p in found.files["patients"]] == ["patients.csv"]
    assert [p.name for p in found.unknown_folders] == ["pateints"]
    assert [p.name for p in found.stray_files] == ["loose.csv"]
    assert found.ignored["patients"] == []


def test_survey_takes_compressed_csv_and_names_everything_else(tmp_path: Path) -> None:
    for name in ("a.csv", "b.CSV.gz", "c.csv.bz2", "README.txt", "d.csv.zip", ".DS_Store"):
        write_bytes(tmp_path, "patients", name, b"x")
    (tmp_path / "patients" / "quarantine").mkdir()
    (tmp_path / "patients" / "more").mkdir()
    found = survey(tmp_path, {"patients"})
    assert [p.name for p in found.files["patients"]] == ["a.csv", "b.CSV.gz", "c.csv.bz2"]
    assert sorted(p.name for p in found.ignored["patients"]) == [".DS_Store", "README.txt", "d.csv.zip", "more"]


def test_compressed_files_are_counted_decompressed_and_fingerprinted_as_delivered(tmp_path: Path) -> None:
    text = b"A,B\n1,2\n3,4\n"
    for name, data in (("f.csv.gz", gzip.compress(text)), ("f.csv.bz2", bz2.compress(text))):
        path = write_bytes(tmp_path, "s", name, data)
        scan = scan_file(path)
        assert (scan.header, scan.data_rows, scan.unreadable) == (("A", "B"), 2, None)
        assert scan.sha256 == hashlib.sha256(data).hexdigest()
    broken = scan_file(write_bytes(tmp_path, "s", "broken.csv.gz", gzip.compress(text)[:-12]))
    assert broken.unreadable is not None and "cannot be decompressed" in broken.unreadable


def test_files_that_cannot_be_read_as_csv_say_why(tmp_path: Path) -> None:
    def reason(data: bytes) -> str | None:
        return scan_file(write_bytes(tmp_path, "s", "f.csv", data)).unreadable

    assert "NUL bytes" in (reason("A,B\n1,2\n".encode("utf-16")) or "")
    assert "NUL bytes" in (reason(b"PK\x03\x04\x00\x00") or "")
    assert "header line is not UTF-8" in (reason(b"A,\xe9\n1,2\n") or "")
    assert "repeated in the header: a" in (reason(b"A,B,a\n1,2,3\n") or "")
    assert reason(b"A,B\n1,Jos\xe9\n") is None  # a bad byte in a row: the row is flagged, the file read


def test_only_files_with_quoted_line_breaks_are_multiline(tmp_path: Path) -> None:
    multi = scan_file(write_bytes(tmp_path, "s", "m.csv", b'A,B\n1,"x\r\ny ""z"""\n\n2,"p,q"\n3,r\n'))
    assert multi.multiline and multi.data_rows == 3  # records: the quoted break and the blank line do not count
    quoted_header = scan_file(write_bytes(tmp_path, "s", "h.csv", b'"A","B"\n1,"x\ny"\n'))
    assert quoted_header.multiline and quoted_header.header == ("A", "B")
    one_line = scan_file(write_bytes(tmp_path, "s", "q.csv", b'A,B\n1,"x,y"\n2,z\n'))
    assert not one_line.multiline and one_line.data_rows == 2
    stray = scan_file(write_bytes(tmp_path, "s", "stray.csv", b'A,B\n1,"x\n2,y\n3,z\n'))  # never closes
    assert not stray.multiline and stray.data_rows == 3  # read line by line, each line flagged
    after = scan_file(write_bytes(tmp_path, "s", "after.csv", b'A,B\n1,"x\ny"z\n2,w\n'))  # text after the quote
    assert not after.multiline and after.data_rows == 3
    other = scan_file(write_bytes(tmp_path, "s", "o.csv", b"A;B\n1;'x\ny'\n"), delimiter=";", quote="'")
    assert other.multiline and other.quote == "'" and other.data_rows == 1
