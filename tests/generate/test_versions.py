"""What differs between Synthea versions besides the headers."""

from __future__ import annotations

from pathlib import Path

from framework.generate import SOURCES, generate
from framework.generate.sink import FileSink

from .helpers import rows


def test_same_content_in_every_version(tmp_path: Path) -> None:
    for version in ("3.0", "3.4"):
        generate(tmp_path / version, patients=15, seed=4, synthea_version=version)
    for source in ("encounters", "medications", "observations", "claims", "claims_transactions"):
        a = (tmp_path / "3.0" / source / f"{source}.csv").read_text(encoding="utf-8").splitlines()
        b = (tmp_path / "3.4" / source / f"{source}.csv").read_text(encoding="utf-8").splitlines()
        assert len(a) == len(b), source
    assert (tmp_path / "3.0" / "encounters" / "encounters.csv").read_bytes() == (
        tmp_path / "3.4" / "encounters" / "encounters.csv").read_bytes()


def test_version_3_0_quirks(tmp_path: Path) -> None:
    generate(tmp_path, patients=30, seed=4, synthea_version="3.0")
    no_insurance = next(p["Id"] for p in rows(tmp_path, "payers") if p["NAME"] == "NO_INSURANCE")
    uninsured = {e["Id"] for e in rows(tmp_path, "encounters") if e["PAYER"] == no_insurance}
    claims = rows(tmp_path, "claims")
    assert uninsured
    assert all(c["PRIMARYPATIENTINSURANCEID"] == "0" for c in claims if c["APPOINTMENTID"] in uninsured)
    assert all(c["PRIMARYPATIENTINSURANCEID"] != no_insurance for c in claims)
    assert "0" in {c["SECONDARYPATIENTINSURANCEID"] for c in claims}
    assert any(o["UNITS"] == "null" for o in rows(tmp_path, "observations"))
    assert all(t["PATIENTINSURANCEID"] == t["PATIENTID"] for t in rows(tmp_path, "claims_transactions"))
    transitions = rows(tmp_path, "payer_transitions")
    assert transitions and all(r["START_YEAR"].endswith("Z") for r in transitions)


def test_version_3_4_member_ids(tmp_path: Path) -> None:
    generate(tmp_path, patients=15, seed=4, synthea_version="3.4")
    members = {r["MEMBERID"] for r in rows(tmp_path, "payer_transitions") if r["MEMBERID"]}
    ids = {t["PATIENTINSURANCEID"] for t in rows(tmp_path, "claims_transactions")}
    assert ids & members and ids <= members | {""}


def test_empty_tables(tmp_path: Path) -> None:
    for version in ("3.3", "3.4"):
        sink = FileSink(tmp_path / version, {s: f"{s}.csv" for s in SOURCES}, version, "x")
        sink.add("patients", tuple("a" * 28))
        sink.close()
        written = sorted(p.parent.name for p in (tmp_path / version).rglob("*.csv"))
        assert written == (["patients"] if version == "3.4" else sorted(SOURCES))
        empty = tmp_path / version / "devices" / "devices.csv"
        if version == "3.3":
            assert empty.read_text(encoding="utf-8").count("\n") == 1
