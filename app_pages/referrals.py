"""referrals: not built yet; says what it will show and which work brings it."""

from siyu.ui.coming import coming_soon

coming_soon("referrals")
