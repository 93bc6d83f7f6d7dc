"""The sidebar's HTML, as pure functions (``almanach.html.navigation``): the
accessibility fixes, and the marks of the current page that let one sidebar
serve every page of a folder (marked for each page, unmarked to be stored)."""

from __future__ import annotations

import pytest

from almanach.html import navigation

#: The theme's sidebar, as no page marks it: a folder with sub-pages, a page.
SIDEBAR = (
    '<p class="caption" role="heading"><span class="caption-text">Lettres</span></p>\n'
    '<ul class="nav bd-sidenav">\n'
    '<li class="toctree-l1 has-children"><a class="reference internal" '
    'href="lettres/index.html">Lettres</a><details><summary><span class="toctree-toggle" '
    'role="presentation"><i class="fa-solid fa-chevron-down"></i></span></summary><ul>\n'
    '<li class="toctree-l2"><a class="reference internal" href="lettres/2021-12.html">'
    "Décembre</a></li>\n"
    '<li class="toctree-l2"><a class="reference internal" href="lettres/2022-01.html">'
    "Janvier</a></li>\n"
    "</ul>\n"
    "</details></li>\n"
    '<li class="toctree-l1"><a class="reference internal" href="agenda.html">Agenda</a></li>\n'
    "</ul>"
)
LINKS = ("lettres/index.html", "lettres/2021-12.html", "lettres/2022-01.html", "agenda.html")


def test_captions_get_a_level_and_toggles_a_name():
    html = navigation.accessible_navigation(SIDEBAR)
    assert 'role="heading" aria-level="2"' in html
    assert '<summary aria-label="Afficher ou masquer les sous-pages">' in html
    assert "<summary>" not in html
    # Already fixed: unchanged.
    assert navigation.accessible_navigation(html) == html


def test_a_caption_with_a_level_keeps_it():
    html = '<p class="caption" role="heading" aria-level="3">Lettres</p>'
    assert navigation.accessible_navigation(html) == html


def test_marking_a_nested_page_marks_its_ancestors_and_opens_them():
    marked = navigation.mark_current(SIDEBAR, "lettres/2021-12.html")
    assert marked.count(navigation.CURRENT_LINK) == 1
    assert f"{navigation.CURRENT_LINK}Décembre</a>" in marked
    assert '<ul class="current nav bd-sidenav">' in marked
    assert '<li class="toctree-l1 current active has-children">' in marked
    assert '<details open="open">' in marked
    assert '</summary><ul class="current">' in marked
    assert '<li class="toctree-l2 current active">' in marked
    # Its sibling and the other pages stay as they were.
    assert '<li class="toctree-l2"><a class="reference internal" href="lettres/2022-01.html">' in (
        marked
    )
    assert '<li class="toctree-l1"><a class="reference internal" href="agenda.html">' in marked


def test_marking_a_folder_opens_its_own_sub_pages():
    marked = navigation.mark_current(SIDEBAR, "lettres/index.html")
    assert f'{navigation.CURRENT_LINK}Lettres</a><details open="open">' in marked
    assert "</summary><ul>\n" in marked  # its sub-list is not current
    assert "toctree-l2 current" not in marked


def test_marking_a_top_level_page():
    marked = navigation.mark_current(SIDEBAR, "agenda.html")
    assert f'<li class="toctree-l1 current active">{navigation.CURRENT_LINK}Agenda</a>' in marked
    assert "<details open" not in marked


def test_a_page_outside_the_toctrees_marks_nothing():
    assert navigation.mark_current(SIDEBAR, "genindex.html") == SIDEBAR


@pytest.mark.parametrize("href", LINKS)
def test_unmarking_gives_back_the_shared_sidebar(href):
    for sidebar in (SIDEBAR, navigation.accessible_navigation(SIDEBAR)):
        marked = navigation.mark_current(sidebar, href)
        assert marked != sidebar
        assert navigation.unmark_current(marked, href) == sidebar
        # Marking the unmarked sidebar again gives the same page.
        assert navigation.mark_current(navigation.unmark_current(marked, href), href) == marked


def test_unmarked_toctree_is_the_same_for_every_page_of_a_folder():
    for_a = (
        '<ul class="current">\n<li class="toctree-l1 current"><a class="current reference '
        'internal" href="#">A</a></li>\n<li class="toctree-l1"><a class="reference internal" '
        'href="b.html">B</a></li>\n</ul>'
    )
    for_b = (
        '<ul class="current">\n<li class="toctree-l1"><a class="reference internal" '
        'href="a.html">A</a></li>\n<li class="toctree-l1 current"><a class="current reference '
        'internal" href="#">B</a></li>\n</ul>'
    )
    for_index = (
        '<ul>\n<li class="toctree-l1"><a class="reference internal" href="a.html">A</a></li>\n'
        '<li class="toctree-l1"><a class="reference internal" href="b.html">B</a></li>\n</ul>'
    )
    assert navigation.unmark_toctree(for_a, "a.html") == for_index
    assert navigation.unmark_toctree(for_b, "b.html") == for_index
    assert navigation.unmark_toctree(for_index, "genindex.html") == for_index


def test_toctree_arguments_drop_the_themes_own():
    kwargs = {"kind": "sidebar", "startdepth": 1, "show_nav_level": 2, "maxdepth": 3}
    assert navigation.toctree_arguments(kwargs) == {"maxdepth": 3}
