"""Corpus level: stories across outlets and languages, outlet profiles."""
