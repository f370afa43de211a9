"""Models of the tracking app arrive with its issue; the app is registered so migrations and signals have a home."""
