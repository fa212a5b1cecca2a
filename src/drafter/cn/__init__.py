"""Chinese speech text: numerals and ordinals, punctuation, dates, numbered series."""
