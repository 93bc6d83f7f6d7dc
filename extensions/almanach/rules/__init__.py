"""What a letter or a registry may contain: pure functions, no Sphinx.

The build (:mod:`almanach.reading.parser`, :mod:`almanach.model.registry`) and
``almanach check`` call the same functions, so that both give the same answer.

- :mod:`~almanach.rules.allowlist`: what a letter may contain (directives,
  options, roles, token types, link schemes, images);
- :mod:`~almanach.rules.screen` (with :mod:`~almanach.rules.screen_fences` and
  :mod:`~almanach.rules.screen_inline`): the allowlist checked on MyST's token
  stream, refused constructs neutralised; its French messages in
  :mod:`~almanach.rules.refusals`, a directive's text as MyST reads it in
  :mod:`~almanach.rules.directive_text`;
- :mod:`~almanach.rules.structure`: blocks that close and stand in their place;
- :mod:`~almanach.rules.directives`: each directive's argument and options;
  :mod:`~almanach.rules.ids`: what ids refer to, and the messages about them;
- :mod:`~almanach.rules.front_matter`, :mod:`~almanach.rules.consistency`:
  a letter's front matter, and letters agreeing with each other;
- :mod:`~almanach.rules.characters`, :mod:`~almanach.rules.limits`: invisible
  characters, and bounds on what a file may cost to read.
- :mod:`~almanach.rules.guesses`: the importer's ``% à revoir`` lines, which a
  letter in review or published may not keep.
"""
