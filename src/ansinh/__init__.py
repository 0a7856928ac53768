"""An Sinh: social-protection management information system for Vietnamese provinces."""

__version__ = "0.1.0"
