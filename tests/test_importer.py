"""``almanach import``: the rules as fixture cases, the whole seed built without
warnings and without a lost word, a property test on random letters of the
seed's shape, encodings, and the file handling of the command."""

from __future__ import annotations

import codecs
import os
import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it.renderer import RendererHTML
from myst_parser.config.main import MdParserConfig
from myst_parser.parsers.directives import is_option_line
from myst_parser.parsers.mdit import create_md_parser
from myst_parser.parsers.options import options_to_items

from almanach.cli.__main__ import main
from almanach.model.registry import load_registry
from almanach.model.schemas import ID_PATTERN
from almanach.rules.directives import RESOURCE_KINDS
from almanach.tools.importer.cues import KIND_WORDS
from almanach.tools.importer.decoding import decode_letter
from almanach.tools.importer.inline import NameIndex
from almanach.tools.importer.plain_text import (
    convert_body,
    declared_resources,
    import_letter,
    letter_number,
    next_number,
)
from almanach.tools.importer.source import plain_lines
from helpers import ROOT, SEED, build, chunks, copy_project, first_missing, warning_lines

FIXTURES = Path(__file__).parent / "fixtures" / "importer"
REGISTRY = load_registry(ROOT / "docs" / "registres")

settings.register_profile(
    "almanach-importer",
    derandomize=True,
    max_examples=100,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
# Loaded for this module's property tests only, so that it changes no other test.
IMPORTER_PROFILE = settings.get_profile("almanach-importer")


# -- the rules, as fixture cases ----------------------------------------------------


def read_cases(path: Path) -> list[tuple[str, str, str, str]]:
    """(id, title, input, expected) for each case of a fixture file: a title
    line, « . », the input, « . », the expected MyST, « . », a blank line."""
    lines = path.read_text(encoding="utf-8").split("\n")
    cases, index = [], 0
    while index < len(lines):
        if not lines[index].strip():
            index += 1
            continue
        title, start = lines[index], index + 1
        assert lines[index + 1] == ".", f"{path.name}:{start}: « . » expected after the title"
        index += 2
        parts = []
        for _part in range(2):
            end = lines.index(".", index)
            parts.append("\n".join(lines[index:end]))
            index = end + 1
        cases.append((f"{path.stem}:{start}", title, parts[0], parts[1]))
    return cases


CASES = [case for path in sorted(FIXTURES.glob("*.txt")) for case in read_cases(path)]


def test_there_are_many_cases():
    assert len(CASES) >= 15


@pytest.mark.parametrize(
    ("title", "source", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_fixture_case(title, source, expected):
    assert convert_body(source, REGISTRY)[0].rstrip("\n") == expected, title


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A copy of the project, as the working folder, with the seed in it."""
    root = tmp_path / "projet"
    copy_project(root)
    shutil.copy(SEED, root / "lettre.txt")
    monkeypatch.chdir(root)
    return root


# -- the seed: imported next to the real letter, built, every word kept -------------


@pytest.fixture(scope="module")
def imported_seed(tmp_path_factory):
    """The seed imported by the command into a copy of the project, next to the
    real December letter, with every fixture case imported as one more letter;
    then the project built once (preview, so that drafts are built)."""
    base = tmp_path_factory.mktemp("import-seed")
    srcdir = copy_project(base)
    (base / "cas.txt").write_text("\n".join(case[2] for case in CASES), encoding="utf-8")
    previous = Path.cwd()
    os.chdir(base)
    try:
        assert main(["import", str(SEED), "--date", "2022-01"]) == 0
        assert main(["import", "cas.txt", "--date", "2022-04"]) == 0
    finally:
        os.chdir(previous)
    app, warnings = build(srcdir, freshenv=True, confoverrides={"almanach_preview": True})
    draft = (base / "issues" / "2022-01.md").read_text(encoding="utf-8")
    return draft, Path(app.outdir), warning_lines(warnings, srcdir)


def test_seed_and_fixture_drafts_build_without_warnings(imported_seed):
    _draft, html, warnings = imported_seed
    assert warnings == []
    assert (html / "lettres" / "2022-01.html").is_file()
    assert (html / "lettres" / "2022-04.html").is_file()


def test_seed_draft_keeps_every_word_in_order(imported_seed):
    _draft, html, _warnings = imported_seed
    soup = BeautifulSoup((html / "lettres" / "2022-01.html").read_text("utf-8"), "html.parser")
    article = soup.find("article")
    for permalink in article.select("a.headerlink"):
        permalink.decompose()
    # (the site's French typography writes ' as ’)
    seed = chunks(SEED.read_text(encoding="utf-8"), apostrophes_alike=True)
    page = chunks(article.get_text(), apostrophes_alike=True)
    missing = first_missing(seed, page)
    assert missing is None, (
        f"seed word {missing} missing: {' '.join(seed[missing : missing + 8])!r}"
    )


def test_seed_draft_front_matter_and_structure(imported_seed):
    draft, _html, _warnings = imported_seed
    assert draft.startswith(
        "---\nnumber: 3\ndate: 2022-01\ntitle: Coopérer pour changer\nstatus: draft\n"
        'summary: "Le mois dernier, nous vous avons dit à quel point nous sommes ravis'
    )
    # the summary is the édito's start, to review; the date was given (--date): no guess
    assert "\n---\n\n% à revoir : résumé (summary) repris d’après le début de l’édito" in draft
    assert "% à revoir : date" not in draft
    assert "\n# Lettre n° 3 — janvier 2022\n" in draft
    assert len(re.findall(r"^:{4,}\{rubrique\}", draft, re.M)) == 7
    assert re.findall(r"^:{3,}\{territory-update\} (\S+)", draft, re.M) == [
        "lomme",
        "rodez-agglomeration",
        "faverges",
        "albigeois-bastides",
    ]
    assert re.findall(r"^:speaker: (\S+)", draft, re.M) == ["jacques-fradin", "julien-frat"]
    assert re.findall(r"^:source: (\S+)", draft, re.M) == [
        "synthese-principaux-enseignements-tires"
    ]
    # 17 resources, all pending but pact2.fr, whose address the letter gives
    assert draft.count(":pending:") == 16
    assert re.findall(r"^:url: (\S+)", draft, re.M) == ["https://pact2.fr"]
    assert re.findall(r"\{cite:p\}`(\w+)`", draft) == ["hopkins2010"]
    assert set(re.findall(r"\{event\}`[^`]*<([\w-]+)>`", draft)) == {
        "journees-2021-11",
        "journees-2022-01",
    }


def test_seed_report(project, capsys):
    assert main(["import", str(SEED), "--date", "2022-01", "-o", "brouillon.md"]) == 0
    report = capsys.readouterr().out
    assert report.startswith("Brouillon écrit : brouillon.md\n")
    for line in (
        "  Rubriques (7) :",
        "    ligne 3 : 🗣️ Édito : Coopérer pour changer",
        "  Nouvelles des territoires (4) :",
        "    ligne 39 : Lomme — Guillaume Demeyer ; question : « Quels projets impulsent "
        "les transitions sur votre… »",
        "  Citations attribuées (3) :",
        "    ligne 22 : integralite-intervention-retour-experience (audio, lien perdu, "
        ":pending:) — "
        "« L’intégralité de l’intervention — Le retour d’expérience à quatre voix du "
        "Puy-de-Dôme »",
        "  Listes (1) :",
        "  Références de la bibliographie ({cite:p}) (1) :",
        "    ligne 40 : hopkins2010 — Hopkins, Manuel de transition : de la dépendance au pétrole "
        "à la résilience locale (2010)",
        "  Citations sans auteur établi, en citation simple « > » : aucun",
        "  Noms non reconnus (absents de docs/registres) : aucun",
    ):
        assert line in report.splitlines(), line
    assert "ligne à émoji qui n’est pas une rubrique du registre" in report


# -- random letters of the seed's shape never lose a word -------------------------

MD = create_md_parser(MdParserConfig(enable_extensions={"colon_fence", "deflist"}), RendererHTML)
#: Markup the importer must never produce by accident.
BIBLIOGRAPHY_KEYS = {"hopkins2008", "hopkins2010"}
FORBIDDEN = {
    "html_block",
    "html_inline",
    "code_block",
    "fence",
    "code_inline",
    "hr",
    "heading_open",
    "lheading_open",
    "myst_target",
    "myst_block_break",
    "ordered_list_open",
    "dl_open",
    "table_open",
    "footnote_ref",
    "footnote_reference_open",
    "link_open",
    "image",
    "em_open",
}
DIRECTIVES = {"rubrique", "territory-update", "quote", "resource"}


def read_text(letter: str) -> str:
    """The letter as the importer reads it: its lines, a list item's bullet
    (« - », « • »…) left out, since the draft writes the item as a list's."""
    return "\n".join(line.text for line in plain_lines(letter))


def rendered_text(myst: str) -> str:
    """What a reader sees of a MyST body, as MyST-Parser reads it: text, the
    text of mentions, directive options that are shown (rubrique headings and
    descriptions from the registry, subtitles, questions, resource titles)
    and, since the importer keeps rubrique descriptions there, comments."""
    parts: list[str] = []
    _walk(MD.parse(myst), parts)
    return "\n".join(parts)


def _walk(tokens, parts: list[str]) -> None:
    for token in tokens:
        assert token.type not in FORBIDDEN, f"unexpected {token.type}: {token.content!r}"
        if token.type == "inline":
            parts.append(_inline_text(token))
        elif token.type == "myst_line_comment":
            parts.append(token.content)
        elif token.type == "colon_fence":
            _directive(token.info, token.content, parts)


def _inline_text(token) -> str:
    text = []
    for child in token.children or []:
        assert child.type not in FORBIDDEN, f"unexpected {child.type}: {token.content!r}"
        if child.type == "text":
            text.append(child.content)
        elif child.type == "softbreak":
            text.append(" ")
        elif child.type == "myst_role":
            if child.meta["name"] == "cite:p":
                assert child.content in BIBLIOGRAPHY_KEYS, child.content
                continue
            assert child.meta["name"] in {
                "person",
                "territory",
                "organisation",
                "resource",
                "event",
            }
            match = re.fullmatch(r"(.*?)\s*<([^<>]+)>", child.content, re.S)
            assert match and ID_PATTERN.match(match.group(2)), child.content
            text.append(match.group(1))
    return "".join(text)


def _directive(info: str, content: str, parts: list[str]) -> None:
    match = re.fullmatch(r"\{([\w-]+)\}\s*(.*)", info.strip())
    assert match and match.group(1) in DIRECTIVES, info
    name, argument = match.groups()
    lines = content.split("\n")
    count = 0
    while count < len(lines) and is_option_line(lines[count]):
        count += 1
    items, state = options_to_items("\n".join(line.lstrip()[1:] for line in lines[:count]))
    assert not state.has_comments
    options = dict(items)
    if name == "territory-update":
        assert argument in REGISTRY.territories
        assert all(person in REGISTRY.people for person in options["speakers"].split(", "))
    elif name == "quote":
        assert options["speaker"] in REGISTRY.people
    elif name == "resource":
        assert ID_PATTERN.match(argument)
        assert options["kind"] in RESOURCE_KINDS and "pending" in options
        assert options["title"].strip()
    if name == "rubrique":
        rubrique = REGISTRY.rubriques[argument]
        parts.append(
            rubrique.label + (f" : {options['subtitle']}" if "subtitle" in options else "")
        )
        parts.append(rubrique.get("description", ""))
    for shown in ("question", "title"):
        if shown in options:
            # The directives parse these options as inline text.
            _walk(MD.parseInline(options[shown]), parts)
    _walk(MD.parse("\n".join(lines[count:])), parts)


NAMES = sorted(
    entry.label
    for key in ("people", "territories", "organisations")
    for entry in REGISTRY[key].values()
)
PEOPLE = sorted(entry.label for entry in REGISTRY.people.values())
#: Words with a meaning in MyST, LaTeX or HTML, and words the importer reacts to.
TRICKY = [
    *r"""# ## - + * 1. 2) > % : ::: ::::{rubrique} +++ --- *** ___ === ~~~ ``` (cible)= <b> </div>
    <!-- --> &amp; &#35; [lien](https://x.fr) ![i](x.png) `code` **gras** _em_ {person}`x` $x$ $$
    \ \* [^1] [^1]: | |a|b| <https://x.fr> {{x}} ici ici. là. d’ici Témoignage “ ” « » … ’ ' "
    ? { } [ ] < > & _ ~ ^ #x 'q' \textbf{x} %comment""".split(),
    "ici :",
    "par là",
    "D’ici là,",
]
#: Letters with accents, and every character MyST, LaTeX or HTML gives a meaning.
ALPHABET = (
    "abcdefghijklmnopqrstuvwxyzàâçéèêëîïôœùûüÿÀÉÈÇŒABCDEFZ0123456789"
    "*_`#<>{}[]$%&\\|~:+-=!()^@.,;?'’\"/"
)
WORDS = st.one_of(
    st.text(alphabet=ALPHABET, min_size=1, max_size=9),
    st.sampled_from(TRICKY),
    st.sampled_from(NAMES),
)
#: What would open a block at the start of a line.
BLOCK_STARTS = [
    *"# ## > - + * 1. 2) % : ::: ::::{quote} ~ ~~~ ``` +++ --- *** ___ === (cible)= |".split(),
    *"<div> [^1]: [x]:".split(),
    "    ",
]
# Lines often start with a special word: that is where block markup would begin.
SENTENCE = st.tuples(st.one_of(st.sampled_from(TRICKY), WORDS), st.lists(WORDS, max_size=11)).map(
    lambda t: " ".join([t[0], *t[1]])
)
HEADINGS = [
    f"{r.get('emoji')}{sep}{r.get('title')}"
    for r in REGISTRY.rubriques.values()
    for sep in (" ", "")
]
LINE = st.one_of(
    st.sampled_from(HEADINGS),
    SENTENCE.map(lambda s: f"🗣️ Édito : {s}"),
    st.sampled_from(
        [r.get("description") for r in REGISTRY.rubriques.values() if r.get("description")]
    ),
    st.tuples(st.sampled_from(["", *PEOPLE]), SENTENCE).map(
        lambda t: f"➡️ {t[0]}, {t[1]}" if t[0] else f"➡️ {t[1]}"
    ),
    st.tuples(st.sampled_from(PEOPLE), SENTENCE).map(lambda t: f"➡️ Témoignage de {t[0]}. {t[1]}"),
    SENTENCE.map(lambda s: f"“{s}”"),
    SENTENCE.map(lambda s: f"« {s} »"),
    SENTENCE.map(lambda s: f"{s} ?"),
    st.tuples(st.sampled_from(BLOCK_STARTS), SENTENCE, st.sampled_from(["", " ?", " ici."])).map(
        lambda t: f"{t[0]} {t[1]}{t[2]}"
    ),
    st.tuples(st.lists(st.sampled_from(PEOPLE), min_size=1, max_size=2), SENTENCE).map(
        lambda t: f"{' et '.join(t[0])}, {t[1]} :"
    ),
    st.tuples(
        SENTENCE,
        st.sampled_from(
            [" ici.", " à retrouver ici :", " par là.", " sous forme audio :", " ici et"]
        ),
    ).map("".join),
    SENTENCE,
    SENTENCE.map(lambda s: "    " + s),
)
LETTER = st.tuples(
    st.lists(LINE, min_size=1, max_size=25), st.sampled_from(["\n", "\r\n", "\n\n"])
).map(lambda t: t[1].join(t[0]))


@IMPORTER_PROFILE
@given(LETTER)
def test_random_letters_lose_no_word(letter):
    text, _encoding = decode_letter(letter.encode("utf-8"))
    body, _blocks, _report = convert_body(text, REGISTRY)
    expected = chunks(read_text(text))
    missing = first_missing(expected, chunks(rendered_text(body)))
    assert missing is None, f"word {missing} lost: {expected[missing : missing + 6]}\n{body}"
    ids = re.findall(r"^:{3,}\{resource\} (\S+)", body, re.M)
    assert len(ids) == len(set(ids))


@IMPORTER_PROFILE
@given(LETTER, st.sampled_from(["utf-8", "utf-8-sig"]))
def test_random_letters_make_a_valid_draft(letter, encoding):
    text, _encoding = decode_letter(letter.encode(encoding))
    draft = import_letter(text, REGISTRY, number=7, date="2022-03", taken_ids={"articles"})
    assert draft.myst.startswith("---\nnumber: 7\ndate: 2022-03\n")
    assert draft.title.strip()
    assert "\n:::{resource} articles\n" not in draft.myst


@pytest.mark.parametrize("start", BLOCK_STARTS)
@pytest.mark.parametrize(
    "shape",
    [
        "{start} mot ici.",
        "Avant.\n{start} mot",
        "Avant.\n{start}",
        "🔎 Les nouvelles des territoires…\n{start} mot ?\nJulien Frat, directeur :\n{start} mot",
        "➡️ Jacques Fradin.\n“{start} mot”",
        "{start} mot \\&amp; \\<b> \\`x` \\*y* \\_z_ {start} ici.",
    ],
    ids=["alone", "after-paragraph", "whole-line", "question-and-update", "quote", "backslashes"],
)
def test_block_starts_everywhere_lose_no_word(shape, start):
    """Every block marker, in every place a line can be, without leaning on chance."""
    letter = shape.format(start=start)
    body = convert_body(letter, REGISTRY)[0]
    assert first_missing(chunks(read_text(letter)), chunks(rendered_text(body))) is None, body


def test_the_word_check_notices_a_lost_word():
    """The property above fails if one word disappears from the draft."""
    body = convert_body("Un mot *rare* ici.", REGISTRY)[0]
    assert first_missing(chunks("Un mot *rare* ici."), chunks(rendered_text(body))) is None
    lost = body.replace("\\*rare\\* ", "", 1)
    assert lost != body
    assert first_missing(chunks("Un mot *rare* ici."), chunks(rendered_text(lost))) is not None


def test_the_markup_check_notices_raw_html():
    with pytest.raises(AssertionError, match="html_inline"):
        rendered_text("Du <b>gras</b>.")


# -- pieces of the importer ---------------------------------------------------------


def test_kind_words_are_resource_kinds():
    assert {kind for _pattern, kind in KIND_WORDS} <= set(RESOURCE_KINDS)


def test_longest_name_wins(tmp_path):
    registres = tmp_path / "registres"
    shutil.copytree(ROOT / "docs" / "registres", registres)
    with (registres / "organisations.yaml").open("a", encoding="utf-8") as stream:
        stream.write("\nfabrique:\n  name: La Fabrique\n")
    index = NameIndex(load_registry(registres))
    found = index.find("La Fabrique et l’Association de Promotion de la Fabrique des Transitions")
    assert [(f.start, f.name.id) for f in found] == [
        (0, "fabrique"),
        (17, "fabrique-des-transitions"),
    ]


def test_report_lists_unknown_names_and_plain_quotes():
    source = (
        "🔎 Les nouvelles des territoires…\nPaul Martin, maire :\n“Une phrase.”\n"
        "➡️ Témoignage de Anne Durand."
    )
    report = convert_body(source, REGISTRY)[2]
    assert [noted.label for noted in report.unknown_names] == ["Paul Martin", "Anne Durand"]
    assert [noted.line for noted in report.plain_quotes] == [3]
    assert report.plain[0].detail == ""


def test_title_precedence():
    body = "📖 En théorie…\nUn texte.\n🗣️ Édito : Le vrai titre\nUn édito."
    assert import_letter(body, REGISTRY, number=1, date="2022-01").title == "Le vrai titre"
    assert import_letter(body, REGISTRY, number=1, date="2022-01", title="Choisi").title == "Choisi"
    no_edito = import_letter("📖 En théorie…\nUn texte.", REGISTRY, number=1, date="2022-01")
    assert no_edito.title == "En théorie…"
    nothing = import_letter("Un texte.", REGISTRY, number=4, date="2022-05")
    assert nothing.title == "Lettre n° 4 — mai 2022"


def test_title_that_yaml_would_misread_is_quoted():
    draft = import_letter("🗣️ Édito : Oui : non # 2022", REGISTRY, number=1, date="2022-01")
    assert '\ntitle: "Oui : non # 2022"\n' in draft.myst


def test_letter_numbers_and_declared_resources():
    letters = [
        "---\nnumber: 2\ndate: 2021-12\n---\n\n:::{resource} a\n:::\n\n::::{resource} b-c\n",
        "\ufeff---\r\nnumber: 11\r\n---\r\n",
        "---\ntitle: sans numéro\n---\nnumber: 99\n",
    ]
    assert [letter_number(text) for text in letters] == [2, 11, None]
    assert next_number(letters) == 12
    assert next_number([]) == 1
    assert declared_resources(letters) == {"a", "b-c"}


# -- encodings and line ends -------------------------------------------------------

SAMPLE = (
    "Quels projets impulsent les transitions ?\r\n"
    "Jeannie Tremblay, première adjointe à Faverges :\r\n"
    "L’été, “l’œuvre” de l’équipe… « enfin » coûte 5 € ; la synthèse est à retrouver ici.\r\n"
)


@pytest.mark.parametrize(
    "data",
    [
        SAMPLE.replace("\r\n", "\n").encode("utf-8"),
        codecs.BOM_UTF8 + SAMPLE.replace("\r\n", "\n").encode("utf-8"),
        SAMPLE.encode("utf-8"),
        SAMPLE.replace("\r\n", "\r").encode("utf-8"),
        SAMPLE.encode("cp1252"),
        codecs.BOM_UTF8 + SAMPLE.encode("utf-8"),
    ],
    ids=["utf-8", "utf-8-bom", "crlf", "cr", "cp1252", "bom-crlf"],
)
def test_encodings_give_the_same_draft(data, project, capsys):
    (project / "lettre.txt").write_bytes(data)
    assert main(["import", "lettre.txt", "--date", "2022-02", "-o", "sortie.md"]) == 0
    expected = import_letter(SAMPLE.replace("\r\n", "\n"), REGISTRY, number=3, date="2022-02").myst
    assert (project / "sortie.md").read_text(encoding="utf-8") == expected
    assert "territory-update} faverges" in expected


def test_encoding_is_named_in_the_report(project, capsys):
    (project / "lettre.txt").write_bytes(SAMPLE.encode("cp1252"))
    assert main(["import", "lettre.txt", "--date", "2022-02", "-o", "sortie.md"]) == 0
    assert "(Windows-1252)" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (SAMPLE.encode("utf-16"), "UTF-16"),
        (SAMPLE.encode("utf-16-le"), "octets nuls"),
        (SAMPLE.encode("utf-32"), "UTF-32"),
        (bytes(range(256)), "octets nuls"),
        (b"\x89PNG\r\n\x1a\n" + bytes([1, 2, 3]), "caractère de contrôle"),
        ("Caf\u00e9 ".encode() + b"\x81\x8d", "ni UTF-8 ni Windows-1252"),
        (codecs.BOM_UTF8 + b"Caf\xe9", "octets invalides"),
        (b"  \r\n\n", "vide"),
    ],
    ids=["utf-16", "utf-16-no-bom", "utf-32", "binary", "png", "undecodable", "bad-bom", "empty"],
)
def test_unsupported_input_is_a_clear_error(data, message, project, capsys):
    (project / "lettre.txt").write_bytes(data)
    assert main(["import", "lettre.txt", "--date", "2022-02"]) == 2
    captured = capsys.readouterr()
    assert captured.err.startswith("almanach import : erreur : lettre.txt : ")
    assert message in captured.err
    assert "Traceback" not in captured.err
    assert not (project / "issues" / "2022-02.md").exists()


# -- the command: files, options, errors -------------------------------------------


def test_help_is_french(capsys):
    assert main(["import", "--help"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("usage : almanach import")
    assert "affiche cette aide et quitte" in out
    assert "--force" in out and "remplace le brouillon" in out


def test_default_output_number_and_title(project, capsys):
    assert main(["import", "lettre.txt", "--date", "2022-01"]) == 0
    draft = (project / "issues" / "2022-01.md").read_text(encoding="utf-8")
    assert draft.startswith("---\nnumber: 3\ndate: 2022-01\ntitle: Coopérer pour changer\n")
    assert capsys.readouterr().out.startswith("Brouillon écrit : issues/2022-01.md\n")


JANUARY = (
    "Bonjour à toutes et à tous,\n"
    "Voici la lettre de janvier, et bonne année 2022 à chacune et chacun !\n"
)


def test_the_date_is_the_one_the_letter_says(project, capsys):
    """Never the day the command runs: the letter's own words, with the archive."""
    (project / "lettre.txt").write_text(JANUARY, encoding="utf-8")
    assert main(["import", "lettre.txt"]) == 0
    draft = (project / "issues" / "2022-01.md").read_text(encoding="utf-8")
    assert "\ndate: 2022-01\n" in draft and "# Lettre n° 3 — janvier 2022" in draft
    out = capsys.readouterr().out
    assert "  date : 2022-01, d’après « lettre de janvier » et « bonne année 2022 »" in out


def test_a_letter_that_disagrees_with_the_archive_gets_no_date(project, capsys):
    """The December letter again, in a project that has it: its « fêtes de fin
    d'année » say December, the archive says January — no date is made up."""
    assert main(["import", "lettre.txt"]) == 2
    err = capsys.readouterr().err
    assert "date de la lettre introuvable : « fêtes de fin d’année » ne s’accorde pas" in err
    assert "almanach import lettre.txt --date AAAA-MM" in err
    assert sorted(p.name for p in (project / "issues").glob("*.md")) == ["2021-12.md"]


def test_a_date_given_against_the_letter_is_kept_and_reported(project, capsys):
    (project / "lettre.txt").write_text(JANUARY, encoding="utf-8")
    assert main(["import", "lettre.txt", "--date", "2022-03"]) == 0
    out = capsys.readouterr().out
    assert "  date : 2022-03, donnée par --date ; attention, la lettre dit « lettre de" in out


def test_options_number_title_output(project):
    code = main(
        [
            "import",
            "lettre.txt",
            "--date",
            "2022-01",
            "--number",
            "12",
            "--title",
            "Un titre",
            "-o",
            "x/y.md",
        ]
    )
    assert code == 0
    draft = (project / "x" / "y.md").read_text(encoding="utf-8")
    assert draft.startswith("---\nnumber: 12\ndate: 2022-01\ntitle: Un titre\nstatus: draft\n")


def test_refuses_to_overwrite_without_force(project, capsys):
    target = project / "issues" / "2021-12.md"
    before = target.read_bytes()
    stamp = target.stat().st_mtime_ns
    assert main(["import", "lettre.txt", "--date", "2021-12"]) == 2
    assert "existe déjà" in capsys.readouterr().err
    assert target.read_bytes() == before
    assert target.stat().st_mtime_ns == stamp


def test_force_replaces_and_keeps_the_letter_number(project):
    target = project / "issues" / "2021-12.md"
    assert main(["import", "lettre.txt", "--date", "2021-12", "--force"]) == 0
    assert target.read_text(encoding="utf-8").startswith("---\nnumber: 2\ndate: 2021-12\n")


def _leftovers(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir() if path.name.startswith(".2022-01.md."))


@pytest.mark.parametrize(
    ("failure", "code", "message"),
    [
        (OSError(28, "No space left on device"), 2, "impossible d’écrire"),
        (KeyboardInterrupt(), 130, "interrompu"),
    ],
    ids=["disk-full", "interrupted"],
)
def test_no_partial_file_when_writing_fails(project, monkeypatch, capsys, failure, code, message):
    """The text is half written when the failure comes: neither the target nor
    the temporary file is left."""
    from almanach.cli import common

    real_fdopen = os.fdopen

    def failing_fdopen(*args, **kwargs):
        stream = real_fdopen(*args, **kwargs)
        write = stream.write

        def half_write(text):
            write(text[: len(text) // 2])
            stream.flush()
            raise failure

        stream.write = half_write
        return stream

    monkeypatch.setattr(common.os, "fdopen", failing_fdopen)
    assert main(["import", "lettre.txt", "--date", "2022-01"]) == code
    assert message in capsys.readouterr().err
    assert not (project / "issues" / "2022-01.md").exists()
    assert _leftovers(project / "issues") == []


DATED = ["import", "lettre.txt", "--date", "2022-01"]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["import", "absente.txt"], "absente.txt n’existe pas"),
        (["import", "issues"], "ce n’est pas un export de l’hébergeur : posts.csv introuvable"),
        (["import", "lettre.txt", "--date", "2022-13"], "date « 2022-13 » invalide"),
        ([*DATED, "--number", "zéro"], "numéro « zéro » invalide"),
        ([*DATED, "--number", "0"], "numéro « 0 » invalide"),
    ],
)
def test_usage_errors_are_french(project, capsys, argv, message):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert message in err
    assert "Traceback" not in err


def test_outside_a_project_is_an_error(tmp_path, monkeypatch, capsys):
    shutil.copy(SEED, tmp_path / "lettre.txt")
    monkeypatch.chdir(tmp_path)
    assert main(["import", "lettre.txt"]) == 2
    assert "aucun projet almanach" in capsys.readouterr().err


def test_resource_ids_of_other_letters_are_not_reused(project):
    (project / "lettre.txt").write_text(
        "📝 En pratique…\nLa mallette pédagogique est là.\n", encoding="utf-8"
    )
    other = project / "issues" / "2021-11.md"
    other.write_text(
        "---\nnumber: 1\ndate: 2021-11\ntitle: x\nstatus: published\n---\n\n"
        ":::{resource} mallette-pedagogique\n:title: x\n:kind: mallette\n:pending:\n:::\n",
        encoding="utf-8",
    )
    assert main(["import", "lettre.txt", "--date", "2022-01"]) == 0
    draft = (project / "issues" / "2022-01.md").read_text(encoding="utf-8")
    assert ":::{resource} mallette-pedagogique-2\n" in draft


def test_a_zip_that_is_not_an_export_is_a_clear_error(project, capsys):
    """A « .zip » that is not a ZIP is refused as an archive, never read as a letter."""
    (project / "export.zip").write_bytes(b"PK pas une archive")
    before = sorted((project / "issues").iterdir())
    assert main(["import", "export.zip"]) == 2
    error = capsys.readouterr().err
    assert "export.zip : ce n’est pas une archive ZIP lisible" in error
    assert "Traceback" not in error
    assert sorted((project / "issues").iterdir()) == before
