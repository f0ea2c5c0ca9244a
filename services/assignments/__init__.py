"""Sign-ups and assignments: who does which role on which occurrence, withdrawals, attendance."""
