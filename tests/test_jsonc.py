"""The JSONC editor on its own: strings with escapes, comments and trailing commas anywhere,
duplicate keys, hostile text. Every existing byte stays; what cannot be edited is refused with
one line, never a traceback."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from notes_tool.errors import NotesError
from notes_tool.features import jsonc


def keeps_every_byte(before: str, after: str) -> bool:
    """``after`` is ``before`` with text inserted only (``before`` is a subsequence of it)."""
    rest = iter(after)
    return all(char in rest for char in before)


@pytest.mark.parametrize(
    "text",
    [
        r'{"a": "say \"hi\" {"}',
        r'{"a": "back\\slash at the end\\"}',
        r'{"a": "\\\"{[\\"}',
        r'{"a": "\u0022 } \u005c"}',
        r'{"a": "// not a comment", "b": "/* nor this */"}',
    ],
)
def test_strings_with_escapes_are_read_whole(text: str) -> None:
    """A quote or bracket escaped inside a string is not structure: the member goes after the
    string, not into it."""
    out, added = jsonc.add_members(text, "settings.json", {"new": True})
    assert added == ["new"]
    assert json.loads(out) == {**json.loads(text), "new": True}
    assert out.startswith(text[:-1])


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ('{"a": ",}", "b": [",]"]}', {"a": ",}", "b": [",]"]}),
        ('{"a": "x , }"}', {"a": "x , }"}),
        ('{"a": [1, /* , */ ] , // ,}\n}', {"a": [1]}),
        ('{"a": 1, }', {"a": 1}),
    ],
)
def test_trailing_commas_are_dropped_but_never_inside_strings(text: str, value: dict[str, Any]) -> None:
    assert jsonc.load(text, "settings.json") == value


def test_a_duplicate_key_is_edited_where_json_reads_it() -> None:
    """JSON keeps the last of two equal keys: that one is added to, the first left alone (the
    first being a number, adding to it made the file invalid)."""
    text = '{"files.exclude": 1, "files.exclude": {"a": true}}'
    out, added = jsonc.add_members(text, "settings.json", {".notes": True}, inside="files.exclude")
    assert added == [".notes"]
    assert jsonc.load(out, "settings.json") == {"files.exclude": {"a": True, ".notes": True}}
    assert out.startswith('{"files.exclude": 1, "files.exclude": {"a": true,')

    tasks = '{"tasks": [{"label": "old"}], "tasks": []}'
    out, labels = jsonc.add_items(tasks, "tasks.json", "tasks", [{"label": "old"}], same="label")
    assert labels == ["old"]  # the array JSON reads is the empty one
    assert jsonc.load(out, "tasks.json")["tasks"] == [{"label": "old"}]
    assert out.startswith('{"tasks": [{"label": "old"}], "tasks": [')


def test_an_item_whose_label_is_not_a_string_is_compared_not_crashed_on() -> None:
    text = '{"tasks": [{"label": ["a list"]}, {"label": {"an": "object"}}, 3]}'
    out, labels = jsonc.add_items(text, "tasks.json", "tasks", [{"label": "notes watch"}], same="label")
    assert labels == ["notes watch"]
    assert jsonc.load(out, "tasks.json")["tasks"][-1] == {"label": "notes watch"}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"a": "unterminated}', "not JSON with comments"),
        ('{"a": 1 /* unterminated comment', "not JSON with comments"),
        ('{"a": 1} trailing', "not JSON with comments"),
        ('{"a": /}', "not JSON with comments"),
        ("[1, 2]", "is not a JSON object"),
        ('"just a string"', "is not a JSON object"),
        ('{"files.exclude": [1]}', "'files.exclude' is not a JSON object"),
        ("\ufeff{}", "not JSON with comments"),
    ],
)
def test_text_that_cannot_be_edited_is_refused_in_one_line(text: str, message: str) -> None:
    with pytest.raises(NotesError, match=message) as caught:
        jsonc.add_members(text, "settings.json", {"k": 1}, inside="files.exclude")
    assert "\n" not in str(caught.value)


_TEXT = st.text(alphabet='ab"\\{}[],:/*\n é', max_size=6)
_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-5, 5), _TEXT)
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(_TEXT, inner, max_size=3)),
    max_leaves=8,
)
_GAPS = st.sampled_from(["", " ", "\n", "  ", "\t", " // c } ] , \n", "/* { , */", "/* \n */ ", "\r\n"])


@st.composite
def _jsonc(draw: st.DrawFn, value: Any) -> str:
    """``value`` written as JSONC: comments and line breaks between tokens, trailing commas."""
    gap = draw(_GAPS)
    if isinstance(value, dict):
        parts = [f"{gap}{json.dumps(k)}{draw(_GAPS)}:{draw(_GAPS)}{draw(_jsonc(v))}" for k, v in value.items()]
        trailing = "," if draw(st.booleans()) and len(parts) > 0 else ""
        return "{" + ",".join(parts) + trailing + draw(_GAPS) + "}"
    if isinstance(value, list):
        items = [f"{gap}{draw(_jsonc(v))}" for v in value]
        trailing = "," if draw(st.booleans()) and len(items) > 0 else ""
        return "[" + ",".join(items) + trailing + draw(_GAPS) + "]"
    return json.dumps(value, ensure_ascii=draw(st.booleans()))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), value=st.dictionaries(_TEXT, _VALUES, max_size=4), inside=st.sampled_from([None, "x", "a"]))
def test_members_are_added_to_any_jsonc_and_every_byte_stays(data: st.DataObject, value: Any, inside: Any) -> None:
    text = data.draw(_jsonc(value))
    assert jsonc.load(text, "f") == value
    try:
        out, added = jsonc.add_members(text, "f", {'new "{': [1]}, inside=inside)
    except NotesError as exc:  # only: the member to add to is not an object
        assert inside is not None and not isinstance(value[inside], dict), exc
        return
    assert added == ['new "{']
    after = jsonc.load(out, "f")
    target = after[inside] if inside is not None else after
    assert target['new "{'] == [1]
    kept = {k: v for k, v in after.items() if k not in (inside, 'new "{')}
    assert kept == {k: v for k, v in value.items() if k != inside}
    assert keeps_every_byte(text, out)
    assert jsonc.add_members(out, "f", {'new "{': [1]}, inside=inside) == (out, [])


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), tasks=st.lists(st.dictionaries(st.sampled_from(["label", "x"]), _VALUES, max_size=2)))
def test_items_are_added_to_any_jsonc_array_and_every_byte_stays(data: st.DataObject, tasks: Any) -> None:
    value = {"version": "2.0.0", "tasks": tasks}
    text = data.draw(_jsonc(value))
    out, labels = jsonc.add_items(text, "f", "tasks", [{"label": "notes watch"}], same="label")
    present = any(isinstance(t, dict) and t.get("label") == "notes watch" for t in tasks)
    assert labels == ([] if present else ["notes watch"])
    assert jsonc.load(out, "f")["tasks"] == tasks + ([] if present else [{"label": "notes watch"}])
    assert keeps_every_byte(text, out)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet='ab1"\\{}[],:/*\n\r \t', max_size=40))
def test_hostile_text_gets_an_edit_or_a_one_line_refusal(text: str) -> None:
    for member in (True, False):
        try:
            if member:
                out, _ = jsonc.add_members(text, "f", {"k": 1}, inside="i")
            else:
                out, _ = jsonc.add_items(text, "f", "t", [{"label": "l"}], same="label")
        except NotesError as exc:
            assert "\n" not in str(exc)
            continue
        jsonc.load(out, "f")
        assert keeps_every_byte(text, out) or not text.strip()  # (blank: an empty file, written anew)


@pytest.mark.parametrize("text", ["{,}", "[,]", '{"a": [,]}', '{"a": 1,,}'])
def test_a_comma_with_no_value_before_it_is_refused_not_taken_for_a_trailing_one(text: str) -> None:
    """`{,}` is no object VS Code reads: adding to it would write a file that reads as nothing."""
    with pytest.raises(NotesError):
        jsonc.add_members(text, "f", {"k": 1}, inside="i")


@pytest.mark.parametrize(
    ("text", "out"),
    [
        ('{"tasks": []}', '{"tasks": [\n    {"label": "l"}\n]}'),
        ('{"tasks": [ /* none yet */ ]}', '{"tasks": [\n    {"label": "l"}\n /* none yet */ ]}'),
        ('{"tasks": [\n    // none yet\n]}', '{"tasks": [\n    {"label": "l"}\n    // none yet\n]}'),
    ],
)
def test_an_empty_array_gets_its_first_item_and_keeps_its_comments(text: str, out: str) -> None:
    assert (
        jsonc.add_items(text, "tasks.json", "tasks", [{"label": "l"}], same="label")[0].replace(
            '{\n        "label": "l"\n    }', '{"label": "l"}'
        )
        == out
    )


@pytest.mark.parametrize(
    ("text", "members", "inside", "out"),
    [
        ('{\r\n    "a": 1\r\n}\r\n', {"b": 2}, None, '{\r\n    "a": 1,\r\n    "b": 2\r\n}\r\n'),  # CRLF kept
        (
            '{\n\t"files.exclude": {\n\t\t"x": true\n\t}\n}\n',  # tabs: the members' own indentation
            {"y": True},
            "files.exclude",
            '{\n\t"files.exclude": {\n\t\t"x": true,\n\t\t"y": true\n\t}\n}\n',
        ),
        (
            '{\n  "a": 1\n}\n',  # a value over several lines: indented under the member, not escaped
            {"k": {"a": [1, "é"]}},
            None,
            '{\n  "a": 1,\n  "k": {\n      "a": [\n          1,\n          "é"\n      ]\n  }\n}\n',
        ),
        ('{\n  "a": 1,\n}\n', {"b": 2}, None, '{\n  "a": 1,\n  "b": 2,\n}\n'),  # a trailing comma stays one
        ('{"a": 1 /**/}', {"b": 2}, None, '{"a": 1,\n    "b": 2 /**/}'),  # the shortest block comment
        ("  {\n  }", {"b": 2}, None, '  {\n      "b": 2\n  }'),  # empty, indented
        (
            '{"files.exclude": {"q": true}, "x": {"y": {"z": 1}, "files.exclude": 2}}',  # same key deeper
            {"n": True},
            "files.exclude",
            '{"files.exclude": {"q": true,\n    "n": true}, "x": {"y": {"z": 1}, "files.exclude": 2}}',
        ),
    ],
)
def test_members_are_written_in_the_files_own_layout(
    text: str, members: dict[str, Any], inside: str | None, out: str
) -> None:
    assert jsonc.add_members(text, "settings.json", members, inside=inside) == (out, list(members))


def test_items_are_written_in_the_files_own_layout() -> None:
    text = '{\r\n  "tasks": [\r\n    {"label": "a"}\r\n  ]\r\n}'
    out, labels = jsonc.add_items(text, "tasks.json", "tasks", [{"label": "b", "n": 1}], same="label")
    assert labels == ["b"]
    assert out == (
        '{\r\n  "tasks": [\r\n    {"label": "a"},\r\n'
        '    {\r\n        "label": "b",\r\n        "n": 1\r\n    }\r\n  ]\r\n}'
    )


@pytest.mark.parametrize(
    ("text", "inside", "said"),
    [
        (
            '{\n"a": 1,,\n}',
            "i",
            "settings.json:2: not JSON with comments (Expecting property name",
        ),  # (the doubled comma itself)
        ("[1]", "i", "settings.json: is not a JSON object; left as it is"),
        ('{"i": 3}', "i", "settings.json: 'i' is not a JSON object; left as it is"),
    ],
)
def test_a_refusal_names_the_file_and_line(text: str, inside: str, said: str) -> None:
    with pytest.raises(NotesError) as caught:
        jsonc.add_members(text, "settings.json", {"k": 1}, inside=inside)
    assert str(caught.value).startswith(said)


@pytest.mark.parametrize(
    ("text", "said"),
    [("[1]", "tasks.json: is not a JSON object; left as it is"), ('{"t": 3}', "tasks.json: 't' is not a JSON array")],
)
def test_a_refusal_of_items_names_the_file(text: str, said: str) -> None:
    with pytest.raises(NotesError) as caught:
        jsonc.add_items(text, "tasks.json", "t", [{"label": "l"}], same="label")
    assert str(caught.value).startswith(said)
