"""The agenda: the programme's events in date order, with the letters that
mention them."""

from __future__ import annotations

from docutils import nodes
from sphinx.locale import _

from ...domain.selection import mentions_of
from ...model.letters import span_label
from ..directives import GatheringDirective
from ..render import Page, mention_list, titled
from ..view import Results, View


def event_mentions(page: Page, results: Results) -> list[nodes.Node]:
    """The letters that mention the event (web and PDF)."""
    (mentions,) = results
    return titled(_("Dans les lettres"), mention_list(page, mentions))


EVENT = View(
    "event",
    lambda t: (mentions_of("event", t),),
    html=event_mentions,
    pdf=event_mentions,
)

VIEWS = (EVENT,)


class Agenda(GatheringDirective):
    """The programme's events in date order, with the letters that mention them."""

    def run(self) -> list[nodes.Node]:
        self.checked()
        events = sorted(self.domain.registry.events.values(), key=lambda e: (e.get("start"), e.id))
        result = []
        for event in events:
            anchor = f"evenement-{event.id}"
            self.domain.add_target(self.env.docname, "event", event.id, anchor)
            section = self.section(anchor, event.label)
            where = _("en visioconférence") if event.get("visio") else event.get("place")
            section += self.facts(
                [
                    (_("Date"), span_label(event.get("start"), event.get("end"))),
                    (_("Lieu"), where),
                ]
            )
            section += self.placeholder(EVENT, event.id)
            result.append(section)
        return result


DIRECTIVES = {"agenda": Agenda}
