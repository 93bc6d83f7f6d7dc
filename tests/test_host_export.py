"""The host's archive export: the HTML shapes such hosts produce
(:func:`html_lines`), and the archive itself (:func:`read_export`, ZIP or
folder). The December fixture (``tests/fixtures/host-export/``) holds every word
of the plain-text export and the links that it lost."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from almanach.tools.importer import host_export
from almanach.tools.importer.host_export import (
    ExportFormatError,
    html_lines,
    read_export,
)
from almanach.tools.importer.source import Mark, SourceLine

FIXTURES = Path(__file__).parent / "fixtures"
EXPORT = FIXTURES / "host-export"
DECEMBER_ID = "100000001.lettre-de-decembre-2021"
F = "https://example.org/fixture/"


def texts(lines: list[SourceLine]) -> list[tuple[str, str]]:
    return [(line.kind, line.text) for line in lines]


def marked(line: SourceLine) -> list[tuple[str, str, str]]:
    """Each mark as (the text it covers, kind, url)."""
    return [(line.text[m.start : m.end], m.kind, m.url) for m in line.marks]


def zipped(folder: Path, target: Path, prefix: str = "") -> Path:
    """The folder as the host's ZIP (members named by their path in it)."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, prefix + path.relative_to(folder).as_posix())
    return target


COLUMNS = ["post_id", "post_date", "is_published", "type", "title", "subtitle"]


def write_export(folder: Path, rows: list[dict[str, str]], bodies: dict[str, str]) -> Path:
    """A synthetic export: posts.csv with ``rows``, and posts/<id>.html for each body."""
    (folder / "posts").mkdir(parents=True)
    with (folder / "posts.csv").open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, COLUMNS, extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            writer.writerow({"type": "newsletter", "is_published": "true", **row})
    for post_id, body in bodies.items():
        (folder / "posts" / f"{post_id}.html").write_text(body, encoding="utf-8")
    return folder


def essai(number: int) -> str:
    return f"<p>Lettre d’essai n° {number}.</p>"


# -- the December fixture ------------------------------------------------------------


@pytest.fixture(scope="module")
def december() -> host_export.Post:
    export = read_export(EXPORT)
    assert export.problems == []
    assert [post.post_id for post in export.posts] == [DECEMBER_ID]
    return export.posts[0]


def test_december_row(december):
    assert (december.date, december.published) == ("2021-12-16", True)
    assert (december.title, december.subtitle) == ("Coopérer pour changer", "")
    assert december.source == f"host-export:posts/{DECEMBER_ID}.html"


def test_december_keeps_every_word_of_the_plain_text(december):
    plain = (FIXTURES / "newsletter-2021-12.txt").read_text(encoding="utf-8").split()
    words = [w for line in december.lines if line.kind != "image" for w in line.text.split()]
    first = next((i for i, (a, b) in enumerate(zip(plain, words, strict=False)) if a != b), None)
    assert first is None, (
        f"mot {first} : {plain[first - 3 : first + 3]} ≠ {words[first - 3 : first + 3]}"
    )
    assert len(words) == len(plain)


def test_december_links_are_those_the_plain_text_lost(december):
    links = [m for line in december.lines for m in marked(line) if m[1] == "link"]
    assert links == [
        ("lea@territoires-audacieux.fr", "link", "mailto:lea@territoires-audacieux.fr"),
        (
            "synthèse des principaux enseignements tirés d’une série de recherches-actions",
            "link",
            F + "synthese-recherches-actions.pdf",
        ),
        ("ici", "link", F + "master-plan-puy-de-dome.pdf"),
        ("sous forme audio", "link", F + "intervention-puy-de-dome.mp3"),
        ("ici", "link", F + "sobriete-explications"),
        ("cette interview", "link", F + "interview-sobriete"),
        ("cet article de The conversation", "link", F + "article-the-conversation-sobriete"),
        ("ce document de synthèse", "link", F + "synthese-ademe-sobriete.pdf"),
        ("pact2.fr", "link", "https://pact2.fr"),
        ("compte-rendu de la journée", "link", F + "compte-rendu-17-novembre"),
        ("ici", "link", F + "synthese-attentes"),
        ("ici", "link", F + "articles-mise-en-recit"),
        ("ici", "link", F + "compte-rendu-17-novembre"),
        ("la mallette pédagogique", "link", F + "mallette-17-novembre"),
        ("ici", "link", F + "compte-rendu-18-novembre"),
        ("là", "link", F + "mallette-18-novembre"),
        (
            "Caluire et Cuire (69) : une école de formation interne par et pour les agents",
            "link",
            F + "inspiration/caluire-ecole-formation-interne",
        ),
        (
            "1000 doctorants pour les territoires : Et si votre territoire accueillait un "
            "doctorant en recherche-action pour zéro euro ?",
            "link",
            F + "inspiration/mille-doctorants",
        ),
        (
            "Orne (61) : une plateforme d’achat en ligne à disposition des commerçants et des "
            "habitants",
            "link",
            F + "inspiration/orne-plateforme-achat",
        ),
    ]


def test_december_structure(december):
    kinds = [line.kind for line in december.lines]
    headings = [(line.level, line.text) for line in december.lines if line.kind == "heading"]
    assert [text for level, text in headings if level == 2] == [
        "🗣️ Édito : Coopérer pour changer",
        "📖 En théorie…",
        "📝 En pratique…",
        "🔎 Les nouvelles des territoires…",
        "📍En chantier…",
        "🔜 À suivre…",
        "👉Inspiration par Territoires Audacieux…",
    ]
    assert [level for level, _ in headings].count(3) == 2
    assert [line.text[:24] for line in december.lines if line.kind == "item"] == [
        "L’implication du préside",
        "L’implication des servic",
        "La qualité des contenus,",
    ]
    assert {(line.level, line.ordered) for line in december.lines if line.kind == "item"} == {
        (1, False)
    }
    assert [line.text[:12] for line in december.lines if line.kind == "quote"] == [
        "“Ce n’est pa",
        "« L’engageme",
        "“C’est quelq",
    ]
    image = kinds.index("image")
    assert december.lines[image].url == F + "images/cooperation.jpg"
    assert marked(december.lines[image + 1]) == [
        ("La coopération illustrée par les Territoires Pilotes.", "emphasis", "")
    ]
    assert december.lines[image + 1].kind == "caption"
    speakers = [line for line in december.lines if marked(line)[:1] == [(line.text, "strong", "")]]
    assert [line.text.split(",")[0] for line in speakers] == [
        "Guillaume Demeyer",
        "Marie-Claire Abinal",
        "Jeannie Tremblay",
    ]
    descriptions = [
        line
        for line in december.lines
        if line.kind == "para" and marked(line) == [(line.text, "emphasis", "")]
    ]
    assert len(descriptions) == 6  # each rubrique's description, in italics
    # the « <br><br> » run: two lines, each on its own line of the HTML
    ademe = next(i for i, line in enumerate(december.lines) if line.text.startswith("L’ADEME"))
    assert december.lines[ademe + 1].text.startswith("Le projet est résumé")
    assert december.lines[ademe + 1].line == december.lines[ademe].line + 1


def test_december_drops_the_hosts_buttons_widget_and_footer(december):
    assert december.dropped == [
        "ligne 3 : bouton « S’abonner »",
        "ligne 12 : bouton « Partager »",
        "ligne 67 : widget d’abonnement",
        "ligne 69 : pied de page « Vous recevez cette lettre parce que vous êtes inscrit·e à l… »",
    ]
    # the letter's own « partager » and « Si vous recevez cette newsletter » stay
    assert any(line.text.startswith("N’hésitez pas à partager") for line in december.lines)
    assert december.lines[1].text.startswith("Si vous recevez cette newsletter")


def test_december_zip_and_folder_give_the_same_posts(tmp_path):
    folder = read_export(EXPORT)
    archive = read_export(zipped(EXPORT, tmp_path / "export.zip"))
    assert archive.problems == folder.problems == []
    assert archive.posts[0].source == f"export.zip:posts/{DECEMBER_ID}.html"
    for post in (*archive.posts, *folder.posts):
        post.source = ""
    assert archive.posts == folder.posts


def test_a_zip_of_the_export_folder_itself(tmp_path):
    export = read_export(zipped(EXPORT, tmp_path / "export.zip", prefix="export-2021/"))
    assert export.problems == []
    assert export.posts[0].source == f"export.zip:export-2021/posts/{DECEMBER_ID}.html"
    assert export.posts[0].lines == read_export(EXPORT).posts[0].lines


# -- HTML shapes ---------------------------------------------------------------------


def test_nested_spans_and_whitespace_keep_marks_exact():
    lines, dropped = html_lines(
        '<p>\n  Un <span> <span>lien <a href="https://example.org/a">  <em>très</em>\n'
        "  long </a></span></span>\t ici,<strong> <b>fort</b> </strong>!</p>"
    )
    assert dropped == []
    [line] = lines
    assert line.text == "Un lien très long ici, fort !"
    assert marked(line) == [
        ("très long", "link", "https://example.org/a"),
        ("très", "emphasis", ""),
        ("fort", "strong", ""),
    ]
    assert line.marks[0] == Mark(8, 17, "link", "https://example.org/a")


def test_adjacent_marks_of_one_kind_are_one_mark():
    [line], _ = html_lines("<p><em>La coopération </em><em>illustrée</em> ici</p>")
    assert marked(line) == [("La coopération illustrée", "emphasis", "")]


def test_marks_apart_are_two_marks():
    [line], _ = html_lines(
        '<p><a href="https://example.org/a">un</a>,<a href="https://example.org/a">deux</a> '
        '<a href="https://example.org/a">trois</a> <em>quatre</em> et <em>cinq</em></p>'
    )
    assert marked(line) == [
        ("un", "link", "https://example.org/a"),
        ("deux trois", "link", "https://example.org/a"),
        ("quatre", "emphasis", ""),
        ("cinq", "emphasis", ""),
    ]


def test_a_button_to_a_resource_is_the_letters():
    """A button the editor made towards a document is kept, with its link."""
    lines, dropped = html_lines(
        '<p class="button-wrapper" data-attrs="{&quot;url&quot;:&quot;https://example.org/'
        'rapport-d-essai.pdf&quot;,&quot;text&quot;:&quot;Télécharger&quot;}" '
        'data-component-name="ButtonCreateButton"><a class="button primary" '
        'href="https://example.org/rapport-d-essai.pdf"><span>Télécharger le rapport d’essai'
        "</span></a></p>"
    )
    assert dropped == []
    [line] = lines
    assert marked(line) == [
        ("Télécharger le rapport d’essai", "link", "https://example.org/rapport-d-essai.pdf")
    ]


def test_styled_spans_are_emphasis():
    [line], _ = html_lines(
        '<p><span style="font-weight: 700">gras</span> et <span style="font-style:italic">'
        "penché</span></p>"
    )
    assert marked(line) == [("gras", "strong", ""), ("penché", "emphasis", "")]


def test_br_runs_split_a_paragraph_once():
    lines, _ = html_lines(
        "<p>Lettre d’essai<br><br/>\n<br>\nsuite <strong>forte<br>encore</strong></p>"
    )
    assert texts(lines) == [("para", "Lettre d’essai"), ("para", "suite forte"), ("para", "encore")]
    assert [line.line for line in lines] == [1, 3, 3]
    assert marked(lines[1]) == [("forte", "strong", "")]
    assert marked(lines[2]) == [("encore", "strong", "")]


def test_br_in_a_heading_or_a_caption_is_a_space():
    lines, _ = html_lines(
        "<h2>Titre<br>d’essai</h2><figure><figcaption>a<br>b</figcaption></figure>"
    )
    assert texts(lines) == [("heading", "Titre d’essai"), ("caption", "a b")]


def test_captioned_image_keeps_the_img_address():
    html = (
        '<div class="captioned-image-container"><figure>\n'
        '<a class="image-link image2 is-viewable-img" href="https://example.org/big.png">'
        '<div class="image2-inset"><picture><source srcset="https://example.org/x.webp">'
        '<img src="https://example.org/x.png" alt="Une  image\nd’essai"></picture>'
        '<div class="image-link-expand"><svg><path d="M0"></path></svg></div></div></a>\n'
        '<figcaption class="image-caption">Légende <em>d’essai</em></figcaption></figure></div>'
    )
    lines, dropped = html_lines(html)
    assert lines == [
        SourceLine(2, "Une image d’essai", "image", url="https://example.org/x.png"),
        SourceLine(4, "Légende d’essai", "caption", (Mark(8, 15, "emphasis"),)),
    ]
    assert dropped == []  # the expand icon is the host's, with no text


def test_an_image_inside_a_paragraph_does_not_cut_it():
    lines, _ = html_lines('<p>avant <img src="i.png" alt=""> après</p><p><img src="j.png"></p>')
    assert texts(lines) == [("para", "avant après"), ("image", ""), ("image", "")]
    assert [line.url for line in lines[1:]] == ["i.png", "j.png"]


def test_images_without_an_address_are_reported():
    lines, dropped = html_lines('<p><img alt="rien"><img src="data:image/png;base64,AAAA"></p>')
    assert lines == []
    assert dropped == [
        "ligne 1 : image sans adresse",
        "ligne 1 : image incorporée à la page (data:), sans adresse",
    ]


#: Buttons and widgets as such hosts write them, one a line, among the letter's text.
BUTTONS = (FIXTURES / "host-html" / "buttons.html").read_text(encoding="utf-8")


def test_buttons_and_widgets_are_dropped_and_reported():
    lines, dropped = html_lines(BUTTONS)
    assert texts(lines) == [
        ("para", "Lettre d’essai."),
        ("para", "Texte fin."),
        (
            "para",
            "Pour s’abonner, écrivez à cette adresse : c’est une phrase de la lettre d’essai.",
        ),
    ]
    assert marked(lines[2]) == [("cette adresse", "link", "https://example.org/subscribe")]
    assert dropped == [
        "ligne 2 : bouton « S'abonner »",
        "ligne 3 : bouton « Partager »",
        "ligne 4 : widget d’abonnement",
        "ligne 5 : bouton « Merci ! Laisser un commentaire »",
        "ligne 6 : bouton « Partager sur les réseaux »",
        "ligne 7 : bouton « S’abonner »",
        "ligne 9 : bouton « Partager »",
        "ligne 10 : bouton « Bouton »",
    ]


def test_footers_are_dropped_and_reported():
    lines, dropped = html_lines(
        "<p>Si vous recevez cette newsletter, c’est que vous êtes dans la lettre d’essai.</p>\n"
        "<footer><p>Adresse d’essai</p></footer>\n"
        '<div class="email-footer"><p>Texte d’essai</p></div>\n'
        "<p>Vous recevez cette lettre car vous êtes inscrit à la lettre d’essai.</p>\n"
        '<p><a href="https://example.org/unsubscribe">Se désabonner</a></p>'
    )
    assert texts(lines) == [
        ("para", "Si vous recevez cette newsletter, c’est que vous êtes dans la lettre d’essai.")
    ]
    assert dropped == [
        "ligne 2 : pied de page « Adresse d’essai »",
        "ligne 3 : pied de page « Texte d’essai »",
        "ligne 4 : pied de page « Vous recevez cette lettre car vous êtes inscrit à la lettre… »",
        "ligne 5 : pied de page « Se désabonner »",
    ]


def test_lists_nested_and_ordered():
    lines, _ = html_lines(
        "<ul>\n<li><p>un</p>\n<ol><li><p>un.un</p></li><li>un.deux<ul><li>profond</li></ul></li></ol>"
        "</li>\n<li><p>deux</p></li></ul>\n<ol><li>premier<li>second</ol><p>après</p>"
    )
    assert [(line.kind, line.text, line.level, line.ordered) for line in lines] == [
        ("item", "un", 1, False),
        ("item", "un.un", 2, True),
        ("item", "un.deux", 2, True),
        ("item", "profond", 3, False),
        ("item", "deux", 1, False),
        ("item", "premier", 1, True),
        ("item", "second", 1, True),
        ("para", "après", 0, False),
    ]
    assert [line.line for line in lines[:5]] == [2, 3, 3, 3, 4]


def test_blockquote_gives_one_quote_line_a_paragraph():
    lines, _ = html_lines(
        "<blockquote><p>« Première phrase d’essai.</p><p>Seconde. »</p></blockquote>"
        "<blockquote>Sans paragraphe</blockquote><p>Après</p>"
    )
    assert texts(lines) == [
        ("quote", "« Première phrase d’essai."),
        ("quote", "Seconde. »"),
        ("quote", "Sans paragraphe"),
        ("para", "Après"),
    ]


def test_entities_are_decoded():
    [line], _ = html_lines(
        "<p>R&amp;D &lt;b&gt; l&rsquo;essai&#8217;s&nbsp;:&#160;oui&#x2009;!</p>"
    )
    assert line.text == "R&D <b> l’essai’s : oui !"
    assert line.marks == ()


def test_links_without_text_or_with_other_schemes():
    lines, dropped = html_lines(
        '<p>voir <a href="https://example.org/x"> </a>ici <a href="https://example.org/y"></a>'
        '<a href="javascript:alert(1)">piège</a> <a href="#footnote-1">ancre</a> '
        '<a href="/p/autre-lettre">relatif</a> <a href="MAILTO:essai@example.org">écrire</a> '
        "<a>sans adresse</a></p>"
    )
    [line] = lines
    assert line.text == "voir ici piège ancre relatif écrire sans adresse"
    assert marked(line) == [
        ("relatif", "link", "/p/autre-lettre"),
        ("écrire", "link", "MAILTO:essai@example.org"),
    ]
    assert dropped == ["ligne 1 : lien « javascript: » non repris (son texte est gardé)"]


def test_script_style_iframe_svg_noscript_are_dropped_and_reported():
    lines, dropped = html_lines(
        "<p>avant<script>var x = '<p>faux</p>';</script> après</p>\n"
        "<style>p { color: red }</style>\n"
        '<div class="youtube-wrap"><iframe src="https://example.org/embed/1">texte</iframe></div>\n'
        "<p>icône <svg><text>dans le svg</text></svg>fin</p>\n"
        "<noscript><p>Activez JavaScript</p></noscript><p>dernier</p>"
    )
    assert texts(lines) == [
        ("para", "avant après"),
        ("para", "icône fin"),
        ("para", "dernier"),
    ]
    assert dropped == [
        "ligne 1 : script",
        "ligne 2 : feuille de style",
        "ligne 3 : cadre intégré (iframe) https://example.org/embed/1",
        "ligne 4 : image vectorielle (svg)",
        "ligne 5 : contenu « noscript »",
    ]


def test_unknown_tags_keep_their_text():
    lines, dropped = html_lines(
        "<p><font>police</font> <o:p>office</o:p> <custom-tag data-x=1>inconnu</custom-tag>"
        "<u>souligné</u></p><section><mystery>bloc inconnu</mystery></section>"
    )
    assert texts(lines) == [("para", "police office inconnusouligné"), ("para", "bloc inconnu")]
    assert dropped == []


def test_line_numbers_and_implied_ends():
    lines, _ = html_lines(
        "<div>\n\n  <p>\n\n   premier</p>\n<p>deux\n<div>trois</div>\r\n<h3\n>quatre</h3>"
        "texte nu<table><tr><td>case</td></tr></table>"
    )
    assert [(line.line, line.text) for line in lines] == [
        (3, "premier"),
        (6, "deux"),
        (7, "trois"),
        (8, "quatre"),
        (9, "texte nu"),
        (9, "case"),
    ]
    assert lines[3].kind == "heading" and lines[3].level == 3


def test_empty_blocks_are_dropped():
    lines, dropped = html_lines(
        "<p> </p><p><span>&nbsp;</span></p><h2></h2><ul><li></li></ul><blockquote> </blockquote>"
    )
    assert (lines, dropped) == ([], [])


def test_footnotes():
    lines, _ = html_lines(
        '<p>Un mot<a class="footnote-anchor" data-component-name="FootnoteAnchorToDOM" '
        'href="#footnote-1">1</a> d’essai.</p>\n'
        '<div class="footnote" data-component-name="FootnoteToDOM">'
        '<a class="footnote-number" href="#footnote-anchor-1">1</a>'
        '<div class="footnote-content"><p>La note <a href="https://example.org/n">d’essai</a>.</p>'
        "</div></div>"
    )
    assert texts(lines) == [("para", "Un mot[1] d’essai."), ("para", "[1] La note d’essai.")]
    assert marked(lines[1]) == [("d’essai", "link", "https://example.org/n")]
    assert lines[1].line == 2


def test_a_whole_document_keeps_its_body():
    lines, dropped = html_lines(
        "<!DOCTYPE html><html><head><title>Titre</title><meta charset=utf-8></head>"
        "<body><!-- commentaire --><p>Corps d’essai</p></body></html>"
    )
    assert texts(lines) == [("para", "Corps d’essai")]
    assert dropped == ["ligne 1 : en-tête du document HTML"]


TAGS = ["p", "h2", "li", "ul", "ol", "em", "strong", "span", "blockquote", "figcaption", "div"]
PIECES = st.one_of(
    st.sampled_from([f"<{t}>" for t in TAGS] + [f"</{t}>" for t in TAGS]),
    st.sampled_from(["<br>", '<a href="https://example.org/x">', "</a>", "<img src=i.png>"]),
    st.sampled_from(["<script>", "</script>", '<p class="button-wrapper">', "&amp;", "&nbsp;"]),
    st.text(alphabet=" \n\tab’é", max_size=6),
)


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(st.lists(PIECES, max_size=40))
def test_any_tag_soup_gives_well_formed_lines(pieces):
    html = "".join(pieces)
    lines, dropped = html_lines(html)
    assert all(isinstance(note, str) and note.startswith("ligne ") for note in dropped)
    for line in lines:
        assert line.kind in ("para", "heading", "item", "quote", "caption", "image")
        assert 1 <= line.line <= html.count("\n") + 1
        if line.kind != "image":
            assert line.text and line.text == " ".join(line.text.split())
        for mark in line.marks:
            assert 0 <= mark.start < mark.end <= len(line.text)
            covered = line.text[mark.start : mark.end]
            assert covered == covered.strip()


# -- the archive ---------------------------------------------------------------------


def test_missing_posts_csv(tmp_path):
    (tmp_path / "export").mkdir()
    (tmp_path / "export" / "autre.csv").write_text("a\n", encoding="utf-8")
    with pytest.raises(ExportFormatError) as folder:
        read_export(tmp_path / "export")
    assert folder.value.message == (
        "export : ce n’est pas un export de l’hébergeur : posts.csv introuvable"
    )
    with pytest.raises(ExportFormatError) as archive:
        read_export(zipped(tmp_path / "export", tmp_path / "export.zip"))
    assert archive.value.message == (
        "export.zip : ce n’est pas un export de l’hébergeur : posts.csv introuvable"
    )


def test_not_a_zip(tmp_path):
    path = tmp_path / "export.zip"
    path.write_bytes(b"Lettre d'essai, pas une archive\n")
    with pytest.raises(ExportFormatError, match=r"^export\.zip : ce n’est pas une archive ZIP"):
        read_export(path)
    with pytest.raises(ExportFormatError, match=r"^absent\.zip : introuvable"):
        read_export(tmp_path / "absent.zip")


def test_a_csv_without_post_id(tmp_path):
    write_export(tmp_path / "export", [], {})
    (tmp_path / "export" / "posts.csv").write_text("id,title\n1,Lettre d’essai\n", encoding="utf-8")
    with pytest.raises(ExportFormatError) as error:
        read_export(tmp_path / "export")
    assert error.value.message == (
        "export:posts.csv : pas de colonne « post_id » dans l’en-tête (colonnes lues : id, "
        "title) ; ce n’est pas un export de l’hébergeur"
    )
    (tmp_path / "export" / "posts.csv").write_bytes(b"post_id\n\xff\xfe\n")
    with pytest.raises(ExportFormatError, match="ce n’est pas de l’UTF-8"):
        read_export(tmp_path / "export")


def test_tolerant_columns(tmp_path):
    """Columns found by name, in any order and case; some missing, others extra; a BOM."""
    folder = tmp_path / "export"
    (folder / "posts").mkdir(parents=True)
    (folder / "posts.csv").write_text(
        "\ufeffExtra,Title,POST_ID,is_published\nx,Lettre d’essai,1.essai,TRUE\n,,\n",
        encoding="utf-8",
    )
    (folder / "posts" / "1.essai.html").write_bytes("\ufeff".encode() + essai(1).encode())
    export = read_export(folder)
    assert export.problems == []
    [post] = export.posts
    assert (post.post_id, post.title, post.subtitle, post.date, post.published) == (
        "1.essai",
        "Lettre d’essai",
        "",
        "",
        True,
    )
    assert texts(post.lines) == [("para", "Lettre d’essai n° 1.")]


def test_one_missing_body_is_a_problem_and_the_others_are_read(tmp_path):
    folder = write_export(
        tmp_path / "export",
        [
            {"post_id": "1.essai", "post_date": "2022-01-10T08:00:00.000Z"},
            {"post_id": "2.essai", "post_date": "2022-02-10T08:00:00.000Z"},
            {"post_id": "3.essai", "post_date": "2022-03-10T08:00:00.000Z"},
        ],
        {"1.essai": essai(1), "3.essai": essai(3)},
    )
    for path in (folder, zipped(folder, tmp_path / "export.zip")):
        export = read_export(path)
        assert [post.post_id for post in export.posts] == ["1.essai", "3.essai"]
        assert export.problems == [
            f"{path.name}:posts.csv:3 : lettre 2.essai non importée : posts/2.essai.html "
            f"introuvable dans {path.name}"
        ]


def test_drafts_are_kept_as_drafts_and_come_last(tmp_path):
    ids = [
        "4.brouillon",
        "3.mars",
        "5.brouillon",
        "1.janvier",
        "2.fevrier-brouillon",
        "0.meme-jour-plus-tard",
    ]
    folder = write_export(
        tmp_path / "export",
        [
            {"post_id": "4.brouillon", "post_date": "", "is_published": "false"},
            {"post_id": "3.mars", "post_date": "2022-03-10T08:00:00.000Z"},
            {"post_id": "5.brouillon", "post_date": "", "is_published": "false"},
            {"post_id": "1.janvier", "post_date": "2022-01-10T08:00:00.000Z"},
            {"post_id": "2.fevrier-brouillon", "post_date": "2022-02-01", "is_published": "false"},
            {"post_id": "0.meme-jour-plus-tard", "post_date": "2022-01-10T18:00:00+01:00"},
        ],
        {post_id: essai(number) for number, post_id in enumerate(ids)},
    )
    export = read_export(zipped(folder, tmp_path / "export.zip"))
    assert export.problems == []
    assert [(p.post_id, p.date, p.published) for p in export.posts] == [
        ("1.janvier", "2022-01-10", True),
        ("0.meme-jour-plus-tard", "2022-01-10", True),
        ("2.fevrier-brouillon", "2022-02-01", False),
        ("3.mars", "2022-03-10", True),
        ("4.brouillon", "", False),
        ("5.brouillon", "", False),
    ]


def test_a_post_date_is_its_day_in_france(tmp_path):
    folder = write_export(
        tmp_path / "export",
        [{"post_id": "1.essai", "post_date": "2021-12-31T23:30:00.000Z"}],
        {"1.essai": essai(1)},
    )
    assert read_export(folder).posts[0].date == "2022-01-01"


def test_unreadable_dates_flags_and_types(tmp_path):
    folder = write_export(
        tmp_path / "export",
        [
            {"post_id": "1.essai", "post_date": "le 3 mars", "is_published": "peut-être"},
            {"post_id": "2.podcast", "type": "podcast"},
            {"post_id": "3.fil", "type": "thread"},
            {"post_id": "1.essai"},
            {"post_id": "", "title": "Lettre d’essai sans identifiant"},
        ],
        {"1.essai": essai(1), "2.podcast": essai(2), "9.orphelin": essai(9)},
    )
    export = read_export(folder)
    assert [(p.post_id, p.date, p.published) for p in export.posts] == [("1.essai", "", False)]
    assert export.problems == [
        "export:posts.csv:2 : 1.essai : date « le 3 mars » illisible : lettre gardée sans date",
        "export:posts.csv:2 : 1.essai : is_published « peut-être » non reconnu : lettre gardée "
        "en brouillon",
        "export:posts.csv:3 : 2.podcast ignoré : type podcast (seules les lettres, de type "
        "newsletter, sont importées)",
        "export:posts.csv:4 : 3.fil ignoré : type thread (seules les lettres, de type newsletter, "
        "sont importées)",
        "export:posts.csv:5 : 1.essai figure deux fois dans posts.csv ; seconde ligne ignorée",
        "export:posts.csv:6 : ligne sans post_id, ignorée",
        "export:posts/9.orphelin.html : absent de posts.csv, ignoré",
    ]


def test_member_names_that_climb_are_refused(tmp_path):
    folder = write_export(
        tmp_path / "export",
        [{"post_id": "1.essai"}, {"post_id": "../secret"}, {"post_id": "lien"}],
        {"1.essai": essai(1)},
    )
    (tmp_path / "secret.html").write_text("<p>secret</p>", encoding="utf-8")
    (folder / "posts" / "lien.html").symlink_to(tmp_path / "secret.html")
    export = read_export(folder)
    assert [post.post_id for post in export.posts] == ["1.essai"]
    assert export.problems == [
        "export:posts.csv:3 : post_id « ../secret » refusé (chemin dans le nom) ; ignoré",
        "export:posts.csv:4 : lettre lien non importée : posts/lien.html mène hors du dossier de "
        "l’export : refusé",
    ]
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w") as stream:
        stream.write(folder / "posts.csv", "posts.csv")
        stream.writestr("posts/1.essai.html", essai(1))
        stream.writestr("../posts/lien.html", "<p>dehors</p>")
        stream.writestr("/posts/lien.html", "<p>absolu</p>")
    export = read_export(archive)
    assert [post.post_id for post in export.posts] == ["1.essai"]
    assert export.problems[:2] == [
        "export.zip : membre « ../posts/lien.html » refusé (chemin absolu ou « .. ») ; il n’est "
        "pas lu",
        "export.zip : membre « /posts/lien.html » refusé (chemin absolu ou « .. ») ; il n’est "
        "pas lu",
    ]
    assert (
        "lettre lien non importée : posts/lien.html introuvable dans export.zip"
        in export.problems[3]
    )


def test_size_limits(tmp_path, monkeypatch):
    folder = write_export(
        tmp_path / "export",
        [{"post_id": f"{n}.essai", "post_date": f"2022-0{n}-01"} for n in (1, 2, 3)],
        {"1.essai": essai(1), "2.essai": essai(2) * 100, "3.essai": essai(3)},
    )
    monkeypatch.setattr(host_export, "MAX_HTML_BYTES", 1000)
    archive = zipped(folder, tmp_path / "export.zip")
    export = read_export(archive)
    assert [post.post_id for post in export.posts] == ["1.essai", "3.essai"]
    assert export.problems == [
        "export.zip:posts.csv:3 : lettre 2.essai non importée : posts/2.essai.html dépasse 0 Mo "
        f"({len(essai(2).encode()) * 100} octets) : non lu"
    ]
    monkeypatch.setattr(host_export, "MAX_TOTAL_BYTES", 200)
    export = read_export(archive)
    assert [post.post_id for post in export.posts] == ["1.essai"]
    assert "l’archive dépasserait 0 Mo lus au total" in export.problems[-1]


def test_a_zip_whose_sizes_lie_is_still_bounded(tmp_path, monkeypatch):
    """A member that declares a small size but inflates to more is not read past
    what it declares (its CRC then fails): a problem, not a crash."""
    folder = write_export(tmp_path / "export", [{"post_id": "1.essai"}], {})
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as stream:
        stream.write(folder / "posts.csv", "posts.csv")
        stream.writestr("posts/1.essai.html", "<p>" + "a" * 50_000 + "</p>")
    data = bytearray(archive.read_bytes())
    monkeypatch.setattr(host_export, "MAX_HTML_BYTES", 10_000)
    # lie about the uncompressed size in the central directory
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as stream:
        info = stream.getinfo("posts/1.essai.html")
    central = data.rfind(b"PK\x01\x02", 0, data.rfind(b"posts/1.essai.html"))
    data[central + 24 : central + 28] = (100).to_bytes(4, "little")
    assert info.file_size == 50_007
    archive.write_bytes(bytes(data))
    export = read_export(archive)
    assert export.posts == []
    assert export.problems == [
        "export.zip:posts.csv:2 : lettre 1.essai non importée : posts/1.essai.html illisible dans "
        "l’archive (Bad CRC-32 for file 'posts/1.essai.html')"
    ]


def test_an_html_body_not_in_utf8(tmp_path):
    folder = write_export(tmp_path / "export", [{"post_id": "1.essai"}], {})
    (folder / "posts" / "1.essai.html").write_bytes(b"<p>ligne</p>\n<p>caf\xe9</p>")
    export = read_export(folder)
    assert export.posts == []
    assert export.problems == [
        "export:posts/1.essai.html:2 : pas en UTF-8 (octet 0xE9) ; lettre non importée"
    ]
