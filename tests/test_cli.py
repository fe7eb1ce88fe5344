"""`iscg-bot` as a newcomer runs it: ask, --json, db, run under a process manager."""

from __future__ import annotations

import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest


def environment(tmp_path: Path, env: dict[str, str] | None = None) -> dict[str, str]:
    """The process environment of a test's bot: its own database, none of ours."""
    full_env = {
        k: v for k, v in os.environ.items() if not k.startswith(("ISCG_", "SLACK_", "DISCORD_"))
    }
    full_env.update({"ISCG_DB_PATH": str(tmp_path / "data" / "iscg.sqlite3"), "PORT": "0"})
    full_env.update(env or {})
    return full_env


def bot(
    tmp_path: Path, *args: str, env: dict[str, str] | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        stdin=subprocess.DEVNULL,  # off a terminal, as under a process manager
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=environment(tmp_path, env),
        timeout=timeout,
        check=False,
    )


def test_ask_creates_the_database_and_answers(tmp_path):
    result = bot(tmp_path, "ask", "/who-coordinates accessibility")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Accessibility: who coordinates")
    assert (tmp_path / "data" / "iscg.sqlite3").exists()


def test_ask_not_found_still_exits_zero(tmp_path):
    result = bot(tmp_path, "ask", "/who-coordinates nothing-of-the-sort")
    assert result.returncode == 0
    assert "I know no theme called" in result.stdout


def test_ask_json_shape(tmp_path):
    result = bot(tmp_path, "ask", "--json", "/themes pilot")
    data = json.loads(result.stdout)
    assert "Climate change" in data["text"]
    assert data["attachments"] == [] and data["error"] is False


def test_ask_as_chair_from_settings(tmp_path):
    env = {"ISCG_CHAIRS": "chair@example.org"}
    refused = bot(tmp_path, "ask", "/set-coordinator gender | Jane Doe", env=env)
    assert "needs the chair or secretariat role" in refused.stdout
    for identity in ("chair@example.org", "email:chair@example.org"):
        done = bot(tmp_path, "ask", "--as", identity, "/set-coordinator gender | Jane Doe", env=env)
        assert done.returncode == 0
        assert "Jane Doe" in done.stdout
    shown = bot(tmp_path, "ask", "who coordinates gender?")
    assert "Jane Doe" in shown.stdout


def test_usage_error_of_the_cli_exits_two(tmp_path):
    assert bot(tmp_path, "ask").returncode == 2
    assert bot(tmp_path, "frobnicate").returncode == 2


def test_db_commands(tmp_path):
    assert "applied: 0001_core.sql" in bot(tmp_path, "db", "migrate").stdout
    assert "themes" in bot(tmp_path, "db", "seed").stdout
    assert "seeded: nothing new" in bot(tmp_path, "db", "seed").stdout
    backup = tmp_path / "backups" / "b.sqlite3"
    assert bot(tmp_path, "db", "backup", str(backup)).returncode == 0
    assert backup.stat().st_size > 0


@pytest.mark.parametrize("row", ["999", "99999999999999999999999"])  # the second: no SQLite id
def test_outbox_retry_of_an_unknown_row_says_so(tmp_path, row):
    result = bot(tmp_path, "outbox", "retry", row)
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.strip() == (
        f"iscg-bot: there is no outbox row {row}; `iscg-bot outbox` lists the pending and failed"
        " ones"
    )


def test_broken_database_path_is_one_line(tmp_path):
    (tmp_path / "blocker").write_text("x")
    result = bot(tmp_path, "ask", "/help", env={"ISCG_DB_PATH": str(tmp_path / "blocker" / "x")})
    assert result.returncode == 1
    assert result.stderr.strip().count("\n") == 0
    assert result.stderr.startswith(
        f"iscg-bot: cannot create the folder for the database {tmp_path / 'blocker' / 'x'}"
        " (setting ISCG_DB_PATH): "
    ), result.stderr


def _make_read_only(path: Path) -> bool:
    """chmod does not stop root; an immutable file does (ext4 `chattr +i`)."""
    path.chmod(0o444)
    if os.geteuid() != 0:
        return True
    return (
        subprocess.run(["chattr", "+i", str(path)], capture_output=True, check=False).returncode
        == 0
    )


def test_read_only_database_file_is_one_line(tmp_path):
    path = tmp_path / "ro.sqlite3"
    sqlite3.connect(path).close()
    if not _make_read_only(path):
        pytest.skip("cannot make a file read-only for root on this filesystem")
    try:
        result = bot(tmp_path, "ask", "/help", env={"ISCG_DB_PATH": str(path)})
    finally:
        if os.geteuid() == 0:
            subprocess.run(["chattr", "-i", str(path)], check=False)
    assert result.returncode == 1, result.stdout
    assert result.stderr.startswith("iscg-bot: cannot open the database")
    assert "readonly" in result.stderr
    assert result.stderr.strip().count("\n") == 0


def test_bad_setting_is_one_line_naming_it(tmp_path):
    result = bot(tmp_path, "ask", "/help", env={"ISCG_SMTP_PORT": "many"})
    assert result.returncode == 1
    assert result.stderr.startswith("iscg-bot: setting ISCG_SMTP_PORT:")
    assert "Traceback" not in result.stderr


def test_ask_speaks_in_a_shared_channel_and_saves_attachments(tmp_path):
    result = bot(tmp_path, "ask", "--channel", "room", "--as", "console:ana", "/help")
    assert result.returncode == 0


def test_run_off_a_terminal_logs_handlers_and_stops_on_sigterm(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ISCG_", "SLACK_", "DISCORD_"))}
    env.update({"ISCG_DB_PATH": str(tmp_path / "iscg.sqlite3"), "PORT": "0"})
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "run"],
        cwd=tmp_path,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        seen = ""
        while "web server on port" not in seen and time.monotonic() < deadline:
            line = proc.stderr.readline()
            if not line:
                break
            seen += line
        assert "web server on port" in seen, seen
        proc.send_signal(signal.SIGTERM)
        _, rest = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0
    assert "shutting down" in seen + rest


@pytest.mark.parametrize("text", ["/help", "who coordinates AI?"])
def test_python_dash_m_bot_is_iscg_bot(tmp_path, text):
    assert bot(tmp_path, "ask", text).returncode == 0


def test_console_reads_lines_and_leaves_on_end_of_input(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ISCG_", "SLACK_", "DISCORD_"))}
    env.update({"ISCG_DB_PATH": str(tmp_path / "iscg.sqlite3")})
    result = subprocess.run(
        [sys.executable, "-m", "bot", "console", "--as", "ana"],
        input="/help who-coordinates\nwho coordinates AI?\n",
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "You are console:ana" in result.stdout
    assert "Usage: /who-coordinates <theme>" in result.stdout
    assert "Artificial Intelligence: who coordinates" in result.stdout


def test_run_on_a_terminal_opens_the_console(tmp_path):
    import pty
    import select

    env = {k: v for k, v in os.environ.items() if not k.startswith(("ISCG_", "SLACK_", "DISCORD_"))}
    env.update({"ISCG_DB_PATH": str(tmp_path / "iscg.sqlite3"), "PORT": "0"})
    leader, follower = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "run"],
        cwd=tmp_path,
        env=env,
        stdin=follower,
        stdout=follower,
        stderr=subprocess.DEVNULL,
    )
    os.close(follower)
    out = b""

    def read_until(marker: bytes) -> None:
        nonlocal out
        deadline = time.monotonic() + 60
        while marker not in out and time.monotonic() < deadline:
            ready, _, _ = select.select([leader], [], [], 0.5)
            if ready:
                out += os.read(leader, 4096)

    try:
        read_until(b"Ctrl-D to leave.")
        os.write(leader, b"/themes pilot\n")
        read_until(b"Climate change")
        os.write(leader, b"\x04")  # Ctrl-D leaves
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(leader)
    assert b"Type /help for commands, Ctrl-D to leave." in out
    assert b"Climate change" in out
    assert proc.returncode == 0


def test_output_cut_short_by_a_pager_or_head_is_no_traceback(tmp_path):
    """`iscg-bot outbox | head` or `iscg-bot ask "/help" | head -3`: the reader leaves
    early, and the bot must stop quietly, not print a BrokenPipeError traceback."""
    read, write = os.pipe()
    os.close(read)  # a reader that has already gone
    try:
        result = subprocess.run(
            [sys.executable, "-m", "bot", "ask", "/help"],
            stdout=write,
            stderr=subprocess.PIPE,
            text=True,
            cwd=tmp_path,
            env=environment(tmp_path),
            timeout=60,
            check=False,
        )
    finally:
        os.close(write)
    assert "Traceback" not in result.stderr
    assert "BrokenPipeError" not in result.stderr


def test_console_as_no_identity_says_so_and_ends(tmp_path):
    """A mistyped --as left the console hanging after the message: the database was
    already open, and its thread kept the process alive."""
    result = bot(tmp_path, "console", "--as", "jane@@example.org", timeout=30)
    assert result.returncode == 2
    assert result.stderr.startswith("iscg-bot: 'jane@@example.org' is not an identity")


def test_a_backup_that_cannot_be_written_is_one_line(tmp_path):
    """A folder, a place that cannot be created, or the live file itself."""
    bot(tmp_path, "db", "migrate")
    blocker = tmp_path / "blocker"
    blocker.write_text("x")
    live = tmp_path / "data" / "iscg.sqlite3"
    cannot = f"cannot back up the database {live} (setting ISCG_DB_PATH) to"
    for target, why in (
        (tmp_path, f"{cannot} {tmp_path}: "),
        (blocker / "b.sqlite3", f"{cannot} {blocker / 'b.sqlite3'}: "),
        (live, "is the database itself: give the backup another path"),
    ):
        result = bot(tmp_path, "db", "backup", str(target))
        assert result.returncode == 1, result.stdout
        assert result.stderr.startswith("iscg-bot: ") and why in result.stderr, result.stderr
        assert result.stderr.strip().count("\n") == 0, result.stderr


def test_a_backup_of_no_database_names_the_setting_and_writes_nothing(tmp_path):
    """A mistyped ISCG_DB_PATH: the backup was of a new, empty database, "backed up"."""
    missing = tmp_path / "nothere" / "iscg.sqlite3"
    target = tmp_path / "b.sqlite3"
    result = bot(tmp_path, "db", "backup", str(target), env={"ISCG_DB_PATH": str(missing)})
    assert result.returncode == 1, result.stdout
    assert result.stderr == (
        f"iscg-bot: setting ISCG_DB_PATH: there is no database at {missing}, nothing to back up;"
        " check the path (`iscg-bot db migrate` creates a new one)\n"
    )
    assert not missing.exists() and not target.exists()


@pytest.mark.parametrize(
    ("setting", "said"),
    [
        ("PORT", "iscg-bot: setting PORT: cannot listen on 0.0.0.0:{port}: "),
        ("ISCG_INBOUND_SMTP_PORT", "iscg-bot: setting ISCG_INBOUND_SMTP_PORT: cannot listen on"),
    ],
)
def test_a_port_another_program_holds_is_one_line_naming_the_setting(tmp_path, setting, said):
    """Two bots on one machine, or a port some other server took: not a traceback."""
    with socket.socket() as taken:
        taken.bind(("0.0.0.0", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = bot(tmp_path, "run", env={setting: str(port)})
    assert result.returncode == 1
    assert "Traceback" not in result.stderr, result.stderr
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith(said.format(port=port)), last
    assert "address already in use; choose another port, for example " in last


def test_an_address_this_machine_does_not_have_names_the_host_setting(tmp_path):
    env = {"ISCG_INBOUND_SMTP_PORT": "2525", "ISCG_INBOUND_SMTP_HOST": "192.0.2.1"}
    result = bot(tmp_path, "run", env=env)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1] == (
        "iscg-bot: setting ISCG_INBOUND_SMTP_HOST: cannot listen on 192.0.2.1:2525:"
        " cannot assign requested address; for example ISCG_INBOUND_SMTP_HOST=127.0.0.1"
    )


def test_a_mistyped_setting_is_warned_about_and_the_bot_still_answers(tmp_path):
    result = bot(tmp_path, "ask", "/help", env={"ISCG_SMTP_PASS": "secret"})
    assert result.returncode == 0
    assert "ISCG_SMTP_PASS is not a setting; did you mean ISCG_SMTP_PASSWORD?" in result.stderr
