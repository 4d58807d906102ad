"""Language data: the rule tables of each language (``parstats/lang/<code>/*.csv``)."""
