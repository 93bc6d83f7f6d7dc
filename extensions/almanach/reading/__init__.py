"""Reading a letter: the safe parser, directives, roles, nodes, review states, and
collecting a read document into records."""
