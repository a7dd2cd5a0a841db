"""spark-submit's entry point: `spark-submit [options] <the path of this file> metric NAME --engine spark
--lake DIR ...` runs `python -m siyu` under the session spark-submit configured (its --master and --conf win;
no --master is set here). docs/scale.md."""

from __future__ import annotations

import sys

from siyu.cli import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
