"""The pure core: plain values in, plain values out; no database, web or files."""
