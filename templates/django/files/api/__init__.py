"""The API application."""
