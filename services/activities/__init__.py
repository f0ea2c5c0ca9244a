"""Activities: recurring series of volunteer work, the roles they need, who they are shared with."""
