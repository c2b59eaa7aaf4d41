"""``python -m game`` runs the ``goingdark`` command."""

import sys

from game.cli import main

sys.exit(main())
