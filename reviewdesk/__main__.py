"""`python -m reviewdesk`: the same as the `reviewdesk` command."""

import sys

from reviewdesk.cli import main

if __name__ == "__main__":
    sys.exit(main())
