"""Importing a school's Word and PDF policies into the Markdown policy format.

`staffroom policies import FILE... --into DIR` reads each document (`word.py`, `pdf.py`)
into the same outline of headings, paragraphs, list items and table rows (`outline.py`),
cleans it up (`cleanup.py`), writes it as one Markdown policy file (`markdown_writer.py`)
and reports which sections changed since the last import (`sections_diff.py`).
"""
