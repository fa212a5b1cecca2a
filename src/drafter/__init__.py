"""drafter: draft Chinese office speeches from YAML forms into GB/T 9704 Word documents."""

__version__ = "0.1.0"
