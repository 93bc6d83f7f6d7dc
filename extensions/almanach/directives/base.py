"""What every almanach directive shares: option checking with located French
warnings, registry look-ups, and MyST parsing of option text."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util.docutils import SphinxDirective

from ..registry import SCHEMAS, Entry, is_url
from ..rules.allowlist import INLINE_MARKUP
from ..warnings_ import AlmanachWarning, close_matches, of, warn

if TYPE_CHECKING:
    from ..domain import AlmanachDomain


class AnyOption(dict):
    """An option spec that lets every option through to :meth:`run`, which
    reports unknown ones itself, once, in French and located."""

    def __missing__(self, key: str) -> Callable[[str | None], str]:
        return directives.unchanged

    def __bool__(self) -> bool:
        # MyST reads the options block only when the spec is truthy.
        return True


#: MyST extensions that change plain text too: with one on, text is always parsed.
TEXT_EXTENSIONS = frozenset(
    {"replacements", "smartquotes", "linkify", "dollarmath", "substitution", "strikethrough"}
)


class AlmanachDirective(SphinxDirective):
    """Base of the almanach directives."""

    #: Names of the options the directive takes (checked in :meth:`checked_options`).
    known_options: ClassVar[tuple[str, ...]] = ()
    #: Options that must be given.
    required_options: ClassVar[tuple[str, ...]] = ()
    option_spec: ClassVar[dict[str, Any]] = AnyOption()
    has_content = True
    optional_arguments = 1
    final_argument_whitespace = True

    @property
    def domain(self) -> AlmanachDomain:
        return self.env.domains["almanach"]  # type: ignore[return-value]

    def problem(self, kind: AlmanachWarning, message: str) -> None:
        warn(kind, f"{self.name} : {message}", self.get_location())

    def checked_options(self) -> dict[str, str]:
        """The directive's options, stripped, once unknown and missing ones are reported."""
        options: dict[str, str] = {}
        for name, value in self.options.items():
            if name not in self.known_options:
                allowed = ", ".join(f":{option}:" for option in self.known_options) or "aucune"
                close = close_matches(name, self.known_options, "options")
                self.problem(
                    AlmanachWarning.UNKNOWN_OPTION,
                    f"option inconnue « :{name}: »{close} "
                    f"(options possibles : {allowed}) ; corrigez ou retirez-la",
                )
                continue
            options[name] = (value or "").strip()
        for name in self.required_options:
            if not options.get(name):
                self.problem(
                    AlmanachWarning.MISSING_OPTION,
                    f"option obligatoire « :{name}: » absente ou vide ; ajoutez « :{name}: … » "
                    "sous la ligne de la directive",
                )
        return options

    def argument(self, what: str, example: str) -> str:
        """The single argument (an id), or '' after a warning."""
        if self.arguments and self.arguments[0].strip():
            return self.arguments[0].strip()
        self.problem(
            AlmanachWarning.MISSING_OPTION,
            f"{what} absent : écrivez-le après le nom de la directive, "
            f"par exemple « :::{{{self.name}}} {example} »",
        )
        return ""

    def lookup(self, registry: str, entry_id: str, option: str) -> Entry | None:
        """A registry entry, or None after a warning naming close ids."""
        if not entry_id:
            return None
        entries = self.domain.registry[registry]
        entry = entries.get(entry_id)
        if entry is None:
            schema = SCHEMAS[registry]
            self.problem(
                AlmanachWarning.UNKNOWN_ID,
                f"identifiant {of(schema.label)} inconnu : « {entry_id} » ({option})"
                f"{close_matches(entry_id, entries)} ; corrigez-le ou ajoutez-le à "
                f"docs/registres/{schema.filename}",
            )
        return entry

    def bib_keys(self) -> Any:
        """The keys of references.bib, as sphinxcontrib-bibtex parsed them."""
        bibtex = self.env.domains.get("cite")
        bibdata = getattr(bibtex, "bibdata", None)
        return bibdata.data.entries if bibdata is not None else {}

    def id_list(self, value: str) -> list[str]:
        return [item.strip() for item in value.replace(";", ",").split(",") if item.strip()]

    def check_url(self, value: str, option: str = ":url:") -> str:
        if is_url(value):
            return value
        self.problem(
            AlmanachWarning.BAD_URL,
            f"adresse « {value} » invalide dans « {option} » : elle doit commencer par "
            "https:// ou http:// ; si elle est perdue, remplacez la ligne par « :pending: »",
        )
        return ""

    def inline(self, text: str) -> list[nodes.Node]:
        """MyST inline markup of an option value (roles allowed), as nodes."""
        plain = not TEXT_EXTENSIONS & set(self.config.myst_enable_extensions)
        if plain and not INLINE_MARKUP.search(text):  # what the parser would give
            return [nodes.Text(text)] if text else []
        parsed, messages = self.parse_inline(text, lineno=self.lineno)
        return [*parsed, *messages]

    def body(self, container: nodes.Element, required: bool = True) -> None:
        """Parse the content into ``container``; warn when it is required and empty."""
        if not "".join(self.content).strip():
            if required:
                self.problem(
                    AlmanachWarning.EMPTY_BODY,
                    "le contenu est vide ; écrivez le texte entre la ligne de la directive "
                    "et « ::: »",
                )
            return
        container += self.parse_content_to_nodes(allow_section_headings=False)
