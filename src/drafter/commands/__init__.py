"""One module per command-line verb; each holds the verb's logic, the CLI only wires options."""
