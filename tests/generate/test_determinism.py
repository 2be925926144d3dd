"""Same inputs, same bytes; delivery K does not depend on how many deliveries were asked for."""

from __future__ import annotations

from pathlib import Path

import pytest

from framework.generate import SOURCES, generate


def _contents(landing: Path) -> dict[str, bytes]:
    return {str(p.relative_to(landing)): p.read_bytes() for p in sorted(landing.rglob("*.csv"))}


def test_two_runs_are_byte_identical(tmp_path: Path) -> None:
    generate(tmp_path / "a", patients=25, seed=5, deliveries=2)
    generate(tmp_path / "b", patients=25, seed=5, deliveries=2)
    a, b = _contents(tmp_path / "a"), _contents(tmp_path / "b")
    assert a and a == b


def test_rerun_into_the_same_folder_gives_the_same_files(tmp_path: Path) -> None:
    generate(tmp_path, patients=10, seed=5)
    first = _contents(tmp_path)
    generate(tmp_path, patients=10, seed=5)
    assert _contents(tmp_path) == first


def test_another_seed_gives_other_data(tmp_path: Path) -> None:
    generate(tmp_path / "a", patients=10, seed=1)
    generate(tmp_path / "b", patients=10, seed=2)
    a, b = tmp_path / "a" / "patients" / "patients.csv", tmp_path / "b" / "patients" / "patients.csv"
    assert a.read_bytes() != b.read_bytes()


def test_delivery_k_does_not_depend_on_n(tmp_path: Path) -> None:
    generate(tmp_path / "three", patients=20, seed=9, deliveries=3)
    generate(tmp_path / "five", patients=20, seed=9, deliveries=5)
    generate(tmp_path / "alone", patients=20, seed=9, delivery=2)
    compared = 0
    for source in SOURCES:
        name = f"{source}.delivery-02.csv"
        three = tmp_path / "three" / source / name
        five = tmp_path / "five" / source / name
        alone = tmp_path / "alone" / source / f"{source}.csv"
        assert three.exists() == five.exists() == alone.exists(), source
        if three.exists():
            assert three.read_bytes() == five.read_bytes() == alone.read_bytes(), source
            compared += 1
    assert compared >= 12


def test_file_naming(tmp_path: Path) -> None:
    report = generate(tmp_path / "series", patients=5, seed=1, deliveries=2)
    names = sorted(p.name for p in (tmp_path / "series" / "patients").iterdir())
    assert names == ["patients.delivery-01.csv", "patients.delivery-02.csv"]
    assert report.deliveries == (1, 2)
    generate(tmp_path / "one", patients=5, seed=1, delivery=2)
    assert [p.name for p in (tmp_path / "one" / "patients").iterdir()] == ["patients.csv"]


def test_bad_arguments(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        generate(tmp_path, patients=5, deliveries=0)
    with pytest.raises(ValueError):
        generate(tmp_path, patients=5, delivery=0)
    with pytest.raises(ValueError):
        generate(tmp_path, patients=5, deliveries=2, delivery=3)
    with pytest.raises(ValueError):
        generate(tmp_path, patients=0)
