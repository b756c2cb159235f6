"""Backups that restore: one archive with a consistent copy of the database (SQLite's online
backup, or `pg_dump`), the media and private files, the reference data files the site loads (the
countries, the letters' rules), and a manifest: each member's SHA-256, the migrations applied and
every table's row count. `restore` checks the manifest before it touches anything, replaces the
database whole, puts the files back and changes every data version, so that nothing derived from
the data that was there before is served.

The archive holds what the site holds (keyed hashes, sealed testimonies, staff accounts): it is
written readable by its owner only, and belongs where the database does."""

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connection, connections
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from . import versions

FORMAT = "solidarity-backup/1"
SQLITE_FILE, POSTGRES_FILE = "database.sqlite3", "database.pgdump"


class Refused(Exception):
    """The backup or restore cannot go ahead; the message says why."""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def keys_check() -> str:
    """A fingerprint of the keys the data's hashes were made with (SECRET_KEY and the peppers),
    never the keys: restored under other keys, codenames, addresses and tokens would all fail."""
    import hmac

    names = sorted(name for name in dir(settings) if name == "SECRET_KEY" or name.endswith("_PEPPER"))
    material = "\n".join(f"{name}={getattr(settings, name) or ''}" for name in names).encode()
    return hmac.new(material, b"solidarity-backup:keys", hashlib.sha256).hexdigest()[:16]


def row_counts() -> dict[str, int]:
    """Every table of the project's own apps, by model label."""
    return {
        model._meta.label: model._base_manager.count()
        for model in apps.get_models()
        if model.__module__.startswith("solidarity.") and model._meta.managed
    }


def _postgres_environment() -> tuple[list[str], dict]:
    config = connection.settings_dict
    arguments = ["--dbname", config["NAME"]]
    if config.get("HOST"):
        arguments += ["--host", config["HOST"]]
    if config.get("PORT"):
        arguments += ["--port", str(config["PORT"])]
    if config.get("USER"):
        arguments += ["--username", config["USER"]]
    environment = {**os.environ}
    if config.get("PASSWORD"):
        environment["PGPASSWORD"] = config["PASSWORD"]
    return arguments, environment


def _run(command: list[str], environment: dict) -> None:
    done = subprocess.run(command, env=environment, capture_output=True, text=True)  # noqa: S603 (no shell)
    if done.returncode:
        raise Refused(f"{Path(command[0]).name} failed: {done.stderr.strip()[-500:]}")


def _dump_database(folder: Path) -> str:
    if connection.vendor == "sqlite":
        target = folder / SQLITE_FILE
        connection.ensure_connection()
        with sqlite3.connect(target) as copy:
            connection.connection.backup(copy)  # a consistent copy, taken while the site runs
        return SQLITE_FILE
    if connection.vendor == "postgresql":
        pg_dump = shutil.which("pg_dump")
        if not pg_dump:
            raise Refused("pg_dump is not installed (Debian: postgresql-client).")
        arguments, environment = _postgres_environment()
        target = folder / POSTGRES_FILE
        _run(
            [
                pg_dump,
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                "--file",
                str(target),
                *arguments,
            ],
            environment,
        )
        return POSTGRES_FILE
    raise Refused(f"No backup for a {connection.vendor} database.")


def _data_files() -> list[tuple[Path, str]]:
    """The reference data the site loads from its own files (`<app>/data/**/*.json`)."""
    root = Path(settings.BASE_DIR) / "solidarity"
    return [(path, f"data/{path.relative_to(root)}") for path in sorted(root.glob("*/data/**/*.json"))]


def backup(folder: Path, *, keep_days: int | None = None) -> Path:
    """Writes the archive into `folder` and returns its path. With `keep_days`, archives older
    than that go: what the site purged (sealed testimonies, letters, references) must not live on
    for ever in its backups."""
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    if keep_days is not None:
        cutoff = timezone.now().timestamp() - keep_days * 86400
        for old in folder.glob("solidarity-backup-*.tar"):
            if old.stat().st_mtime < cutoff:
                old.unlink(missing_ok=True)
    day = timezone.localdate().isoformat()
    with tempfile.TemporaryDirectory(dir=folder) as work:
        work = Path(work)
        members: list[tuple[Path, str]] = [(work / (database := _dump_database(work)), database)]
        for root, prefix in ((Path(settings.MEDIA_ROOT), "media"), (Path(settings.PRIVATE_ROOT), "private")):
            if root.exists():
                members += [
                    (path, f"{prefix}/{path.relative_to(root)}")
                    for path in sorted(root.rglob("*"))
                    if path.is_file()
                ]
        members += _data_files()
        manifest = {
            "format": FORMAT,
            "day": day,
            "database": {"vendor": connection.vendor, "file": database},
            "migrations": sorted(
                f"{app}.{name}" for app, name in MigrationRecorder(connection).applied_migrations()
            ),
            "rows": row_counts(),
            "keys": keys_check(),
            "files": {name: _sha256(path) for path, name in members},
        }
        handle, name = tempfile.mkstemp(dir=folder, suffix=".tar")  # readable by its owner only
        os.close(handle)
        with tarfile.open(name, "w") as archive:
            for path, member in members:
                archive.add(path, arcname=member, recursive=False)
            encoded = json.dumps(manifest, indent=1, sort_keys=True).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size, info.mtime = len(encoded), 0
            archive.addfile(info, io.BytesIO(encoded))
        final = folder / f"solidarity-backup-{day}-{os.path.basename(name)[3:9]}.tar"
        os.replace(name, final)
    return final


def read_manifest(archive_path: Path) -> dict:
    try:
        with tarfile.open(archive_path) as archive:
            manifest = json.load(archive.extractfile("manifest.json"))
    except (tarfile.TarError, KeyError, ValueError, AttributeError, OSError) as broken:
        raise Refused(f"Not one of our backups, or damaged: {broken}") from broken
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise Refused(f"Not one of our backups (expected {FORMAT}).")
    database = manifest.get("database")
    if not isinstance(database, dict) or database.get("file") not in (SQLITE_FILE, POSTGRES_FILE):
        raise Refused("The backup's manifest names no database of ours.")
    if not isinstance(manifest.get("files"), dict) or database["file"] not in manifest["files"]:
        raise Refused("The backup's manifest does not list its database.")
    return manifest


def _check_members(archive_path: Path, manifest: dict) -> None:
    """The archive holds exactly what the manifest lists, regular files only."""
    with tarfile.open(archive_path) as archive:
        members = archive.getmembers()
    names = {member.name for member in members}
    if names != set(manifest["files"]) | {"manifest.json"}:
        extra = sorted(names - set(manifest["files"]) - {"manifest.json"})[:3]
        raise Refused(
            f"The archive holds files its manifest does not list ({', '.join(extra) or 'or lacks some'})."
        )
    if any(not member.isfile() for member in members):
        raise Refused("The archive holds links or devices: not one of ours.")


def _has_data() -> bool:
    try:
        return any(count for count in row_counts().values())
    except Exception:  # noqa: BLE001 (no tables yet: an empty system)
        return False


def restore(archive_path: Path, *, force: bool = False) -> dict:
    """Brings the archive back: checks every member against the manifest first, then replaces
    the database, media and private files. Refuses a system that holds data, or whose keys differ
    from the backup's, unless `force`; refuses a backup newer than this code's migrations."""
    manifest = read_manifest(archive_path)
    _check_members(archive_path, manifest)
    if manifest["database"].get("vendor") != connection.vendor:
        raise Refused(
            f"The backup holds a {manifest['database'].get('vendor')} database; "
            f"this site uses {connection.vendor}."
        )
    known = {
        f"{app}.{name}" for app, name in MigrationLoader(None, ignore_no_migrations=True).disk_migrations
    }
    unknown = sorted(set(manifest.get("migrations", [])) - known)
    if unknown:
        raise Refused(f"The backup was made by a newer version ({unknown[0]}…): update the code first.")
    if not force and manifest.get("keys") != keys_check():
        raise Refused(
            "The backup was made with other keys (SECRET_KEY or a pepper): its codenames, addresses and "
            "tokens would not match. Set the same keys, or say --force."
        )
    if not force and _has_data():
        raise Refused("This system holds data: restore into an empty one, or say --force to replace it.")
    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        try:
            with tarfile.open(archive_path) as archive:
                archive.extractall(work, filter="data")
        except (tarfile.TarError, OSError) as broken:
            raise Refused(f"The archive could not be read: {broken}. Nothing was changed.") from broken
        for name, digest in manifest["files"].items():
            if not (work / name).is_file() or _sha256(work / name) != digest:
                raise Refused(
                    f"{name} does not match the manifest: the archive is damaged. Nothing was changed."
                )
        # The files are put beside their folders first, then swapped in: a failure leaves the old ones.
        staged = []
        for prefix, root in (("media", Path(settings.MEDIA_ROOT)), ("private", Path(settings.PRIVATE_ROOT))):
            beside = root.with_name(f".{root.name}-restoring")
            shutil.rmtree(beside, ignore_errors=True)
            if (work / prefix).exists():
                shutil.copytree(work / prefix, beside)
            else:
                beside.mkdir(parents=True)
            if prefix == "private":
                for path in [beside, *beside.rglob("*")]:
                    path.chmod(0o700 if path.is_dir() else 0o600)
            staged.append((beside, root))
        _restore_database(work / manifest["database"]["file"])
        for beside, root in staged:
            if root.exists():
                shutil.rmtree(root)
            beside.rename(root)
    versions.bump_every()
    return manifest


def _restore_database(dump: Path) -> None:
    for other in connections.all():
        other.close()
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        with sqlite3.connect(dump) as source:
            source.backup(connection.connection)  # page by page into the open database
        return
    pg_restore = shutil.which("pg_restore")
    if not pg_restore:
        raise Refused("pg_restore is not installed (Debian: postgresql-client).")
    arguments, environment = _postgres_environment()
    _run(
        [
            pg_restore,
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            *arguments,
            str(dump),
        ],  # fmt: skip
        environment,
    )
