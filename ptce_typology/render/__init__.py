"""Renderers: formats, labels, figures and the HTML report; they never compute statistics."""
