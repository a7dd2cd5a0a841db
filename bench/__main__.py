"""`python -m bench all --scale 10m`: see bench/run.py."""

import sys

from bench.run import main

sys.exit(main())
