"""channels: not built yet; says what it will show and which work brings it."""

from siyu.ui.auth import require_role
from siyu.ui.coming import coming_soon

require_role("viewer")  # the navigation hides the page from lower roles; this stops a typed URL

coming_soon("channels")
