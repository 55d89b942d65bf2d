"""The `speakcase` command line (architecture.md is the contract)."""

from __future__ import annotations

import importlib
import os
import sys

import click

from speakcase.errors import SpeakCaseError

# Each module registers its commands on `main` when imported; none imports a model at top level.
_COMMAND_MODULES = ("store", "transcribe", "extract", "batch", "review", "models", "team", "worker")


class _Group(click.Group):
    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except SpeakCaseError as exc:
            click.echo(f"Error: {exc}", err=True)
            sys.exit(1)
        except KeyboardInterrupt:
            click.echo("Interrupted.", err=True)
            sys.exit(130)
        except (click.exceptions.Exit, click.ClickException, SystemExit):
            raise
        except Exception as exc:
            if os.environ.get("SPEAKCASE_DEBUG"):
                raise
            # The type only: exception text can quote personal data.
            click.echo(
                f"Error: an unexpected {type(exc).__name__} stopped SpeakCase; set SPEAKCASE_DEBUG=1 "
                "to see details.",
                err=True,
            )
            sys.exit(1)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="speakcase")
def main() -> None:
    """SpeakCase: dictated safeguarding memos into information-sharing records, offline."""


db_option = click.option(
    "--db",
    "db_url",
    envvar="SPEAKCASE_DB",
    default=None,
    metavar="URL",
    help="SQLAlchemy database URL (default: the local SQLite file; also SPEAKCASE_DB).",
)

for _name in _COMMAND_MODULES:
    try:
        importlib.import_module(f"speakcase.cli.{_name}")
    except ModuleNotFoundError as _exc:  # a command module not written yet
        if _exc.name != f"speakcase.cli.{_name}":
            raise
