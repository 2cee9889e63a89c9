"""``python -m threatscape`` runs the command line."""

from threatscape.cli import main

main()
