"""The email support lint (almanach.email.support) and its vendored caniemail
data (almanach.email.caniemail_data): what the main mail clients lack, where it
is, and what the editor reads about it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from almanach.email import support
from almanach.email.caniemail_data import latest_version
from almanach.email.support import ENHANCEMENTS, MAIN_CLIENTS, SLUGS, Finding, describe, lint

FIXTURES = Path(__file__).parent / "fixtures" / "email-support"
UPSTREAM = Path(__file__).parent / "browser/node_modules/caniemail/data/caniemail.json"
VENDORED = Path(support.__file__).with_name("caniemail.json")


def warnings(html: str) -> list[Finding]:
    return [finding for finding in lint(html) if not finding.enhancement]


def shown(finding: Finding) -> str:
    """A finding as the cases file writes it."""
    kind = "note" if finding.enhancement else "warning"
    line = f"{kind} {finding.slug} {finding.line}:{finding.column}"
    if finding.origin:
        line += f" origin={finding.origin}:{finding.origin_line}"
    if finding.source_line is not None:
        line += f" source={finding.source_line}"
    return line


def read_cases() -> dict[str, tuple[str, list[str]]]:
    """``cases.txt``: title -> (HTML, the findings expected)."""
    cases = {}
    text = (FIXTURES / "cases.txt").read_text(encoding="utf-8")
    for block in text.split("\n## ")[1:]:
        title, _, rest = block.partition("\n")
        html, _, expected = rest.partition("->\n")
        cases[title] = (html, [line for line in expected.splitlines() if line])
    return cases


CASES = read_cases()


@pytest.mark.parametrize("title", list(CASES))
def test_cases(title):
    html, expected = CASES[title]
    assert [shown(finding) for finding in lint(html)] == expected


def test_a_clean_table_letter_has_notes_only():
    html = (FIXTURES / "clean-letter.html").read_text(encoding="utf-8")
    findings = lint(html)
    assert [shown(finding) for finding in findings if not finding.enhancement] == []
    notes = {finding.slug for finding in findings}
    # What the letter does use and some clients lack: accepted, still reported.
    assert {
        "html-doctype",
        "html-lang",
        "html-role",
        "html-style",
        "html-meta-color-scheme",
        "css-at-media",
        "css-at-media-prefers-color-scheme",
        "css-important",
    } <= notes
    dark = next(f for f in findings if f.slug == "css-at-media-prefers-color-scheme")
    assert (dark.origin, dark.origin_line, dark.line) == ("email/lettre-sombre.css", 1, 8)
    assert "Gmail (webmail)" in dark.clients


@pytest.mark.parametrize(
    ("html", "slug"),
    [
        ("<style>.r { display: flex }</style>", "css-display-flex"),
        ('<div style="display: inline-flex">', "css-display-flex"),
        ('<div style="display: grid">', "css-display-grid"),
        ('<svg viewBox="0 0 4 4"><circle r="2"/></svg>', "html-svg"),
        ('<img src="https://exemple.fr/plan.svg">', "image-svg"),
        ('<img src="data:image/svg+xml;utf8,<svg/>">', "image-svg"),
        ('<form><input type="text"></form>', "html-form"),
        ('<link rel="stylesheet" href="https://exemple.fr/a.css">', "html-link"),
        ("<style>@font-face { font-family: X; src: url(x.woff2) }</style>", "css-at-font-face"),
        ('<style>@import "a.css";</style>', "css-at-import"),
        ('<div style="position: absolute; top: 0">', "css-position"),
        ('<td style="background-image: url(fond.png)">', "css-background-image"),
        ('<td style="-webkit-border-radius: 8px">', "css-border-radius"),
        ('<td style="border-top-left-radius: 8px">', "css-border-radius"),
    ],
)
def test_what_a_letter_must_not_rely_on_is_a_warning(html, slug):
    assert slug in {finding.slug for finding in warnings(html)}


def test_border_radius_fails_in_orange_and_outlook():
    (finding,) = warnings('<td style="border-radius: 6px">')
    assert {"Orange (webmail)", "Outlook (Windows)"} <= set(finding.clients)


@pytest.fixture
def nothing_supported(monkeypatch):
    """The vendored data with every main client lacking every feature, so that
    the lint reports everything it detects."""
    data = json.loads(VENDORED.read_text(encoding="utf-8"))
    for feature in data["features"].values():
        feature["support"] = {f"{family}/{platform}": "n" for family, platform, _ in MAIN_CLIENTS}
    monkeypatch.setattr(support, "support_data", lambda: data)


@pytest.mark.parametrize(
    ("prop", "slug"),
    [
        ("margin-top: 4px", "css-margin"),
        ("padding-left: 4px", "css-padding"),
        ("border-left-color: #000000", "css-border"),
        ("border-radius: 4px", "css-border-radius"),
        ("border-start-start-radius: 4px", "css-border-radius-logical"),
        ("border-inline-start: 1px solid", "css-border-inline-block-individual"),
        ("border-inline-start-color: red", "css-border-inline-block-longhand"),
        ("margin-inline-start: 4px", "css-margin-inline-start-end"),
        ("padding-block: 4px", "css-padding-inline-block"),
        ("background-attachment: fixed", "css-background"),
        ("row-gap: 4px", "css-gap"),
        ("grid-template-columns: 1fr 1fr", "css-grid-template"),
        ("transition-duration: 1s", "css-transition"),
        ("--espace: 4px", "css-variables"),
        ("font-family: system-ui", "css-sytem-ui"),
        ("width: fit-content", "css-intrinsic-size"),
        ("color: initial", "css-unit-initial"),
        ("color: light-dark(#000000, #ffffff)", "css-function-light-dark"),
        ("width: clamp(200px, 50%, 600px)", "css-function-clamp"),
        ("color: oklch(70% 0.1 150)", "css-modern-color"),
        ("width: 20ch", "css-unit-ch"),
        ("flex-direction: column", "css-flex-direction"),
    ],
)
def test_properties_and_values_map_to_their_slug(prop, slug, nothing_supported):
    assert slug in {finding.slug for finding in lint(f'<p style="{prop}">')}


def test_features_all_main_clients_support_are_not_reported():
    html = (
        '<p style="color: #000000; font-family: Arial; font-size: 16px; padding: 4px; '
        'margin: 0; text-align: center; width: 100%; flex-direction: row">'
        "<style>td.a .b, h1 { color: #000000 }</style>"
    )
    assert {finding.slug for finding in lint(html)} == {"html-style"}


def test_an_unsupported_client_is_judged_by_its_latest_version():
    # Outlook for Mac: "2016": n, "16.47": y, "16.80": y — supported today.
    (finding,) = warnings('<img src="photo.webp">')
    assert finding.clients == ("Outlook (Windows)",)


def test_a_client_that_only_partly_supports_a_feature_is_not_listed():
    (finding,) = warnings('<div style="display: flex">')
    assert "Gmail (Android)" not in finding.clients  # "a #1"
    assert "Outlook (Windows)" in finding.clients


@pytest.mark.parametrize(
    "html",
    [
        "",
        "<",
        "<style>",
        "<style>.a { display: flex",
        "<style>}}} {{{ @media ( { ;;; :: > + ~ </style>",
        '<p style="display:">',
        '<p style=";;;: : ! important !important">',
        '<p style="{ } } .a { b }">',
        "<div data-almanach-line=\"²\" style='position:fixed'>",
        "<img src='http://[::1'><img src='data:'><img src=\"data:,\">",
        "<svg><svg></svg>",
        "</div></table></svg></style>",
        "<!DOCTYPE><!--><!-- -- --!><![CDATA[x]]><?php ?>",
        "<style>@media</style><style>@media {}</style><style>@</style>",
        "<style>a::</style><style>a:</style><style>.</style><style>[</style>",
        "<p style='color: url(' >",
        "<p>a <![ b",
    ],
)
def test_malformed_input_never_raises(html):
    assert isinstance(lint(html), list)


FRAGMENTS = [
    "<style>",
    "</style>",
    "<p",
    ">",
    "</p>",
    ' style="',
    '"',
    "'",
    "=",
    "{",
    "}",
    ";",
    ":",
    "::",
    ",",
    ">",
    "+",
    "~",
    "*",
    ".a",
    "#b",
    "[c]",
    "@media",
    "@font-face",
    "(",
    ")",
    "display",
    "flex",
    "url(",
    "x.svg",
    "!important",
    "/*",
    "*/",
    "<!--",
    "-->",
    "<svg",
    "</svg>",
    "<img src=",
    " data-almanach-line=",
    "3",
    "\n",
    " ",
    "calc(",
    "1rem",
    "&amp;",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=3), max_size=40).map("".join))
def test_any_text_is_linted_without_raising(html):
    findings = lint(html)
    assert all(finding.slug in SLUGS for finding in findings)
    assert findings == sorted(findings, key=lambda f: (f.line, f.column, f.slug))


def test_the_describe_message_says_what_fails_where_and_what_to_do():
    (finding,) = warnings('<table><tr><td style="display: flex">')
    message = describe(finding)
    assert message == (
        "display: flex (css-display-flex) n’est pas pris en charge par Outlook (Windows), "
        "Courrier de Windows et Orange (webmail) : la mise en page se défait dans ces "
        "messageries. Utilisez un tableau : une colonne, ou des cellules côte à côte "
        "(voir https://www.caniemail.com/features/css-display-flex/)."
    )


@pytest.mark.parametrize(
    ("html", "hint"),
    [
        ("<svg></svg>", "Utilisez une image PNG"),
        ('<img src="a.svg">', "Utilisez une image PNG"),
        ("<style>@font-face { font-family: X }</style>", "police système"),
        ('<form action="x"></form>', "lien vers la page du site"),
        ('<p style="position: relative">', "flux normal"),
        ('<td style="background-image: url(a.png)">', "background-color"),
        ('<p style="margin: 2rem">', "px"),
        ('<p style="width: 100px; border-radius: 4px">', "coins carrés"),
        ('<video src="a.mp4"></video>', "image fixe"),
        ('<p style="caption-side: top">', "Retirez-le, ou vérifiez que la lettre se lit sans lui"),
    ],
)
def test_each_family_has_its_own_hint(html, hint):
    messages = [describe(finding) for finding in warnings(html)]
    assert messages
    assert all("n’est pas pris en charge par " in message for message in messages)
    assert any(hint in message for message in messages), messages


def test_a_long_client_list_is_cut_with_a_count():
    (finding,) = warnings("<svg></svg>")
    assert len(finding.clients) > 6
    assert f"et {len(finding.clients) - 5} autres" in describe(finding)


def test_an_enhancement_is_a_note_that_says_why_it_is_accepted():
    html = (
        '<html lang="fr"><style>@media (prefers-color-scheme: dark) '
        "{ .a > .b { color: #fff !important } }</style>"
    )
    findings = {finding.slug: finding for finding in lint(html)}
    lang = findings["html-lang"]
    assert lang.enhancement == "html-lang"
    assert describe(lang).endswith(
        "n’est pas pris en charge par Orange (webmail), mais c’est accepté : "
        f"{ENHANCEMENTS['html-lang']} (voir https://www.caniemail.com/features/html-lang/)."
    )
    child = findings["css-selector-child"]
    assert child.enhancement == "css-at-media-prefers-color-scheme"
    assert "il est dans un bloc @media (prefers-color-scheme), et le mode sombre" in describe(child)


def test_enhancements_are_few_and_exist_in_the_data():
    data = support.support_data()["features"]
    assert set(ENHANCEMENTS) <= set(data)
    # The dark mode's selectors need no entry: every main client supports them.
    for slug in (
        "css-selector-type",
        "css-selector-class",
        "css-selector-descendant",
        "css-selector-grouping",
    ):
        assert "n" not in data[slug]["support"].values()


# -- The vendored data ----------------------------------------------------------------------


def test_the_vendored_data_is_caniemail_pruned(tmp_path):
    out = tmp_path / "caniemail.json"
    result = subprocess.run(
        [sys.executable, "-m", "almanach.email.caniemail_data", str(UPSTREAM), str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert out.read_bytes() == VENDORED.read_bytes()
    data = json.loads(VENDORED.read_text(encoding="utf-8"))
    assert data["source"]["package"] == "caniemail@2.0.2"
    assert set(data["features"]) == SLUGS
    clients = {f"{family}/{platform}" for family, platform, _name in MAIN_CLIENTS}
    for feature in data["features"].values():
        assert set(feature["support"]) <= clients
        assert set(feature["support"].values()) <= {"y", "n", "a", "u"}


def test_every_main_client_is_in_the_data():
    data = support.support_data()["features"]
    for family, platform, name in MAIN_CLIENTS:
        tested = [
            slug for slug, feature in data.items() if f"{family}/{platform}" in feature["support"]
        ]
        assert len(tested) > 20, name


@pytest.mark.parametrize(
    ("results", "latest"),
    [
        ({"2019-10": "n", "2021-03": "y"}, "2021-03"),
        ({"2024-04": "y", "2024-01": "n"}, "2024-04"),  # listed out of order
        ({"2007": "n", "2019": "n", "2021": "y"}, "2021"),
        ({"15": "y", "14": "n"}, "15"),
        ({"16.47": "y", "16.103": "n"}, "16.103"),
        ({"2016": "n", "16.47": "y", "16.80": "y"}, "16.80"),  # a year beside versions
        ({"102.15": "y", "137.0b3": "n"}, "137.0b3"),
    ],
)
def test_latest_version(results, latest):
    assert latest_version(results) == latest


def run_pruning(*arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "almanach.email.caniemail_data", *arguments],
        capture_output=True,
        text=True,
        check=False,
    )


def test_pruning_reports_bad_input_in_french_without_a_traceback(tmp_path):
    missing = run_pruning(str(tmp_path / "absent.json"), str(tmp_path / "out.json"))
    assert missing.returncode == 1
    assert "absent.json : lecture ou écriture impossible" in missing.stderr

    data = tmp_path / "caniemail" / "data"
    data.mkdir(parents=True)
    (tmp_path / "caniemail" / "package.json").write_text(
        '{"name": "caniemail", "version": "9.9.9", "license": "MIT"}', encoding="utf-8"
    )
    (data / "caniemail.json").write_text("{", encoding="utf-8")
    invalid = run_pruning(str(data / "caniemail.json"), str(tmp_path / "out.json"))
    assert invalid.returncode == 1
    assert "JSON invalide" in invalid.stderr

    upstream = json.loads(UPSTREAM.read_text(encoding="utf-8"))
    upstream["data"] = [f for f in upstream["data"] if f["slug"] != "css-display-flex"]
    (data / "caniemail.json").write_text(json.dumps(upstream), encoding="utf-8")
    renamed = run_pruning(str(data / "caniemail.json"), str(tmp_path / "out.json"))
    assert renamed.returncode == 1
    assert "manquent aux données de caniemail : css-display-flex." in renamed.stderr

    (data / "caniemail.json").write_text('{"data": [{"title": "x"}]}', encoding="utf-8")
    shapeless = run_pruning(str(data / "caniemail.json"), str(tmp_path / "out.json"))
    assert shapeless.returncode == 1
    assert "n’ont pas la forme attendue" in shapeless.stderr

    for result in (missing, invalid, renamed, shapeless):
        assert "Traceback" not in result.stderr
    assert not (tmp_path / "out.json").exists()

    usage = run_pruning()
    assert usage.returncode == 2
    assert usage.stderr.startswith("usage : ")
