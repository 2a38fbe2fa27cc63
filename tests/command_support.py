"""Running a management command in a test: its output, its errors and its exit code, without raising."""

from io import StringIO

from django.core.management import CommandError, call_command


def run(*args) -> tuple[str, str, int]:
    """(stdout, stderr, exit code) of `manage.py <args>`: a CommandError's message goes to stderr with its code."""
    out, err = StringIO(), StringIO()
    try:
        call_command(*args, stdout=out, stderr=err)
        code = 0
    except CommandError as error:
        code = error.returncode
        err.write(str(error))
    return out.getvalue(), err.getvalue(), code
