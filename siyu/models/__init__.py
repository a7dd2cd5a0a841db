"""Buy-till-you-die models (BG/NBD, Gamma-Gamma) written with numpy/scipy; pure functions on arrays."""
