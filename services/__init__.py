"""volops: scheduling and logistics for volunteer operations (API side)."""
