"""What actually happened: attendance, activity days, paid hours, month closing."""
