"""`python -m drafter` runs the command line."""

from drafter.cli import main

if __name__ == "__main__":
    main()
