"""Slips: a data model first, then text, ESC/POS and PDF renderers, and the printers."""
