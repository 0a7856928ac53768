"""The web application's routes: pages by part of the system, and the JSON API."""
