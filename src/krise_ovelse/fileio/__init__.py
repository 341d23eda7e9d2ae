"""Reading input files and writing output files safely (see docs/security.md).

Inputs are files someone else may have written, and output paths may point somewhere the user
did not mean: `reading` opens regular files only and reads at most a limit, `writing` never
follows a symbolic link at the target and never replaces anything but a regular file; `problems`
holds the error both raise (`ReadError` and `WriteError` are its kinds). Nothing here imports
more of the project than the sanitiser, so every layer uses them.
"""

from __future__ import annotations

from krise_ovelse.fileio.reading import ReadError, check_regular, read_limited, read_text_limited
from krise_ovelse.fileio.writing import STDOUT, WriteError, write_bytes, write_text

__all__ = ["STDOUT", "ReadError", "WriteError", "check_regular", "read_limited", "read_text_limited", "write_bytes",
           "write_text"]
