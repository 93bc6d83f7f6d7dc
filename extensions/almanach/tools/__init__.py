"""Tools around the build: the checker (``almanach check``) and the importer."""
