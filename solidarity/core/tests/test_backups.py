"""Backups that restore: a drill from a running system with people, friends, letters' rules,
petitions, media and private files, to an empty one and back, on SQLite and on PostgreSQL; the
registry's export and every table's row count come back the same. A damaged archive, or a system
that holds data, is refused before anything is touched."""

import datetime
import io
import shutil
import tarfile

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError

from solidarity.catalogue.tests.helpers import prisoner
from solidarity.core import backups
from solidarity.friends import services as friends
from solidarity.letters.services import load_rules
from solidarity.petitions import services as petitions
from solidarity.petitions.tests.helpers import open_petition, pending
from solidarity.registry.country import load_country
from solidarity.registry.snapshot import build_snapshot
from solidarity.registry.versioning import VERSION as registry_version

pytestmark = pytest.mark.django_db(transaction=True)


def dumped() -> str:
    """Every row of the project's own apps, as `dumpdata` writes them."""
    out = io.StringIO()
    labels = sorted(
        {model._meta.app_label for model in apps.get_models() if model.__module__.startswith("solidarity.")}
    )
    call_command("dumpdata", *labels, stdout=out)
    return out.getvalue()


def export() -> dict:
    snapshot = build_snapshot()
    snapshot.pop("generated_at")
    return snapshot


@pytest.fixture
def running_system(tmp_path, settings):
    settings.MEDIA_ROOT, settings.PRIVATE_ROOT = tmp_path / "media", tmp_path / "private"
    (settings.MEDIA_ROOT / "photos").mkdir(parents=True)
    (settings.MEDIA_ROOT / "photos" / "a.jpg").write_bytes(b"\xff\xd8 a photo")
    (settings.PRIVATE_ROOT / "replies").mkdir(parents=True)
    (settings.PRIVATE_ROOT / "replies" / "scan.pdf").write_bytes(b"%PDF a scan")
    load_country()
    load_rules(country="BY", actor_label="tests")
    person = prisoner(detained=datetime.date(2021, 1, 1), birth_date=datetime.date(1980, 5, 4))
    prisoner(detained=datetime.date(2022, 5, 1), released=datetime.date(2024, 2, 1))
    friends.befriend_with_new_codename(person=person)
    petition = open_petition()
    for token in pending(petition, 7, country="DE"):
        petitions.confirm(petition, token)
    return settings


def test_a_backup_brings_an_empty_system_back_to_the_same_export_and_counts(running_system, tmp_path):
    before, counts, everything = export(), backups.row_counts(), dumped()
    version = registry_version.current()
    assert counts["registry.Person"] == 2 and counts["petitions.Signature"] == 7
    archive = backups.backup(tmp_path / "backups")
    assert oct(archive.stat().st_mode & 0o777) == "0o600"

    call_command("flush", interactive=False, verbosity=0)  # an empty system
    shutil.rmtree(running_system.MEDIA_ROOT)
    shutil.rmtree(running_system.PRIVATE_ROOT)
    assert not any(backups.row_counts().values())

    call_command("restore", str(archive))
    assert export() == before and backups.row_counts() == counts and dumped() == everything
    assert registry_version.current() != version  # nothing derived from the old data is believed
    assert (running_system.MEDIA_ROOT / "photos" / "a.jpg").read_bytes() == b"\xff\xd8 a photo"
    assert (running_system.PRIVATE_ROOT / "replies" / "scan.pdf").read_bytes() == b"%PDF a scan"
    assert oct(running_system.PRIVATE_ROOT.stat().st_mode & 0o777) == "0o700"
    assert petitions.recount(petitions.Petition.objects.get()).agrees


def test_the_manifest_lists_what_the_archive_holds(running_system, tmp_path):
    archive = backups.backup(tmp_path / "backups")
    manifest = backups.read_manifest(archive)
    with tarfile.open(archive) as opened:
        names = set(opened.getnames())
    assert set(manifest["files"]) | {"manifest.json"} == names
    assert {"media/photos/a.jpg", "private/replies/scan.pdf"} <= names
    assert any(name.startswith("data/registry/data/countries/") for name in names)
    assert any(name.startswith("data/letters/data/rules/") for name in names)
    assert "petitions.0001_initial" in manifest["migrations"]


def test_a_damaged_archive_or_a_system_with_data_is_refused_before_anything_changes(running_system, tmp_path):
    archive = backups.backup(tmp_path / "backups")
    with pytest.raises(CommandError, match="holds data"):
        call_command("restore", str(archive))
    damaged = tmp_path / "damaged.tar"
    with tarfile.open(archive) as source, tarfile.open(damaged, "w") as target:
        for member in source.getmembers():
            content = source.extractfile(member).read()
            if member.name == "media/photos/a.jpg":
                content = b"changed"
                member.size = len(content)
            target.addfile(member, io.BytesIO(content))
    call_command("flush", interactive=False, verbosity=0)
    with pytest.raises(CommandError, match="does not match the manifest"):
        call_command("restore", str(damaged))
    assert not any(backups.row_counts().values())
    assert (running_system.MEDIA_ROOT / "photos" / "a.jpg").read_bytes() == b"\xff\xd8 a photo"


def _rewritten(archive, target, change):
    """A copy of the archive with `change(members)` applied to its (name, bytes, TarInfo) list."""
    with tarfile.open(archive) as source:
        members = [(m.name, source.extractfile(m).read(), m) for m in source.getmembers()]
    with tarfile.open(target, "w") as out:
        for name, content, info in change(members):
            info.name, info.size = name, len(content)
            out.addfile(info, io.BytesIO(content))
    return target


def test_an_archive_not_exactly_ours_is_refused(running_system, tmp_path):
    import json

    archive = backups.backup(tmp_path / "backups")
    call_command("flush", interactive=False, verbosity=0)
    extra = _rewritten(
        archive,
        tmp_path / "extra.tar",
        lambda members: [*members, ("media/evil.html", b"<script>", members[0][2])],
    )
    with pytest.raises(CommandError, match="does not list"):
        call_command("restore", str(extra))

    def elsewhere(members):
        for name, content, info in members:
            if name == "manifest.json":
                manifest = json.loads(content)
                manifest["database"]["file"] = "/etc/passwd"
                content = json.dumps(manifest).encode()
            yield name, content, info

    with pytest.raises(CommandError, match="names no database of ours"):
        call_command("restore", str(_rewritten(archive, tmp_path / "elsewhere.tar", elsewhere)))
    not_a_tar = tmp_path / "x.tar"
    not_a_tar.write_bytes(b"not an archive")
    with pytest.raises(CommandError, match="Not one of our backups"):
        call_command("restore", str(not_a_tar))
    assert not any(backups.row_counts().values())


def test_a_backup_made_with_other_keys_is_refused_unless_forced(running_system, tmp_path, settings):
    archive = backups.backup(tmp_path / "backups")
    call_command("flush", interactive=False, verbosity=0)
    settings.PETITIONS_PEPPER = "another pepper"
    with pytest.raises(CommandError, match="made with other keys"):
        call_command("restore", str(archive))
    call_command("restore", str(archive), "--force")
    assert backups.row_counts()["petitions.Signature"] == 7


def test_old_archives_go_after_their_days(running_system, tmp_path):
    import os

    old = tmp_path / "backups" / "solidarity-backup-2020-01-01-abcdef.tar"
    old.parent.mkdir()
    old.write_bytes(b"old")
    os.utime(old, (0, 0))
    call_command("backup", "--to", str(tmp_path / "backups"), "--keep-days", "7")
    assert not old.exists() and len(list((tmp_path / "backups").glob("*.tar"))) == 1
