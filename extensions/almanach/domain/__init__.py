"""The ``almanach`` domain: the records of every letter, their cross-references,
the queries over them (selection) and the domain indices."""
