"""Opening the SQLite store (`store/db.py`): which file, how long it waits for a lock, the
fallback to read-only for commands that only look, and the words of every refusal (issue #12,
item 6; pinned where mutation testing found it loose)."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from krise_ovelse.fileio import ReadError, check_regular
from krise_ovelse.store import db as db_module
from krise_ovelse.store.db import SessionStore
from krise_ovelse.store.errors import StoreError


def test_the_file_is_the_one_given_or_the_environments(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KRISE_OVELSE_DB", str(tmp_path / "env.db"))
    with SessionStore() as store:
        assert store.path == tmp_path / "env.db"
    with SessionStore(str(tmp_path / "given.db")) as store:
        assert store.path == tmp_path / "given.db"
    with SessionStore.for_reading() as store:
        assert store.path == tmp_path / "env.db"
    with SessionStore.for_reading(str(tmp_path / "given.db")) as store:
        assert store.path == tmp_path / "given.db"


def test_a_session_without_team_or_mode_is_a_live_one_of_no_team(tmp_path: Path) -> None:
    with SessionStore(tmp_path / "s.db") as store:
        info = store.create_session(scenario_text="x", scenario_id="y")
        assert (info.team, info.mode, info.title, info.facilitator, info.participants) == ("", "live", "", "", ())


def test_a_command_that_only_looks_falls_back_to_a_read_only_connection(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "s.db"
    with SessionStore(path) as store:
        sid = store.create_session(scenario_text="x", scenario_id="y").id

    def read_only(_conn: object, where: object) -> int:
        raise StoreError(f"cannot write to the session database {where}: the file or its directory is read-only")

    monkeypatch.setattr(db_module, "migrate", read_only)  # what opening it for writing meets on read-only media
    with pytest.raises(StoreError, match="read-only"):
        SessionStore(path)
    with SessionStore.for_reading(path, busy_timeout=77) as store:
        assert (store.readonly, store.immutable, store.busy_timeout_ms) == (True, False, 77)
        assert [s.id for s in store.list_sessions()] == [sid]
        with pytest.raises(StoreError):
            store.set_status(sid, "paused")

    def full(_conn: object, where: object) -> int:
        raise StoreError(f"cannot write to the session database {where}: the disk is full")

    monkeypatch.setattr(db_module, "migrate", full)  # any other failure is not a reason to fall back
    with pytest.raises(StoreError, match="the disk is full"):
        SessionStore.for_reading(path)


def test_a_special_file_or_a_missing_folder_is_refused_with_the_reason(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo.db"
    os.mkfifo(fifo)
    with pytest.raises(ReadError) as expected:
        check_regular(fifo)
    with pytest.raises(StoreError) as raised:
        SessionStore(fifo)
    assert (raised.value.message, raised.value.hint) == (
        f"the session database {fifo} {expected.value.message}", expected.value.hint)
    missing = tmp_path / "nowhere" / "s.db"
    with pytest.raises(StoreError) as raised:
        SessionStore(missing, readonly=True)
    assert raised.value.message == f"cannot open the session database {missing} (unable to open database file)"
    assert not missing.parent.exists()


def test_a_failing_read_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    with SessionStore(path) as store:
        with pytest.raises(StoreError) as raised:
            store._read("SELECT * FROM no_such_table")
        assert raised.value.message == f"cannot read the session database {path}: no such table: no_such_table"


def test_a_gap_inside_one_command_is_refused_at_the_event_that_breaks_the_numbering(tmp_path: Path) -> None:
    with SessionStore(tmp_path / "s.db") as store:
        started = [{"seq": 1, "kind": "session_started"}]
        sid = store.create_session(scenario_text="x", scenario_id="y", events=started).id
        with pytest.raises(StoreError) as raised:
            store.append(sid, [{"seq": 2, "kind": "paused"}, {"seq": 4, "kind": "resumed"}])
        assert (raised.value.message, raised.value.hint) == (
            f"session {sid}: the next event must have seq 3, not 4; another process may have written to this session",
            "reopen the session to continue from what is stored")
        assert store.last_seq(sid) == 1  # nothing of the command was stored


def test_on_read_only_media_a_database_that_cannot_even_open_read_only_opens_as_immutable(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A WAL file in a read-only folder without its -shm file: SQLite cannot open it read-only
    (it would have to create the -shm), so it is opened as an unchanging file. Nobody can be
    writing it there; in a writable folder, or with the -shm present, the failure is real."""
    path = tmp_path / "s.db"
    with SessionStore(path) as store:
        sid = store.create_session(scenario_text="x", scenario_id="y").id
    opened: list[dict[str, object]] = []
    original_init = SessionStore.__init__

    def record(self: SessionStore, *args: object, **kwargs: object) -> None:
        opened.append(dict(kwargs))
        if not kwargs.get("immutable"):
            raise StoreError(f"cannot open the session database {path} (unable to open database file)")
        original_init(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(SessionStore, "__init__", record)
    monkeypatch.setattr(os, "access", lambda *_: False)  # the folder is read-only
    with SessionStore.for_reading(path, busy_timeout=77) as store:
        assert (store.immutable, store.readonly, store.busy_timeout_ms) == (True, True, 77)
        assert [s.id for s in store.list_sessions()] == [sid]
    assert opened == [{"busy_timeout": 77}, {"readonly": True, "busy_timeout": 77},
                      {"immutable": True, "busy_timeout": 77}]
    monkeypatch.setattr(os, "access", lambda *_: True)  # a writable folder: the failure stands
    with pytest.raises(StoreError, match="unable to open"):
        SessionStore.for_reading(path)
    monkeypatch.setattr(os, "access", lambda *_: False)
    (tmp_path / "s.db-shm").write_bytes(b"")  # the -shm is there: read-only would have worked
    with pytest.raises(StoreError, match="unable to open"):
        SessionStore.for_reading(path)


def test_a_folder_given_as_the_database_is_refused_with_the_file_to_give(tmp_path: Path) -> None:
    with pytest.raises(StoreError) as raised:
        SessionStore(tmp_path)
    assert (raised.value.message, raised.value.hint) == (
        f"the session database {tmp_path} is a directory, not a file",
        f"give the file, e.g. --db {tmp_path / 'sessions.db'}")


def test_opening_says_which_file_and_why_it_cannot_be_used(tmp_path: Path) -> None:
    nested = tmp_path / "a" / "b" / "sessions.db"
    with SessionStore(nested) as store:  # the folders are made as needed
        assert store.count_sessions() == 0
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"this is not an SQLite file at all, just text" * 50)
    with pytest.raises(StoreError) as info:
        SessionStore(garbage)
    assert info.value.message == (f"the session database {garbage} is damaged or is not a krise-øvelse database "
                                  "(file is not a database)")
    full = tmp_path / "new" / "sessions.db"

    def no_space(*_args: object, **_kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Path, "mkdir", no_space)
        with pytest.raises(StoreError) as info:
            SessionStore(full)
    assert info.value.message == (f"cannot create the session database {full}: the disk is full; nothing was "
                                  "written by this command")


@pytest.mark.parametrize(("raw", "ms"), [(None, 5000), ("", 5000), ("  ", 5000), ("250", 250), (" 0 ", 0),
                                         ("-5", 0), ("soon", 5000)])
def test_the_lock_wait_comes_from_the_environment_or_is_five_seconds(monkeypatch: pytest.MonkeyPatch,
                                                                      raw: str | None, ms: int) -> None:
    from krise_ovelse.store.location import busy_timeout_ms

    if raw is None:
        monkeypatch.delenv("KRISE_OVELSE_DB_TIMEOUT_MS", raising=False)
    else:
        monkeypatch.setenv("KRISE_OVELSE_DB_TIMEOUT_MS", raw)
    assert busy_timeout_ms() == ms
