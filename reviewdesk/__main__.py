"""The `reviewdesk` command (and `python -m reviewdesk`).

The cycle collector is held while the program's modules load and, for the desktop app,
until its first screen is read (reviewdesk.collector); a command releases it once its
arguments are read.
"""

import sys

from reviewdesk import collector


def main() -> int:
    collector.hold()
    from reviewdesk.cli import main as run

    return run()


if __name__ == "__main__":
    sys.exit(main())
