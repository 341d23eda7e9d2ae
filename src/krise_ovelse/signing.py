"""Ed25519 signing keys for session exports: who made this file, and was it changed since?

The hashes in an export (docs/sessions.md) show accidental damage, but anyone can recompute
them after editing a file. A signature made with a private key that only its owner has cannot
be recomputed: `export --sign` signs the export's header (which holds the hashes of the
scenario, the session details and every event), and `import --verify` accepts only a file
signed by a key you trust. Keys are kept per user (`krise-ovelse keys`):

    KEYDIR/NAME.key        the private key (PKCS#8 PEM, mode 0600): never share it
    KEYDIR/NAME.pub        its public key, one line: `krise-ovelse-ed25519 BASE64 NAME`
    KEYDIR/trusted/*.pub   public keys of others whose exports you accept

KEYDIR is `$KRISE_OVELSE_KEYS`, else `keys` in the user configuration directory. The directory
must belong to the user and be closed to others (0700), like `~/.ssh`.

Ed25519 comes from `cryptography` (pyca), a widely used, maintained library; nothing here is
home-made cryptography.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import re
import stat
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from krise_ovelse.fileio import ReadError, WriteError, read_limited, write_bytes

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

ENV_KEYS = "KRISE_OVELSE_KEYS"
ALGORITHM = "ed25519"
PUBLIC_PREFIX = "krise-ovelse-ed25519"
DEFAULT_NAME = "default"
NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
MAX_KEY_FILE = 64 * 1024


class SigningKeyError(Exception):
    """A key that cannot be made, read or used: a sentence to act on (exit 2)."""

    exit_code = 2

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def render(self) -> str:
        return f"error: {self.message}" + (f"\n  hint: {self.hint}" if self.hint else "")


@attrs.frozen
class PublicKey:
    """A public key with the name it is known by here."""

    name: str
    raw: bytes  # 32 bytes

    @property
    def key_id(self) -> str:
        """A short fingerprint: the first 16 hex digits of the SHA-256 of the raw key."""
        return hashlib.sha256(self.raw).hexdigest()[:16]

    def line(self) -> str:
        return f"{PUBLIC_PREFIX} {base64.b64encode(self.raw).decode()} {self.name}\n"


@attrs.frozen
class Verified:
    """A signature checked against its key: `trusted_as` names the trusted key, or None."""

    key: PublicKey
    trusted_as: str | None


def key_dir() -> Path:
    value = os.environ.get(ENV_KEYS, "").strip()
    if value:
        return Path(value).expanduser()
    import platformdirs

    return platformdirs.user_config_path("krise-ovelse", appauthor=False) / "keys"


def check_private_dir(directory: Path) -> None:
    """Refuse a key directory another user owns or may write to (they could plant keys)."""
    try:
        st = os.lstat(directory)
    except FileNotFoundError:
        return
    if stat.S_ISLNK(st.st_mode) or not stat.S_ISDIR(st.st_mode):
        raise SigningKeyError(f"{directory} is not a directory", "remove it or set KRISE_OVELSE_KEYS")
    if hasattr(os, "getuid") and st.st_uid != os.getuid():
        raise SigningKeyError(f"the key directory {directory} belongs to another user",
                        "use a directory of your own (KRISE_OVELSE_KEYS)")
    if st.st_mode & 0o077:
        raise SigningKeyError(f"the key directory {directory} is open to other users "
                        f"(mode {stat.S_IMODE(st.st_mode):04o})", f"chmod 700 {directory}")


def _ensure_dir(directory: Path) -> None:
    check_private_dir(directory)
    try:
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        (directory / "trusted").mkdir(mode=0o700, exist_ok=True)
    except OSError as exc:
        raise SigningKeyError(f"cannot create the key directory {directory}: {exc.strerror or exc}") from None
    check_private_dir(directory)


def _check_name(name: str) -> str:
    if not NAME.fullmatch(name):
        raise SigningKeyError(f"{name!r} is not a usable key name",
                        "use letters, digits, '.', '-' and '_' (at most 64), e.g. dfo-beredskap")
    return name


def create_key(name: str = DEFAULT_NAME) -> PublicKey:
    """Make a new key pair NAME; refuse to replace one that exists."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    directory = key_dir()
    _ensure_dir(directory)
    private_path = directory / f"{_check_name(name)}.key"
    if os.path.lexists(private_path):
        raise SigningKeyError(f"a key named {name!r} exists already ({private_path})",
                        "choose another name; a key is never replaced")
    private = Ed25519PrivateKey.generate()
    pem = private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    public = PublicKey(name, _raw_public(private.public_key()))
    try:
        write_bytes(private_path, pem, mode=0o600)
        write_bytes(directory / f"{name}.pub", public.line().encode(), mode=0o644)
    except WriteError as exc:
        raise SigningKeyError(exc.render()) from None
    return public


def _raw_public(key: Ed25519PublicKey) -> bytes:
    from cryptography.hazmat.primitives import serialization

    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def load_private(name: str = DEFAULT_NAME) -> tuple[Ed25519PrivateKey, PublicKey]:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    directory = key_dir()
    check_private_dir(directory)
    path = directory / f"{_check_name(name)}.key"
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise SigningKeyError(f"there is no signing key named {name!r} in {directory}",
                        f"make one with `krise-ovelse keys create {name}`") from None
    if st.st_mode & 0o077:
        raise SigningKeyError(f"the private key {path} can be read by other users", f"chmod 600 {path}")
    try:
        pem = read_limited(path, MAX_KEY_FILE, what="key file")
        key = serialization.load_pem_private_key(pem, password=None)
    except ReadError as exc:
        raise SigningKeyError(exc.render()) from None
    except (ValueError, TypeError) as exc:
        raise SigningKeyError(f"{path} is not a usable private key ({exc})") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise SigningKeyError(f"{path} is not an Ed25519 key")
    return key, PublicKey(name, _raw_public(key.public_key()))


def parse_public(text: str, source: str, name: str | None = None) -> PublicKey:
    """A public key line (`krise-ovelse-ed25519 BASE64 [NAME]`)."""
    parts = text.strip().split()
    if len(parts) < 2 or parts[0] != PUBLIC_PREFIX:
        raise SigningKeyError(f"{source} is not a krise-øvelse public key",
                        "give a .pub file made by `krise-ovelse keys create` or `keys public`")
    try:
        raw = base64.b64decode(parts[1], validate=True)
    except (binascii.Error, ValueError):
        raise SigningKeyError(f"{source}: the key is not valid base64") from None
    if len(raw) != 32:
        raise SigningKeyError(f"{source}: an Ed25519 public key has 32 bytes, this has {len(raw)}")
    label = name or (parts[2] if len(parts) > 2 else "") or hashlib.sha256(raw).hexdigest()[:16]
    return PublicKey(_check_name(label), raw)


def own_public(name: str = DEFAULT_NAME) -> PublicKey:
    return load_private(name)[1]


def trust(path: str | os.PathLike[str], name: str | None = None) -> PublicKey:
    """Add another organisation's public key to the trusted keys."""
    try:
        text = read_limited(path, MAX_KEY_FILE, what="key file").decode("utf-8")
    except ReadError as exc:
        raise SigningKeyError(exc.render()) from None
    except UnicodeDecodeError:
        raise SigningKeyError(f"{path} is not a krise-øvelse public key") from None
    key = parse_public(text, str(path), name)
    directory = key_dir()
    _ensure_dir(directory)
    target = directory / "trusted" / f"{key.name}.pub"
    existing = {k.key_id: k for k in trusted_keys()}
    if key.key_id in existing:
        raise SigningKeyError(f"this key is trusted already, as {existing[key.key_id].name!r}")
    if os.path.lexists(target):
        raise SigningKeyError(f"another trusted key is named {key.name!r}", "give this one another name with --name")
    try:
        write_bytes(target, key.line().encode(), mode=0o644)
    except WriteError as exc:
        raise SigningKeyError(exc.render()) from None
    return key


def _public_files(folder: Path) -> list[Path]:
    try:
        return sorted(p for p in folder.iterdir() if p.suffix == ".pub")
    except OSError:
        return []


def own_keys() -> list[PublicKey]:
    directory = key_dir()
    check_private_dir(directory)
    keys = []
    for path in _public_files(directory):
        try:
            keys.append(parse_public(read_limited(path, MAX_KEY_FILE).decode("utf-8"), str(path), path.stem))
        except (ReadError, SigningKeyError, UnicodeDecodeError):
            continue
    return keys


def trusted_keys() -> list[PublicKey]:
    """The trusted keys: those in `trusted/` and the user's own."""
    directory = key_dir()
    check_private_dir(directory)
    keys = []
    for path in _public_files(directory / "trusted"):
        try:
            keys.append(parse_public(read_limited(path, MAX_KEY_FILE).decode("utf-8"), str(path), path.stem))
        except (ReadError, SigningKeyError, UnicodeDecodeError):
            continue
    return keys + own_keys()


# --- signatures ---------------------------------------------------------------------------------


def sign(message: bytes, name: str = DEFAULT_NAME) -> dict[str, Any]:
    """The signature record an export header carries."""
    private, public = load_private(name)
    return {"algorithm": ALGORITHM, "key_id": public.key_id,
            "public_key": base64.b64encode(public.raw).decode(), "signer": public.name,
            "value": base64.b64encode(private.sign(message)).decode()}


class BadSignature(Exception):
    """The signature does not hold: the file was changed, or it is not a signature at all."""


def verify(message: bytes, record: Any) -> Verified:
    """Check a signature record over `message`; BadSignature if it does not hold."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    if not isinstance(record, dict) or record.get("algorithm") != ALGORITHM:
        raise BadSignature(f"the signature is not an {ALGORITHM} signature krise-øvelse made")
    try:
        raw = base64.b64decode(str(record.get("public_key", "")), validate=True)
        value = base64.b64decode(str(record.get("value", "")), validate=True)
        Ed25519PublicKey.from_public_bytes(raw).verify(value, message)
    except (binascii.Error, ValueError, InvalidSignature):
        raise BadSignature("the signature does not match the file: it was changed after it was signed") from None
    signer = record.get("signer")
    key = PublicKey(signer if isinstance(signer, str) and NAME.fullmatch(signer) else "?", raw)
    trusted = next((k.name for k in trusted_keys() if k.raw == raw), None)
    return Verified(key, trusted)
