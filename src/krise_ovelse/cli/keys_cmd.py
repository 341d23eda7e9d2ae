"""`krise-ovelse keys`: the Ed25519 keys that sign exports and the keys you trust (see signing)."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import click

from krise_ovelse.cli.base import EXIT_USAGE, main

F = TypeVar("F", bound=Callable[..., Any])


@contextmanager
def _key_errors() -> Iterator[None]:
    from krise_ovelse.fileio import WriteError
    from krise_ovelse.signing import SigningKeyError

    try:
        yield
    except SigningKeyError as exc:
        click.echo(exc.render(), err=True)
        sys.exit(exc.exit_code)
    except WriteError as exc:
        click.echo(exc.render(), err=True)
        sys.exit(EXIT_USAGE)


@main.group("keys")
def keys_cmd() -> None:
    """Manage the keys that sign session exports (export --sign) and the keys you trust (import --verify).

    Your private key stays in your key directory (`keys list` shows where); give others your
    public key (`keys public`), and trust theirs (`keys trust FILE.pub`) after checking its
    fingerprint with them by phone or in person.
    """


@keys_cmd.command("create")
@click.argument("name", default="default")
def create_cmd(name: str) -> None:
    """Make a new signing key NAME (default: `default`); an existing key is never replaced."""
    from krise_ovelse.signing import create_key, key_dir

    with _key_errors():
        key = create_key(name)
    click.echo(f"created signing key {key.name!r} in {key_dir()}", err=True)
    click.echo(f"fingerprint {key.key_id}")


@keys_cmd.command("public")
@click.argument("name", default="default")
@click.option("-o", "--output", default="-", show_default=True, metavar="FILE",
              help="Write the public key to FILE ('-' for standard output).")
def public_cmd(name: str, output: str) -> None:
    """Print (or write) the public key of your key NAME, to give to those who import your exports."""
    from krise_ovelse.fileio import write_text
    from krise_ovelse.signing import own_public

    with _key_errors():
        key = own_public(name)
        write_text(output, key.line())
    click.echo(f"fingerprint {key.key_id}", err=True)


@keys_cmd.command("trust")
@click.argument("file", metavar="FILE.pub")
@click.option("--name", default=None, help="The name to know the key by (default: the name in the file).")
def trust_cmd(file: str, name: str | None) -> None:
    """Trust the public key in FILE.pub: `import --verify` then accepts exports it signed.

    Check the fingerprint this prints with the key's owner before you rely on it.
    """
    from krise_ovelse.signing import trust

    with _key_errors():
        key = trust(file, name)
    click.echo(f"trusted {key.name!r}, fingerprint {key.key_id}")


@keys_cmd.command("list")
def list_cmd() -> None:
    """List your keys and the keys you trust, with their fingerprints."""
    from krise_ovelse.signing import key_dir, own_keys, trusted_keys

    with _key_errors():
        own = own_keys()
        others = [k for k in trusted_keys() if k not in own]
    click.echo(f"key directory: {key_dir()}")
    for title, keys in (("your keys", own), ("trusted keys", others)):
        click.echo(f"{title}:")
        for key in keys:
            click.echo(f"  {key.name:<24} {key.key_id}")
        if not keys:
            click.echo("  (none)")
