"""Located YAML: reading forms, manifests, style files and rule files with positions and Chinese errors."""
