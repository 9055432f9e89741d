"""Search ranking: a section whose heading holds the question's words comes before one that
mentions them in passing."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run

from notes_tool.features.search_rank import headings_first


@pytest.fixture
def spark_and_kafka(workspace: Path) -> Path:
    (workspace / "05_spark.md").write_text(
        "# Spark\n\n## Reading files\n\nSpark reads CSV and parquet lazily.\n\n"
        "## GROUP BY in Spark\n\nEach executor aggregates its partition, then `df.groupBy('zone')` shuffles "
        "the partial sums.\n\n## Joins in Spark\n\nA small table is broadcast to every executor.\n\n"
        "## Caching\n\nKeep a frame in memory.\n"
    )
    (workspace / "06_kafka.md").write_text(
        "# Kafka\n\n## Topics\n\nA topic is split into partitions.\n\n"
        "## Kafka Streams\n\nA Java library for processing a topic record by record. It looks a lot like "
        "Spark: you can groupby a key and count, or join a stream with a table, with the state kept in "
        "local stores backed by topics, so that a restarted app picks up where it stopped.\n"
    )
    return workspace


def titles(result_stdout: str) -> list[str]:
    return [line for line in result_stdout.splitlines() if not line.startswith(" ")]


def test_sections_named_by_the_question_come_before_a_passing_mention(spark_and_kafka: Path) -> None:
    result = run("search", "spark", "groupby", "join", cwd=spark_and_kafka)
    assert result.exit_code == 0, result.stderr
    found = titles(result.stdout)
    assert set(found[:2]) == {"05 Spark › GROUP BY in Spark", "05 Spark › Joins in Spark"}
    assert found[2] == "06 Kafka › Kafka Streams"  # still found: it holds every word


def test_a_section_holding_every_word_in_its_heading_stays_first(spark_and_kafka: Path) -> None:
    assert titles(run("search", "kafka", "streams", cwd=spark_and_kafka).stdout)[0] == "06 Kafka › Kafka Streams"
    assert titles(run("search", "spark", "join", cwd=spark_and_kafka).stdout)[0] == "05 Spark › Joins in Spark"


def test_one_word_questions_keep_bm25s_order(spark_and_kafka: Path) -> None:
    assert titles(run("search", "topic", cwd=spark_and_kafka).stdout)[0] == "06 Kafka › Topics"


RARITY = {"spark": 1.0, "groupby": 2.0, "join": 2.0}


@pytest.mark.parametrize(
    ("holds", "headed", "under", "expected"),
    [
        # 1: every word in passing; 2 and 3: two words each, in their headings
        (
            {"spark": {1, 2, 3}, "groupby": {1, 2}, "join": {1, 3}},
            {"spark": {2, 3}, "groupby": {2}, "join": {3}},
            {},
            [2, 3, 1],
        ),
        # a heading above the section holding the words counts as its own heading would
        (
            {"spark": {1, 2}, "groupby": {1, 2}, "join": {1}},
            {},
            {"spark": {2}, "groupby": {2}},
            [2, 1],
        ),
        # equal scores keep bm25's order (the order given)
        ({"spark": {5, 4}, "groupby": set(), "join": set()}, {}, {}, [5, 4]),
        # a word in the heading counts once more, not more than a word missing from the section
        (
            {"spark": {1, 2}, "groupby": {1, 2}, "join": {1}},
            {"spark": {2}},
            {},
            [1, 2],
        ),
    ],
)
def test_headings_first_orders_by_weighted_words_held(
    holds: dict[str, set[int]], headed: dict[str, set[int]], under: dict[str, set[int]], expected: list[int]
) -> None:
    candidates = sorted({rowid for rows in holds.values() for rowid in rows}, key=lambda r: -r if r > 3 else r)
    assert headings_first(candidates, holds, headed, under, RARITY) == expected
