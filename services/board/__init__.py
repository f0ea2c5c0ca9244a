"""The coordinators' pages: the gap board, who could cover, auto-fill, rooms, qualifications."""
