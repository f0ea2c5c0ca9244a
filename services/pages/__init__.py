"""Pages for people rather than API clients: server-rendered HTML that works without JavaScript."""
