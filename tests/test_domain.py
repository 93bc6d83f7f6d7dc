"""The domain's parts, tested directly on a tiny project: collecting a document
(a value: neither the domain nor the doctree changes), the domain's methods
keeping their derived indexes right (the stale-aggregate trap), the digests,
the duplicate-resource rule and the review banner's transform."""

from __future__ import annotations

import copy
import pickle
from dataclasses import replace
from pathlib import Path

import pytest
from docutils import nodes

from almanach.domain import digests
from almanach.domain.selection import Query, selection_of
from almanach.model import records
from almanach.reading.collect import READING_NOTES, collect, duplicates
from almanach.reading.review import review_banner
from helpers import build, letter, slim_project

FIRST = """\
::::{rubrique} nouvelles
:::{territory-update} lomme
:speakers: guillaume-demeyer

À {territory}`lomme`, le projet avance ; voir {resource}`guide-un`.
:::
::::

:::{resource} guide-un
:title: Guide un
:url: https://example.org/un
:kind: document
:::

Une mention de {territory}`faverges`.
"""

SECOND = """\
:::{resource} guide-deux
:title: Guide deux
:kind: article
:pending:
:::
"""


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """A built project with two letters: (app, docs folder)."""
    base = tmp_path_factory.mktemp("domain")
    docs = slim_project(base)
    (base / "issues" / "2030-01.md").write_text(
        letter(FIRST, number=90, date="2030-01"), encoding="utf-8"
    )
    (base / "issues" / "2030-02.md").write_text(
        letter(SECOND, number=91, date="2030-02"), encoding="utf-8"
    )
    app, warnings = build(docs, "html", base / "build")
    assert warnings == ""
    return app, docs


@pytest.fixture
def domain(project):
    """The project's domain, its data restored after the test."""
    app, _docs = project
    domain = app.env.domains["almanach"]
    saved = copy.deepcopy(domain.data)
    yield domain
    domain.data.clear()
    domain.data.update(saved)
    domain.clear_doc("")  # drops the derived indexes made from the test's data


def test_collect_returns_the_records_without_touching_domain_or_doctree(project):
    app, _docs = project
    env = app.env
    domain = env.domains["almanach"]
    doctree = env.get_doctree("lettres/2030-01")
    data_before = pickle.dumps(domain.data)
    tree_before = doctree.pformat()
    found = collect(env, "lettres/2030-01", doctree, domain.registry)
    assert pickle.dumps(domain.data) == data_before
    assert doctree.pformat() == tree_before
    # What the domain stored when it read the letter (its front matter's line
    # came from the parser's notes, not stored in the doctree).
    assert (
        replace(found.letter, line=domain.data["letters"]["lettres/2030-01"].line)
        == (domain.data["letters"]["lettres/2030-01"])
    )
    assert found.letter.number == 90 and found.letter.status == "published"
    for key in found.LISTS:
        stored = domain.data[key].get("lettres/2030-01", [])
        # (bodies are nodes, equal only to themselves: compared as the digests see them)
        assert digests.comparable(getattr(found, key)) == digests.comparable(stored)
    assert [u.territory for u in found.updates] == ["lomme"]
    assert [(r.id, r.url) for r in found.resources] == [("guide-un", "https://example.org/un")]
    assert {(m.kind, m.target) for m in found.mentions} >= {
        ("resource", "guide-un"),
        ("territory", "faverges"),
    }
    assert [r.rubrique for r in found.rubriques] == ["nouvelles"]
    # A record is not digested by collecting: the domain does it when it stores them.
    assert all(record.digest == records.NO_DIGEST for record in found.updates)


def test_the_parser_notes_are_not_stored_in_the_doctree(project):
    app, _docs = project
    doctree = app.env.get_doctree("lettres/2030-01")
    assert not set(READING_NOTES) & set(doctree.attributes)


def test_clear_doc_drops_the_derived_indexes(domain):
    assert domain.resource("guide-deux").title == "Guide deux"
    selection = selection_of(domain)
    assert [r.id for r in selection.get(Query("resources"))] == ["guide-un", "guide-deux"]
    domain.clear_doc("lettres/2030-02")
    assert domain.resource("guide-deux") is None
    assert selection_of(domain) is not selection
    assert [r.id for r in selection_of(domain).get(Query("resources"))] == ["guide-un"]
    assert "lettres/2030-02" not in domain.data["digests"]


def test_add_records_replaces_a_documents_records(project, domain):
    app, _docs = project
    assert domain.resource("guide-un") is not None
    doctree = app.env.get_doctree("lettres/2030-02")
    found = collect(app.env, "lettres/2030-02", doctree, domain.registry)
    before = domain.data["digests"]["lettres/2030-02"]
    domain.clear_doc("lettres/2030-01")
    domain.clear_doc("lettres/2030-02")
    domain.add_records("lettres/2030-02", found)
    assert domain.resource("guide-un") is None
    assert domain.resource("guide-deux").place.docname == "lettres/2030-02"
    assert [letter.docname for letter in domain.letters()] == ["lettres/2030-02"]
    # the same records, the same digest; each record digested
    assert domain.data["digests"]["lettres/2030-02"] == before
    assert all(r.digest != records.NO_DIGEST for r in found.resources)


def test_merge_takes_only_the_given_documents_and_drops_the_indexes(domain):
    other = copy.deepcopy(domain.data)
    moved = other["resources"]["lettres/2030-02"][0]
    moved.title = "Guide deux, revu"
    other["resources"]["lettres/2030-01"][0].title = "Pas pris"
    assert domain.resource("guide-deux").title == "Guide deux"  # the index, built
    domain.merge_domaindata({"lettres/2030-02"}, other)
    assert domain.resource("guide-deux").title == "Guide deux, revu"
    assert domain.resource("guide-un").title == "Guide un"
    assert len(domain.records("resources")) == 2  # nothing duplicated


def test_add_target_and_note_gathering_drop_the_indexes(domain):
    assert domain.target("territory", "lomme") is not None  # its generated page
    assert domain.target("person", "guillaume-demeyer") is None  # index built
    domain.add_target("lettres/2030-01", "person", "guillaume-demeyer", "ici")
    assert domain.target("person", "guillaume-demeyer") == ("lettres/2030-01", "ici")
    selection = selection_of(domain)
    domain.note_gathering("lettres/2030-01", "quotes", "")
    assert selection_of(domain) is not selection
    assert ("quotes", "") in domain.data["gathering"]["lettres/2030-01"]


def test_record_digests_ignore_where_and_separate_the_body():
    place = records.Place("lettres/a", "ancre", 3, 1, "Section")
    body = [nodes.paragraph("", "Texte")]
    update = records.TerritoryUpdate(place, "lomme", ("guillaume-demeyer",), "", body)
    moved = replace(update, place=replace(place, line=30, order=7), body=list(body))
    assert digests.record_digests(update) == digests.record_digests(moved)
    rewritten = replace(update, body=[nodes.paragraph("", "Autre texte")])
    head, full = digests.record_digests(rewritten)
    assert head == digests.record_digests(update)[0]
    assert full != digests.record_digests(update)[1]
    mention = records.Mention(place, "territory", "lomme")
    assert digests.record_digests(mention)[0] == digests.record_digests(mention)[1]


def test_document_digest_digests_each_record_and_follows_every_change():
    place = records.Place("lettres/a", "ancre", 3, 1)
    mentions = [records.Mention(place, "territory", "lomme")]
    first = digests.document_digest({"mentions": mentions, "targets": {"x": "y"}})
    assert mentions[0].digest == digests.record_digests(mentions[0])
    assert first == digests.document_digest({"mentions": mentions, "targets": {"x": "y"}})
    assert first != digests.document_digest({"mentions": mentions, "targets": {"x": "z"}})
    other = [records.Mention(place, "territory", "faverges")]
    assert first != digests.document_digest({"mentions": other, "targets": {"x": "y"}})


def test_collected_fingerprint_does_not_depend_on_the_order_documents_were_read():
    one = digests.collected_fingerprint({"a": "1", "b": "2"})
    assert one == digests.collected_fingerprint({"b": "2", "a": "1"})
    assert one != digests.collected_fingerprint({"a": "1", "b": "3"})


def test_duplicates_keep_the_first_declaration():
    def resource(docname: str, resource_id: str, line: int) -> records.ResourceLink:
        place = records.Place(docname, "", line, line)
        return records.ResourceLink(place, resource_id, "", "", False, "", "", "", "")

    a1, b1, a2, a3 = (
        resource("x", "a", 1),
        resource("x", "b", 2),
        resource("y", "a", 3),
        resource("z", "a", 4),
    )
    assert list(duplicates([a1, b1, a2, a3])) == [(a2, a1), (a3, a1)]
    assert list(duplicates([b1, a2])) == []


def test_the_banner_stands_right_under_the_title_of_a_draft(tmp_path):
    docs = slim_project(tmp_path)
    draft = letter("Texte.\n", number=90, date="2030-01").replace(
        "status: published", "status: draft"
    )
    (tmp_path / "issues" / "2030-01.md").write_text(draft, encoding="utf-8")
    (tmp_path / "issues" / "2030-02.md").write_text(
        letter("Texte.\n", number=91, date="2030-02"), encoding="utf-8"
    )
    overrides = {"almanach_preview": True}
    app, warnings = build(docs, "html", tmp_path / "build", confoverrides=overrides)
    assert warnings == ""
    doctree = app.env.get_doctree("lettres/2030-01")
    section = next(iter(doctree.findall(nodes.section)))
    assert isinstance(section[0], nodes.title)
    assert isinstance(section[1], review_banner) and section[1]["status"] == "draft"
    assert len(list(doctree.findall(review_banner))) == 1
    published = app.env.get_doctree("lettres/2030-02")
    assert not list(published.findall(review_banner))
    assert (
        Path(app.outdir, "lettres", "2030-01.html")
        .read_text("utf-8")
        .count("almanach-banner-draft")
        == 1
    )
