"""Curated data of the event stage (``actors.csv``) and the script that regenerates it."""
