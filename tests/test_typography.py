"""French typography in the HTML (almanach.html.typography) and the footer's
French (almanach.html.theme): the pure function on the tricky cases, then a
small project built to HTML (body, titles, navigation, metadata, field lists,
footer) and to LaTeX (left to babel)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from almanach.html.theme import copyright_years
from almanach.html.typography import (
    NBSP,
    NNBSP,
    french_spacing,
    typeset,
    typeset_metatags,
)
from helpers import FRONT_MATTER, build, letter, slim_project

N, B = NNBSP, NBSP

CASES = [
    # an ordinary space becomes the right no-break one
    ("Oui ; non", f"Oui{N}; non"),
    ("Bonjour !", f"Bonjour{N}!"),
    ("Vraiment ?", f"Vraiment{N}?"),
    ("Type : commune", f"Type{B}: commune"),
    ("« mot »", f"«{N}mot{N}»"),
    # a line break written in the source is a space too
    ("des 17 et 18 novembre\n: le facteur", f"des 17 et 18 novembre{B}: le facteur"),
    ("«\nmot\n»", f"«{N}mot{N}»"),
    # none written: one is put
    ("Bonjour!", f"Bonjour{N}!"),
    ("Oui; non", f"Oui{N}; non"),
    ("Note: suite", f"Note{B}: suite"),
    ("Fin:", f"Fin{B}:"),
    ("«mot»", f"«{N}mot{N}»"),
    ("« mot »!", f"«{N}mot{N}»{N}!"),
    # ?! : one space before the group, none inside
    ("Quoi?!", f"Quoi{N}?!"),
    ("Quoi ?!", f"Quoi{N}?!"),
    ("Quoi !?", f"Quoi{N}!?"),
    # URLs, times, ratios, code-like text: untouched
    ("https://x.org/?a=1;b", "https://x.org/?a=1;b"),
    (
        "voir https://x.org/a:b?c=d;e!f et http://y.fr",
        "voir https://x.org/a:b?c=d;e!f et http://y.fr",
    ),
    ("www.exemple.fr/page?x=1", "www.exemple.fr/page?x=1"),
    ("lea@territoires-audacieux.fr", "lea@territoires-audacieux.fr"),
    ("à 14:30, 14h30 ou 9:05", "à 14:30, 14h30 ou 9:05"),
    ("un ratio 1:2", "un ratio 1:2"),
    ("a;b x?y std::vector", "a;b x?y std::vector"),
    ("(?) [!]", "(?) [!]"),
    ("« »", f"«{N}»"),  # kept together
    # apostrophes
    ("l'idée d'aujourd'hui", "l’idée d’aujourd’hui"),
    ("'cité'", "'cité'"),
    # a mark at the very start of the block has nothing to hold on to
    ("? début", "? début"),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_french_spacing(text: str, expected: str) -> None:
    assert french_spacing(text) == expected
    assert french_spacing(expected) == expected  # already correct: unchanged


def test_already_correct_text_is_unchanged() -> None:
    text = f"Le programme{B}: «{N}accompagnés{N}», dit-elle{N}; pourquoi{N}?! L’idée."
    assert french_spacing(text) == text
    # spaces written as no-break ones already, but the wrong kind, are corrected
    assert french_spacing(f"Quoi{B}? Ceci{N}: cela") == f"Quoi{N}? Ceci{B}: cela"


def test_text_split_across_nodes() -> None:
    # « <em>mot</em> »: the spaces stay in their own pieces
    assert typeset([("« ", True), ("mot", True), (" »", True)]) == [f"«{N}", "mot", f"{N}»"]
    # «<em>mot</em>»: put beside the marks, not inside the emphasis
    assert typeset([("«", True), ("mot", True), ("»", True)]) == [f"«{N}", "mot", f"{N}»"]
    # <em>Bonjour</em>! and <strong>Type</strong> : valeur
    assert typeset([("Bonjour", True), ("!", True)]) == ["Bonjour", f"{N}!"]
    assert typeset([("Type", True), (" : valeur", True)]) == ["Type", f"{B}: valeur"]
    # a space at the end of one node, the mark at the start of the next
    assert typeset([("journées ", True), (": suite", True)]) == [f"journées{B}", ": suite"]
    # quotes around a link
    assert typeset([("voir « ", True), ("le guide", True), (" » ici", True)]) == [
        f"voir «{N}",
        "le guide",
        f"{N}» ici",
    ]


def test_code_and_urls_in_nodes_are_left_as_written() -> None:
    # code keeps its text, even around it the context counts
    assert typeset([("lancer ", True), ("a ; b ?", False), (" puis", True)]) == [
        "lancer ",
        "a ; b ?",
        " puis",
    ]
    # a link whose text is its URL
    assert typeset([("Lien : ", True), ("https://x.org/?a=1;b", True)]) == [
        f"Lien{B}: ",
        "https://x.org/?a=1;b",
    ]
    # a mark in code after text with a space: the space is the code's business
    assert typeset([("voir ", True), ("; ls", False)]) == ["voir ", "; ls"]


def test_typeset_keeps_pieces() -> None:
    pieces = [("", True), ("a", False), ("", True), ("b !", True)]
    assert typeset(pieces) == ["", "a", "", f"b{N}!"]


def test_metatags_are_typeset_and_stay_escaped() -> None:
    tags = (
        '<meta property="og:description" content="Retour : le &quot;facteur&quot; humain !" />\n'
        '<meta name="description" content="A &amp; B ; https://x.org/?a=1;b" />\n'
        '<meta property="og:url" content="https://x.org/a ;b" />'
    )
    out = typeset_metatags(tags)
    assert f'content="Retour{B}: le &quot;facteur&quot; humain{N}!"' in out
    assert f'content="A &amp; B{N}; https://x.org/?a=1;b"' in out
    assert 'content="https://x.org/a ;b"' in out  # not a text: untouched


class Letters:
    """A domain stand-in: its letters."""

    def __init__(self, *dates: str) -> None:
        self.dates = dates

    def letters(self):
        return [type("L", (), {"date": date})() for date in self.dates]


def test_copyright_years_are_the_letters() -> None:
    assert copyright_years(Letters("2021-12", "2022-03", "2021-11")) == "2021–2022"
    assert copyright_years(Letters("2023-01")) == "2023"
    assert copyright_years(Letters()) == ""


# -- a small project, built ---------------------------------------------------------

FIRST = """\
Bonjour à tous! Voici « le programme » et «l'agenda
» des journées : le facteur humain; la conduite du changement?!

Une *émotion*! Un lien « [vers le site](https://example.org/a?b=1;c) » et
l'adresse https://example.org/x?y=1;z à 14:30, ratio 1:2.

Du code : `a ; b !` et :

```
x = "a ; b !"  # l'exemple : « brut »
```
"""

SECOND = "Deuxième lettre : la suite !\n"


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("typography")
    docs = slim_project(base)
    (base / "issues" / "2030-01.md").write_text(
        titled_letter(FIRST, number=90, date="2030-01", title="Bonjour ! Quoi de neuf ?"),
        encoding="utf-8",
    )
    (base / "issues" / "2031-02.md").write_text(
        titled_letter(SECOND, number=91, date="2031-02", title="Suite : « février »"),
        encoding="utf-8",
    )
    app, warnings = build(docs, "html", base / "build")
    assert warnings == ""
    return Path(app.outdir)


def page(project: Path, name: str) -> BeautifulSoup:
    return BeautifulSoup((project / name).read_text("utf-8"), "html.parser")


def test_body_is_typeset(project) -> None:
    soup = page(project, "lettres/2030-01.html")
    article = soup.select_one("article")
    text = article.get_text()
    assert f"Bonjour à tous{N}!" in text
    assert f"«{N}le programme{N}»" in text
    assert f"«{N}l’agenda{N}»" in text
    assert f"journées{B}: le facteur humain" in text
    assert f"humain{N}; la conduite du changement{N}?!" in text
    assert f"émotion{N}!" in text  # after an emphasis
    # the link's text inside quotes; its address untouched
    link = article.find("a", href="https://example.org/a?b=1;c")
    assert link is not None and link.get_text() == "vers le site"
    assert f"«{N}vers le site{N}»" in text
    assert "https://example.org/x?y=1;z à 14:30, ratio 1:2" in text
    # code and preformatted text as written
    assert article.find("code").get_text() == "a ; b !"
    assert 'x = "a ; b !"  # l\'exemple : « brut »' in article.find("pre").get_text()
    assert f"Du code{B}:" in text


def test_titles_navigation_and_metadata_are_typeset(project) -> None:
    html = (project / "lettres/2030-01.html").read_text("utf-8")
    soup = BeautifulSoup(html, "html.parser")
    title = f"Bonjour{N}! Quoi de neuf{N}?"
    assert soup.title.get_text().startswith(title)
    assert soup.find("h1").get_text().startswith(title)
    # the sidebar lists both letters
    sidebar = soup.select_one("nav.bd-docs-nav").get_text()
    assert title in sidebar
    assert f"Suite{B}: «{N}février{N}»" in sidebar
    # the next page's link
    nxt = soup.select_one("a.right-next").get_text()
    assert f"Suite{B}: «{N}février{N}»" in nxt
    # the description (the letter's first words) and OpenGraph's
    description = soup.find("meta", attrs={"name": "description"})["content"]
    assert f"tous{N}!" in description
    og = soup.find("meta", property="og:title")
    assert og is None or og["content"].startswith(title)
    # attributes are not changed: the link's title attribute is the raw title
    next_title = soup.select_one("a.right-next")["title"]
    assert next_title == "page suivante"


def test_field_list_label_has_a_no_break_space(project) -> None:
    soup = page(project, "territoires/lomme.html")
    labels = [dt.get_text() for dt in soup.select("dl.field-list > dt")]
    assert labels
    assert all(re.fullmatch(rf"\w[\w ]*{B}:", label) for label in labels), labels


def test_footer_is_french_with_the_letters_years(project) -> None:
    soup = page(project, "index.html")
    footer = soup.select_one("footer.bd-footer-content").get_text(" ", strip=True)
    assert "Par l’Association de Promotion de la Fabrique des Transitions" in footer
    assert "© 2030–2031" in footer
    assert "Copyright" not in footer


def titled_letter(body: str, number: int, date: str, title: str) -> str:
    """A letter whose title may hold a colon (quoted in the front matter)."""
    front = FRONT_MATTER.format(number=number, date=date, title=f'"{title}"')
    return front + f"# {title}\n\n{body}"


def test_latex_is_left_to_babel(tmp_path) -> None:
    base = tmp_path / "p"
    docs = slim_project(base)
    (base / "issues" / "2030-01.md").write_text(
        titled_letter("Bonjour! Voici « le programme ».\n", 90, "2030-01", "Essai : un"),
        encoding="utf-8",
    )
    app, warnings = build(docs, "latex", base / "build")
    assert warnings == ""
    tex = next(Path(app.outdir).glob("*.tex")).read_text("utf-8")
    assert "Bonjour! Voici « le programme »." in tex
    assert NNBSP not in tex


def test_copyright_years_follow_a_new_letter_incrementally(tmp_path) -> None:
    """A letter of a later year: every page's footer says so on the next build,
    as a clean build would (pages the letter does not touch are written again)."""
    base = tmp_path / "p"
    docs = slim_project(base)
    (docs / "autre.md").write_text("# Autre page\n\nRien.\n", encoding="utf-8")
    (base / "issues" / "2030-01.md").write_text(letter("Un.\n"), encoding="utf-8")
    build(docs, "html", base / "build", confoverrides={"suppress_warnings": ["toc.not_included"]})
    other = base / "build" / "html" / "autre.html"
    assert "© 2030</p>" in other.read_text("utf-8")
    (base / "issues" / "2032-05.md").write_text(
        letter("Deux.\n", number=91, date="2032-05"), encoding="utf-8"
    )
    build(docs, "html", base / "build", confoverrides={"suppress_warnings": ["toc.not_included"]})
    assert "© 2030–2032</p>" in other.read_text("utf-8")
