"""导入 Import: not built yet (issue #3); says what it will do."""

from siyu.ui.coming import coming_soon

coming_soon("import")
