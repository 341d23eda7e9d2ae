"""Scripted runs: a playthrough file (`playthrough`) drives the engine without a console (`headless`).

A front end like the console and the CLI, so it may use authoring (the YAML loader) and the
criteria catalogue; the engine itself knows neither.
"""
