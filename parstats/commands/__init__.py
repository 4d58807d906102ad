"""Sub-commands of the ``parstats`` command line, one module each (``register(subparsers)``)."""
