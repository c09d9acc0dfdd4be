"""Calendars: secret iCalendar feeds per person, single shifts as .ics, the week grid."""
