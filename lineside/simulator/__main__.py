"""`python -m lineside.simulator`: the `lineside sim` command without the application CLI."""

import argparse
import sys

from lineside.simulator.cli import configure_parser, run


def main() -> int:
    """Parse the `lineside sim` options and run the simulator."""
    parser = argparse.ArgumentParser(
        prog="python -m lineside.simulator",
        description="OPC UA packaging-line simulator for Lineside tests and demos.",
    )
    configure_parser(parser)
    return run(parser.parse_args())


if __name__ == "__main__":
    sys.exit(main())
