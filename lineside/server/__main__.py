"""`python -m lineside.server`: the `lineside server` command without the application CLI."""

import argparse
import sys

from lineside.server.cli import configure_parser, run


def main() -> int:
    """Parse the `lineside server` options and run the command."""
    parser = argparse.ArgumentParser(
        prog="python -m lineside.server",
        description="Lineside's central server: the sync API for stations, and its database.",
    )
    configure_parser(parser)
    return run(parser.parse_args())


if __name__ == "__main__":
    sys.exit(main())
