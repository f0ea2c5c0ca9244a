"""API tokens as their holders and coordinators manage them over HTTP."""
