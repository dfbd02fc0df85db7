"""``python -m`` on the library: the troubleshooting command line (``cli``)."""

import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main())
