"""The Delta jar's Maven coordinates for each pair of pyspark and delta-spark (no JVM)."""

from __future__ import annotations

import pytest

from framework.engine.session import delta_coordinates, jar_folder


@pytest.mark.parametrize(("spark", "delta", "coordinates"), [
    ("4.2.0", "4.4.0", "io.delta:delta-spark_4.2_2.13:4.4.0"),  # the main versions
    ("4.0.1", "4.1.0", "io.delta:delta-spark_4.0_2.13:4.1.0"),  # a Delta 4.1+ build for Spark 4.0
    ("4.0.0", "4.0.0", "io.delta:delta-spark_2.13:4.0.0"),  # the compat tier: Delta 4.0 has one build
    ("4.0.0", "4.0.0rc1", "io.delta:delta-spark_2.13:4.0.0rc1"),
])
def test_coordinates_follow_how_each_delta_release_is_published(spark: str, delta: str, coordinates: str) -> None:
    assert delta_coordinates(spark, delta) == coordinates


def test_each_coordinate_has_its_own_jar_folder() -> None:
    main, compat = delta_coordinates("4.2.0", "4.4.0"), delta_coordinates("4.0.0", "4.0.0")
    assert jar_folder(main) != jar_folder(compat)
    assert jar_folder(compat).name == "io.delta_delta-spark_2.13_4.0.0"
