"""The one exception type the command line turns into a single clear line."""


class EportError(Exception):
    """A failure the user can act on; its message is shown as one line, without a traceback."""
