"""core.jsonsafe: untrusted JSON is bounded in depth and size before parsing."""

import pytest

from core import jsonsafe


def test_depth_counts_arrays_and_objects_but_not_brackets_in_strings():
    assert jsonsafe.depth('{"a": [1, {"b": "[[[[{{{{"}]}') == 3
    assert jsonsafe.depth('"\\"[[["') == 0


def test_ordinary_json_parses():
    assert jsonsafe.loads(b'{"claims": [{"amount": 1}]}') == {"claims": [{"amount": 1}]}


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        ("[" * 5000 + "]" * 5000, "nested too deeply"),
        ('{"a": "' + "x" * 2000 + '"}', "too long"),
        ("{'single': 'quotes'}", "not valid JSON"),
        (b"\xff\xfe", "not valid UTF-8"),
    ],
)
def test_hostile_json_is_refused_in_plain_words(raw, words):
    with pytest.raises(jsonsafe.JsonRefused) as refused:
        jsonsafe.loads(raw, name="fields", max_chars=1000 if "long" in words else 10**6)
    assert words in refused.value.message
    assert refused.value.message.startswith("fields ")
