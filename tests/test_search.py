"""The search's build side (``almanach.html.search``): the data the search page
gives its script, and the theme's search box options."""

from __future__ import annotations

import json
from types import SimpleNamespace

from almanach.html.search import french_search_box, script_json


def test_script_json_cannot_close_its_element_and_reads_back():
    value = {"title": "</script><script>alert(1)</script> & <!-- »"}
    text = script_json(value)
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == value


def test_the_search_box_is_french_and_kept_out_of_the_page_header():
    conf_options = {"show_toc_level": 2}
    app = SimpleNamespace(builder=SimpleNamespace(theme_options=conf_options))
    french_search_box(app)
    assert app.builder.theme_options["search_bar_text"] == "Rechercher…"
    assert app.builder.theme_options["navbar_persistent"] == []
    assert conf_options == {"show_toc_level": 2}  # conf.py's own dictionary untouched


def test_conf_py_still_decides_the_search_box():
    options = {"search_bar_text": "Chercher", "navbar_persistent": ["search-button-field"]}
    app = SimpleNamespace(builder=SimpleNamespace(theme_options=options))
    french_search_box(app)
    assert app.builder.theme_options == options
