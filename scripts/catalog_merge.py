"""Move word tables ({key: {"zh": ..., "en": ...}}, e.g. siyu/ui/text_<name>.py) into the text catalogs.

    python scripts/catalog_merge.py [--delete] siyu/ui/text_groups.py ...

The same as `python -m siyu.locales.merge` (its --help and docs/i18n.md tell the rest)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from siyu.locales.merge import main  # after the path, so the script runs from any folder

if __name__ == "__main__":
    sys.exit(main())
