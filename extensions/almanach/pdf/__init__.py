"""The PDF compendium: LaTeX settings, translator, style, and the build that compiles it."""
