"""Use cases the command line and the web app share: each reads, checks, stores and audits."""
