"""Running the `eport` command line as a user does, and checking its one-line errors."""

import os
import subprocess
import sys


def run_eport(*args, env=None, timeout=300):
    """`python -m eport.cli ARGS` with no standard input (as in CI), extra environment merged."""
    return subprocess.run(
        [sys.executable, "-m", "eport.cli", *map(str, args)],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        stdin=subprocess.DEVNULL,
        timeout=timeout,
    )


def error_line(result) -> str:
    """Exit 1, no traceback, exactly one `error:` line and it is the last (progress may precede).

    Returns that line.
    """
    lines = result.stderr.strip().splitlines()
    errors = [line for line in lines if line.startswith("error: ")]
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert errors == lines[-1:], result.stderr
    return errors[0]
