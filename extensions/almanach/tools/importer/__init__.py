"""Importing a letter exported by the mailing tool as a MyST draft."""
