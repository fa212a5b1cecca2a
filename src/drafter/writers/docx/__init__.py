"""The Word writer: document.xml from the model, packaged with a preset's cached parts."""
