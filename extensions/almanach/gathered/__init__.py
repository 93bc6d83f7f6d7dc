"""Gathered pages: views that collect content from every letter, and their freshness."""
