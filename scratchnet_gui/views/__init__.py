"""Views: each draws a Snapshot (plus the user's selections) and nothing else."""
