"""The ticket: intake, rows, claims, deadlines, the board, search, views, workflow, records."""
