"""Entity resolution of people: name normalisation, comparisons, Splink settings."""
