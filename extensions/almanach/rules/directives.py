"""The rules of almanach's directives and roles, declared once.

Each directive's argument and options — name, type, whether required, the
values allowed, the registry an id refers to — are declared in one typed table,
:data:`SPECS`. :func:`check_use` is a pure function: a directive as written
(argument, options, body) and what the project knows (registries, bibliography
keys) give the problems, in French, and the values that hold. The directives
call it at build time and ``almanach check`` calls it on the same text, parsed
by the same function (MyST's directive-text parser): a rule added here serves
both. What ids refer to, and the messages about them, are in
:mod:`almanach.rules.ids`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from docutils.parsers.rst import directives as rst_directives

from ..model.schemas import ID_PATTERN, is_url
from ..warnings_ import AlmanachWarning, close_matches
from .characters import shorten
from .ids import Known, unknown_bibkey, unknown_id

#: A role, in an option that is shown as plain text.
MARKUP_ROLE = re.compile(r"\{[\w:.-]+\}`")
#: A key of a ``---`` YAML option block (« speaker: lea-tramontin »).
YAML_KEY = re.compile(r"^([A-Za-z][\w-]*)\s*:")
#: An option line (« :speaker: lea-tramontin »).
OPTION_LINE = re.compile(r"^:([\w-]+):(?:\s|$)")
#: The kinds of resource, as editors write them and readers read them.
RESOURCE_KINDS = (
    "article",
    "audio",
    "vidéo",
    "interview",
    "document",
    "synthèse",
    "compte-rendu",
    "mallette",
    "site",
    "livre",
    "outil",
    "autre",
)


class AnyOption(dict):
    """An option spec that lets every option through: the rules judge names and
    values (see :func:`check_use` and the allowlist), once, in French, located."""

    def __missing__(self, key: str) -> Callable[[str | None], str]:
        return rst_directives.unchanged

    def __bool__(self) -> bool:
        return True  # MyST reads the options block only when the spec is truthy


@dataclass(frozen=True)
class Option:
    """One option of a directive.

    ``type``: ``text`` (MyST inline markup), ``plain`` (shown as written),
    ``id`` (an id of ``registry``), ``ids`` (ids separated by commas), ``url``,
    ``flag`` (no value), ``choice`` (one of ``choices``), ``bibkey`` (a key of
    references.bib)."""

    name: str
    type: str = "text"
    required: bool = False
    registry: str = ""
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class Argument:
    """The argument of a directive: an id, of ``registry`` when given."""

    what: str  # « identifiant du territoire »
    example: str
    registry: str = ""
    pattern: re.Pattern[str] | None = None


@dataclass(frozen=True)
class Problem:
    """One problem of a directive as written (said at its opening line): its
    kind and the French message."""

    kind: AlmanachWarning
    message: str


@dataclass
class Checked:
    """What holds of a directive once checked: its argument ('' when missing or
    wrong) and the values of its options that passed (a flag is ``True``, ids
    are a list)."""

    argument: str = ""
    values: dict[str, Any] = field(default_factory=dict)
    #: The known options, as written (stripped).
    given: dict[str, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


@dataclass(frozen=True)
class Spec:
    """A directive: its argument, its options, whether its content is required,
    and the rule that relates its options (``rule(checked, report)``)."""

    name: str
    options: tuple[Option, ...]
    argument: Argument | None = None
    body_required: bool = False
    rule: Callable[[Checked, Callable[[AlmanachWarning, str], None]], None] | None = None

    @property
    def option_names(self) -> tuple[str, ...]:
        return tuple(option.name for option in self.options)


def _quote_rule(checked: Checked, report: Callable[[AlmanachWarning, str], None]) -> None:
    if not checked.values.get("speaker") and not checked.values.get("source"):
        if checked.given.get("speaker") or checked.given.get("source"):
            return  # a speaker was named but is unknown: already said
        report(
            AlmanachWarning.MISSING_OPTION,
            "ni « :speaker: » ni « :source: » : dites qui parle (identifiant de "
            "personne) ou d’où vient la citation (ressource ou clé bibliographique)",
        )


def _resource_rule(checked: Checked, report: Callable[[AlmanachWarning, str], None]) -> None:
    given = checked.given
    values = checked.values
    if "url" in given and given["url"] and "pending" in given:
        report(
            AlmanachWarning.BAD_VALUE,
            "« :url: » et « :pending: » à la fois : gardez l’adresse si elle est connue, "
            "sinon « :pending: » seul",
        )
    elif not given.get("url") and "pending" not in given:
        report(
            AlmanachWarning.MISSING_OPTION,
            "ni « :url: » ni « :pending: » : donnez l’adresse de la ressource, ou écrivez "
            "« :pending: » si elle n’est pas connue",
        )
    # A known address wins; without one, the resource is pending (never a dead link).
    if values.get("url"):
        values.pop("pending", None)
    else:
        values["pending"] = True


SPECS: dict[str, Spec] = {
    spec.name: spec
    for spec in (
        Spec(
            "rubrique",
            (Option("subtitle", "plain"),),
            Argument("identifiant de la rubrique", "en-theorie", "rubriques"),
        ),
        Spec(
            "territory-update",
            (Option("speakers", "ids", registry="people"), Option("question")),
            Argument("identifiant du territoire", "lomme", "territories"),
            body_required=True,
        ),
        Spec(
            "quote",
            (
                Option("speaker", "id", registry="people"),
                Option("source"),
                Option("context"),
            ),
            body_required=True,
            rule=_quote_rule,
        ),
        Spec(
            "resource",
            (
                Option("title", required=True),
                Option("url", "url"),
                Option("pending", "flag"),
                Option("kind", "choice", required=True, choices=RESOURCE_KINDS),
                Option("publisher", "id", registry="organisations"),
                Option("bib", "bibkey"),
            ),
            Argument("identifiant de la ressource", "master-plan-puy-de-dome", pattern=ID_PATTERN),
            rule=_resource_rule,
        ),
        # The gathering directives of the site's own pages (never in a letter).
        Spec("territory-page", (), Argument("identifiant du territoire", "lomme", "territories")),
        *(
            Spec(name, ())
            for name in (
                "territory-directory",
                "people-directory",
                "organisation-directory",
                "agenda",
                "rubrique-browser",
                "resource-catalogue",
                "quote-collection",
                "front-page",
            )
        ),
    )
}


def written_options(content: str) -> list[tuple[str, int]]:
    """The options at the head of a directive's content, as written: (name, line
    counted from the directive's opening line), from ``:name: value`` lines or a
    ``---`` YAML block — what MyST's directive-text parser reads as options."""
    lines = content.split("\n")
    found: list[tuple[str, int]] = []
    if lines and lines[0].strip() == "---":
        for index, line in enumerate(lines[1:], start=2):
            if line.strip() == "---":
                break
            key = YAML_KEY.match(line)
            if key:
                found.append((key.group(1), index))
        return found
    for index, line in enumerate(lines, start=1):
        option = OPTION_LINE.match(line.strip())
        if not option:
            break
        found.append((option.group(1), index))
    return found


def option_line(content: str, name: str) -> int:
    """The line of option ``name``, counted from the directive's opening line (0
    when it is not written at the head of the content)."""
    return next((line for written, line in written_options(content) if written == name), 0)


def check_use(
    spec: Spec,
    argument: str,
    options: Mapping[str, str | None],
    body: str,
    known: Known,
    content: str = "",
) -> Checked:
    """The problems of one use of a directive, and the values that hold.
    ``content``: the directive's text below its opening line (options and body),
    to see options written twice."""
    checked = Checked()

    def report(kind: AlmanachWarning, message: str) -> None:
        checked.problems.append(Problem(kind, f"{spec.name} : {message}"))

    names = [name for name, _line in written_options(content)]
    for name in sorted({name for name in names if names.count(name) > 1}):
        report(
            AlmanachWarning.BAD_VALUE,
            f"option « :{name}: » écrite {names.count(name)} fois : seule la dernière compte ; "
            "gardez-en une",
        )
    if spec.argument is None and argument.strip():
        report(
            AlmanachWarning.BAD_VALUE,
            f"« {shorten(argument.strip(), 40)} » après le nom de la directive n’est pas lu : "
            "ce bloc ne prend rien sur sa première ligne ; placez ce texte dans une option ou "
            "dans le contenu",
        )

    by_name = {option.name: option for option in spec.options}
    for name, raw in options.items():
        if name not in by_name:
            allowed = ", ".join(f":{option}:" for option in spec.option_names) or "aucune"
            report(
                AlmanachWarning.UNKNOWN_OPTION,
                f"option inconnue « :{name}: »{close_matches(name, spec.option_names, 'options')}"
                f" (options possibles : {allowed}) ; corrigez ou retirez-la",
            )
            continue
        checked.given[name] = (raw or "").strip()
    for option in spec.options:
        if option.required and not checked.given.get(option.name):
            report(
                AlmanachWarning.MISSING_OPTION,
                f"option obligatoire « :{option.name}: » absente ou vide ; ajoutez "
                f"« :{option.name}: … » sous la ligne de la directive",
            )
    if spec.argument is not None:
        checked.argument = _check_argument(spec, argument.strip(), known, report)
    for name, value in checked.given.items():
        checked_value = _check_value(by_name[name], value, known, report)
        if checked_value not in (None, "", []):
            checked.values[name] = checked_value
    if spec.rule is not None:
        spec.rule(checked, report)
    first = next((line.strip() for line in body.splitlines() if line.strip()), "")
    option = OPTION_LINE.match(first)
    if option and option.group(1) in spec.option_names:
        report(
            AlmanachWarning.STRUCTURE,
            f"« :{option.group(1)}: » est lu comme du texte : une ligne vide le sépare de la "
            "ligne de la directive ; retirez la ligne vide (les options suivent la directive, "
            "puis le texte)",
        )
    if spec.body_required and not body.strip():
        report(
            AlmanachWarning.EMPTY_BODY,
            "le contenu est vide ; écrivez le texte entre la ligne de la directive et « ::: »",
        )
    return checked


def _check_argument(
    spec: Spec, value: str, known: Known, report: Callable[[AlmanachWarning, str], None]
) -> str:
    argument = spec.argument
    assert argument is not None
    if not value:
        report(
            AlmanachWarning.MISSING_OPTION,
            f"{argument.what} absent : écrivez-le après le nom de la directive, par exemple "
            f"« :::{{{spec.name}}} {argument.example} »",
        )
        return ""
    if argument.pattern is not None and not argument.pattern.match(value):
        report(
            AlmanachWarning.BAD_VALUE,
            f"identifiant « {value} » invalide : minuscules, chiffres et tirets seulement "
            f"(par exemple « {argument.example} »)",
        )
        return ""
    if argument.registry and value not in known.ids(argument.registry):
        report(
            AlmanachWarning.UNKNOWN_ID,
            unknown_id(argument.registry, value, known, "argument"),
        )
        return ""
    return value


def _markup_in_plain(option: Option, value: str, known: Known) -> ValueProblem:
    if not MARKUP_ROLE.search(value):
        return None
    return (
        AlmanachWarning.BAD_VALUE,
        f"« :{option.name}: » est affiché tel quel : un rôle n’y est pas possible ; écrivez "
        "le texte seul (le nom, sans {…}`…`)",
    )


def _unknown_choice(option: Option, value: str, known: Known) -> ValueProblem:
    if value in option.choices:
        return None
    return (
        AlmanachWarning.BAD_VALUE,
        f"type « {value} » inconnu ; types possibles : {', '.join(option.choices)}",
    )


def _bad_url(option: Option, value: str, known: Known) -> ValueProblem:
    if is_url(value):
        return None
    return (
        AlmanachWarning.BAD_URL,
        f"adresse « {value} » invalide dans « :{option.name}: » : elle doit commencer par "
        "https:// ou http:// ; si elle est perdue, remplacez la ligne par « :pending: »",
    )


def _unknown_key(option: Option, value: str, known: Known) -> ValueProblem:
    if value in known.bib_keys:
        return None
    return AlmanachWarning.UNKNOWN_BIBKEY, unknown_bibkey(value, known.bib_keys)


#: What is wrong with a value of a given option type (kind and message), if anything.
ValueProblem = tuple[AlmanachWarning, str] | None
VALUE_PROBLEMS: dict[str, Callable[[Option, str, Known], ValueProblem]] = {
    "plain": _markup_in_plain,
    "choice": _unknown_choice,
    "url": _bad_url,
    "bibkey": _unknown_key,
}


def _check_value(
    option: Option, value: str, known: Known, report: Callable[[AlmanachWarning, str], None]
) -> Any:
    if option.type == "flag":
        return True
    if not value:
        return None
    problem_of = VALUE_PROBLEMS.get(option.type)
    problem = problem_of(option, value, known) if problem_of else None
    if problem is not None:
        report(*problem)
        return None
    if option.type == "id":
        if value in known.ids(option.registry):
            return value
        report(
            AlmanachWarning.UNKNOWN_ID,
            unknown_id(option.registry, value, known, f":{option.name}:"),
        )
        return None
    if option.type == "ids":
        kept = []
        for item in split_ids(value):
            if item in known.ids(option.registry):
                kept.append(item)
            else:
                report(
                    AlmanachWarning.UNKNOWN_ID,
                    unknown_id(option.registry, item, known, f":{option.name}:"),
                )
        return kept
    return value


def split_ids(value: str) -> list[str]:
    """The ids of a list option: separated by commas (or semicolons)."""
    return [item.strip() for item in value.replace(";", ",").split(",") if item.strip()]
