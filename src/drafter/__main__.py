"""`python -m drafter` and the `drafter` command; also the frozen program's entry script.

The regular expressions earlier runs compiled are handed to `re` before drafter.cli imports
click, PyYAML and Jinja (see infra/regex_store.py). Importing drafter.cli calls
multiprocessing.freeze_support() in a frozen program, so a `render -j N` worker started from
this script runs its task instead of the command line.
"""

from drafter.infra.regex_store import preload

preload()

from drafter.cli import main  # noqa: E402  (after the patterns are in place)

if __name__ == "__main__":
    main()
