"""The directives editors write in the letters, one module per family."""
