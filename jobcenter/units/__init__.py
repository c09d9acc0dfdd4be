"""Units (the customers) and the tasks they post."""
