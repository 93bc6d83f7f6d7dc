"""What every almanach directive shares: the rules of :mod:`almanach.rules.directives`
checked with located French warnings, and MyST parsing of option text."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes
from sphinx import addnodes
from sphinx.util.docutils import SphinxDirective

from ...rules.allowlist import INLINE_MARKUP
from ...rules.directives import SPECS, AnyOption, Checked, check_use, option_line
from ...rules.ids import Known
from ...warnings_ import warn

if TYPE_CHECKING:
    from collections.abc import Collection

    from sphinx.environment import BuildEnvironment

    from ...domain.domain import AlmanachDomain


#: MyST extensions that change plain text too: with one on, text is always parsed.
TEXT_EXTENSIONS = frozenset(
    {"replacements", "smartquotes", "linkify", "dollarmath", "substitution", "strikethrough"}
)


class AlmanachDirective(SphinxDirective):
    """Base of the almanach directives: their argument and options are declared
    in :data:`almanach.rules.directives.SPECS`, and checked by the same function
    as ``almanach check`` uses."""

    option_spec: ClassVar[dict[str, Any]] = AnyOption()
    has_content = True
    optional_arguments = 1
    final_argument_whitespace = True

    @property
    def domain(self) -> AlmanachDomain:
        return self.env.domains["almanach"]  # type: ignore[return-value]

    def checked(self) -> Checked:
        """The argument and option values that hold, once every problem of the
        directive as written is reported (located at its opening line)."""
        checked = check_use(
            SPECS[self.name],
            self.arguments[0] if self.arguments else "",
            self.options,
            "\n".join(self.content),
            known(self.env),
            self.written_content,
        )
        for problem in checked.problems:
            warn(problem.kind, problem.message, self.get_location())
        return checked

    @property
    def written_argument(self) -> str:
        """The argument as written on the directive's line (stripped)."""
        return self.arguments[0].strip() if self.arguments else ""

    @property
    def written_content(self) -> str:
        """The directive's text below its opening line, as written (options, body)."""
        return self.block_text.split("\n", 1)[1] if "\n" in self.block_text else ""

    def inline(self, text: str, option: str = "") -> list[nodes.Node]:
        """MyST inline markup of an option value (roles allowed), as nodes; the
        mentions in it are located at the option's line, as ``almanach check``
        locates them."""
        plain = not TEXT_EXTENSIONS & set(self.config.myst_enable_extensions)
        if plain and not INLINE_MARKUP.search(text):  # what the parser would give
            return [nodes.Text(text)] if text else []
        parsed, messages = self.parse_inline(text, lineno=self.lineno)
        source, _line = self.get_source_info()
        line = self.lineno + option_line(self.written_content, option) if option else self.lineno
        for node in parsed:
            if isinstance(node, nodes.Element):
                for xref in node.findall(addnodes.pending_xref):
                    xref.source, xref.line = source, line
        return [*parsed, *messages]

    def body(self, container: nodes.Element) -> None:
        """Parse the content into ``container`` (its emptiness is a rule of
        :data:`SPECS`)."""
        if "".join(self.content).strip():
            container += self.parse_content_to_nodes(allow_section_headings=False)


def bib_keys(env: BuildEnvironment) -> Collection[str] | None:
    """The keys of references.bib, as sphinxcontrib-bibtex parsed them (None
    before it has)."""
    bibdata = getattr(env.domains.get("cite"), "bibdata", None)
    return bibdata.data.entries if bibdata is not None else None


def known(env: BuildEnvironment) -> Known:
    """What the rules need to know of the project, from the build."""
    registry = env.domains["almanach"].registry  # type: ignore[attr-defined]
    return Known(registry, bib_keys(env) or {}, registry.folder)
