"""``python -m pmo_core``: the command line (see :mod:`pmo_core.cli`)."""

import sys

from pmo_core.cli import main

sys.exit(main())
