"""What a person is told, when, and on which channel."""
