"""``python -m parstats`` runs the command line."""

import sys

from parstats.cli import main

sys.exit(main())
