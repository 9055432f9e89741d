"""The two decoders of ``notes stamp`` against brute force on small random score matrices."""

from __future__ import annotations

import itertools
import math
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from notes_tool.generate.segment import points, segment

FLOOR = 0.1
score = st.floats(min_value=-1, max_value=1, allow_nan=False).map(lambda x: round(x, 2))


@st.composite
def matrices(draw: st.DrawFn, rows: int = 3, columns: int = 5) -> tuple[list[list[float]], dict[int, int]]:
    n, m = draw(st.integers(1, rows)), draw(st.integers(1, columns))
    matrix = [[draw(score) for _ in range(m)] for _ in range(n)]
    # typed times: a few sections fixed at phrases going up in note order
    fixed_sections = sorted(draw(st.sets(st.integers(0, n - 1), max_size=min(n, m))))
    phrases = sorted(draw(st.sets(st.integers(0, m - 1), min_size=len(fixed_sections), max_size=len(fixed_sections))))
    return matrix, dict(zip(fixed_sections, phrases, strict=True))


def brute_points(scores: list[list[float]], fixed: dict[int, int]) -> float:
    n, m = len(scores), len(scores[0])
    best = -math.inf
    for choice in itertools.product([None, *range(m)], repeat=n):
        taken = [p for p in choice if p is not None]
        if taken != sorted(set(taken)) or any(choice[i] != p for i, p in fixed.items()):
            continue
        if any(p is not None and i not in fixed and scores[i][p] < FLOOR for i, p in enumerate(choice)):
            continue
        best = max(best, sum(scores[i][p] for i, p in enumerate(choice) if p is not None and i not in fixed))
    return best


def points_total(scores: list[list[float]], fixed: dict[int, int], chosen: list[int | None]) -> float:
    return sum(scores[i][p] for i, p in enumerate(chosen) if p is not None and i not in fixed)


@settings(max_examples=300, deadline=None)
@given(matrices())
def test_points_finds_the_best_in_order_choice(case: tuple[list[list[float]], dict[int, int]]) -> None:
    scores, fixed = case
    chosen = points(scores, FLOOR, fixed)
    taken = [p for p in chosen if p is not None]
    assert taken == sorted(set(taken))  # strictly going up
    assert all(chosen[i] == p for i, p in fixed.items())  # typed times kept
    assert all(p is None or i in fixed or scores[i][p] >= FLOOR for i, p in enumerate(chosen))
    assert math.isclose(points_total(scores, fixed, chosen), brute_points(scores, fixed), abs_tol=1e-9)


def labelling_total(earn: list[list[float]], enter: list[list[float]], labels: list[int | None]) -> float | None:
    """The total of a labelling, None when it breaks the rules (sections out of order, a
    section in two runs)."""
    total, previous = 0.0, None
    seen: set[int] = set()
    for p, label in enumerate(labels):
        if label is not None:
            if label != previous:
                if label in seen or (seen and label < max(seen)):
                    return None
                seen.add(label)
                total += enter[label][p]
            total += earn[label][p]
        previous = label
    return total


def brute_segment(earn: list[list[float]], enter: list[list[float]], fixed: dict[int, int]) -> float:
    n, m = len(earn), len(earn[0])
    best = -math.inf
    for labels in itertools.product([None, *range(n)], repeat=m):
        total = labelling_total(earn, enter, list(labels))
        if total is None or any(_first(list(labels), i) != p for i, p in fixed.items()):
            continue
        best = max(best, total)
    return best


def _first(labels: list[int | None], section: int) -> int | None:
    return labels.index(section) if section in labels else None


@settings(max_examples=300, deadline=None)
@given(matrices(rows=3, columns=5), st.data())
def test_segment_finds_the_best_in_order_labelling(
    case: tuple[list[list[float]], dict[int, int]], data: st.DataObject
) -> None:
    earn, fixed = case
    enter = [[data.draw(score) for _ in row] for row in earn]
    found = segment(earn, enter, fixed)
    total = labelling_total(earn, enter, found.labels)
    assert total is not None  # a valid labelling
    assert math.isclose(total, found.total, abs_tol=1e-9)
    assert all(found.firsts(len(earn))[i] == p for i, p in fixed.items())  # typed times kept
    assert math.isclose(found.total, brute_segment(earn, enter, fixed), abs_tol=1e-9)


def test_stems_join_forms_of_a_word_with_the_pure_python_stemmer_too(monkeypatch: pytest.MonkeyPatch) -> None:
    """Where PyStemmer has no wheel, snowballstemmer (the same algorithm) takes over."""
    from notes_tool.generate import align

    forms = "deploying deployments volumes"
    assert align.words(forms) == align.words("deploy deployment volume")
    monkeypatch.setitem(sys.modules, "Stemmer", None)  # as if it were not installed
    fallback = align._stemmer()
    assert [fallback(w) for w in forms.split()] == align.words(forms)
