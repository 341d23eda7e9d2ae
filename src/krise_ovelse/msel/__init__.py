"""Spreadsheets in and out (MSEL / dreiebok as .xlsx or .csv) and printable inject cards.

`sheet` reads a spreadsheet within bounds, `profiles` names the column layouts, `times` reads
and writes the time column, `importer` turns rows into scenario YAML, `exporter` turns a
scenario into rows, `cards` writes print-ready HTML. Never imports textual.
"""
