"""`python -m speakcase` runs the command line."""

from speakcase.cli import main

main()
