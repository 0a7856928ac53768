"""Registers every command module with the app."""
