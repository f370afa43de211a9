"""The app's pages, by area: who sees them decides the module."""
