"""`python -m assistant` entry point."""

from assistant.cli import main

main()
