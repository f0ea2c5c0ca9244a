"""Room bookings: venues lent by partner congregations, confirmed or declined date by date."""
