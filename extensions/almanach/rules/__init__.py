"""What a letter or a registry may contain: pure functions, no Sphinx.

The build (:mod:`almanach.reading.parser`, :mod:`almanach.model.registry`) and
``almanach check`` call the same functions, so that both give the same answer.
"""
