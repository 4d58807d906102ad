"""Vietnamese rule tables: one CSV per cue family (see :mod:`parstats.rules`)."""
