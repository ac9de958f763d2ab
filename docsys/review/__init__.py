"""Review of documents: the redline (word-by-word comparison of two versions) and its
renderings, an HTML fragment for the browser and a DOCX with Word tracked changes."""
