"""`python -m drafter` runs the command line; it is also the frozen program's entry script.

Importing drafter.cli calls multiprocessing.freeze_support() in a frozen program, so a
`render -j N` worker started from this script runs its task instead of the command line.
"""

from drafter.cli import main

if __name__ == "__main__":
    main()
