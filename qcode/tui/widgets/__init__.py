"""Widgets of the workbench: the document view, and more to come."""
