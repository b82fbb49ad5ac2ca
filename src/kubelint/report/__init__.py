"""Reporting: the finding model, output formats, rule documentation and fixes."""
