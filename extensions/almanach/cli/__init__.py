"""The ``almanach`` command line: thin commands over library functions."""
