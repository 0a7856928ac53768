"""The web application for officers."""
