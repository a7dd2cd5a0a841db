"""Registry entries for the community metrics: super users, referrals, channels, friend survival."""

from __future__ import annotations
