"""Widgets and renderings that two or more screens share."""
