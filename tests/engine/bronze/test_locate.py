"""Line numbers of rescued values, found without Spark."""

from __future__ import annotations

import gzip
from pathlib import Path

from framework.engine.bronze.landing import scan_file
from framework.engine.bronze.locate import LINE, locate
from tests.helpers import write_bytes


def test_lines_of_rescued_values_by_column_and_whole_line(tmp_path: Path) -> None:
    data = b"\xef\xbb\xbfId,D\r\n1,x\r\n2,2020-01-01\r\n3,x\r\n4,x\r\n5,x\r\n6,1,2\r\n"
    scan = scan_file(write_bytes(tmp_path, "s", "f.csv", data))
    found = locate(scan, {"D": 1, LINE: None}, {"D": {"x"}, LINE: {"6,1,2"}}, ",")
    assert found == {"D": [2, 4, 5], LINE: [7]}


def test_compressed_files_are_located_too(tmp_path: Path) -> None:
    scan = scan_file(write_bytes(tmp_path, "s", "f.csv.gz", gzip.compress(b"Id,D\n1,ok\n2,bad\n")))
    assert locate(scan, {"D": 1}, {"D": {"bad"}}, ",") == {"D": [3]}


def test_records_of_multiline_files_are_named_by_their_first_line(tmp_path: Path) -> None:
    data = b'Id,D,E\n1,"a\nb",ok\n2,"bad, really",ok\n3,x\n4,"c\nd",bad\n'
    scan = scan_file(write_bytes(tmp_path, "s", "m.csv", data))
    assert scan.multiline
    found = locate(scan, {"D": 1, "E": 2, LINE: None}, {"D": {"bad, really"}, "E": {"bad"}, LINE: {"3,x"}}, ",")
    assert found == {"D": [4], "E": [6], LINE: [5]}
