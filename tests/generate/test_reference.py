"""One list of chronic conditions: the generator's tuple and tables/reference agree."""

from __future__ import annotations

from framework.generate.chronic import (
    CHRONIC_CODES,
    CHRONIC_CONDITIONS,
    FAMILIES,
    reference_csv_path,
    reference_csv_text,
)


def test_reference_csv_matches_the_generator_list() -> None:
    path = reference_csv_path()
    assert path.read_text(encoding="utf-8") == reference_csv_text()
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "code,description,category"
    assert [tuple(line.split(",")) for line in lines[1:]] == [tuple(c) for c in CHRONIC_CONDITIONS]


def test_codes_are_unique_and_all_used() -> None:
    assert len(CHRONIC_CODES) == len(CHRONIC_CONDITIONS)
    assert {code for family in FAMILIES for code, _ in family.codes} == CHRONIC_CODES
    required = {"44054006", "59621000", "38341003", "55822004", "195967001", "13645005", "431855005",
                "431856006", "433144002", "53741008", "88805009", "49436004", "162864005", "370143000",
                "239873007", "26929004", "230690007"}
    assert required <= CHRONIC_CODES
