"""Who is asking: API tokens, and what a token's person may do in its organisation."""
