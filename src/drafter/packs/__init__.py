"""Template packs: finding them, their declared form fields, and running their Jinja sandboxed."""
