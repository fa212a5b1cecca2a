"""Infrastructure every layer may use: files, the user cache, safe output, the edit fingerprint."""
