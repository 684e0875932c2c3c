"""`python -m lineside` is the `lineside` command."""

import sys

from lineside.app.cli import main

sys.exit(main())
