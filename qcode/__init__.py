"""qcode: qualitative coding of interviews and documents for case-study research."""

__version__ = "0.1.0"
