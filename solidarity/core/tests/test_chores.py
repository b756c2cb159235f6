"""The scheduled work as periodic tasks: the apps' chores run once a day at CHORES_AT in the
country's time zone and as the worker starts; each day's run queues the next one's; however many
runs of a day are queued, one does the chores; a failing chore stops none of the others. The same
on the database's queue (the embedded default) and on RQ (at scale, in the pass with Redis)."""

import datetime
import os
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.test import override_settings

from solidarity.catalogue.tests.helpers import prisoner
from solidarity.core import chores, plugins, tasks
from solidarity.core.models import ChoreDay
from solidarity.registry.country import load_country

pytestmark = pytest.mark.django_db(transaction=True)

MINSK = ZoneInfo("Europe/Minsk")
DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def at(day: int, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(2026, 3, day, hour, minute, tzinfo=MINSK)


def test_the_apps_register_the_daily_chores_in_order_and_those_of_a_start():
    assert [chore.command for chore in plugins.chores if chore.daily] == [
        "refresh_registry",  # first: today's statuses before anything reads them
        "purge_donations",
        "purge_letters",
        "petitions_daily",
        "purge_testimonies",
        "backup",  # last: an archive of what the others left
    ]
    assert [chore.command for chore in plugins.chores if chore.at_start] == [
        "resume_imports",
        "publish_scheduled",
        "petitions_daily",
    ]


def test_the_days_chores_all_run_for_real_and_a_second_run_of_the_day_does_nothing(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    settings.MEDIA_ROOT, settings.PRIVATE_ROOT = tmp_path / "media", tmp_path / "private"
    load_country()
    prisoner(detained=datetime.date(2021, 1, 1))
    day = datetime.date(2026, 3, 2)
    assert chores.run_day(day) == {
        "refresh_registry": True,
        "purge_donations": True,
        "purge_letters": True,
        "petitions_daily": True,
        "purge_testimonies": True,
        "backup": True,
    }
    assert len(list((tmp_path / "backups").iterdir())) == 1
    assert chores.run_day(day) is None  # claimed: a duplicate run of the day
    assert len(list((tmp_path / "backups").iterdir())) == 1
    assert ChoreDay.objects.get().day == day


def test_a_failing_chore_is_logged_and_stops_none_of_the_others(caplog):
    ran = []

    def command(name, *args, **kwargs):
        ran.append(name)
        if name == "purge_letters":
            raise RuntimeError("disk full")

    with mock.patch.object(chores, "call_command", side_effect=command):
        done = chores.run_day(datetime.date(2026, 3, 2))
    assert ran == [chore.command for chore in plugins.chores if chore.daily]
    assert done["purge_letters"] is False and done["backup"] is True
    assert "chore purge_letters failed" in caplog.text


@override_settings(TIME_ZONE="Europe/Minsk", CHORES_AT="00:20")
def test_the_next_run_is_at_the_hour_or_at_once_when_the_hour_passed_and_the_day_was_not_done():
    assert chores.next_run(at(2, 0, 5)) == (datetime.date(2026, 3, 2), at(2, 0, 20))
    late = at(2, 9, 30)  # the worker was down at 00:20
    assert chores.next_run(late) == (datetime.date(2026, 3, 2), late)
    ChoreDay.objects.create(day=datetime.date(2026, 3, 2))
    assert chores.next_run(late) == (datetime.date(2026, 3, 3), at(3, 0, 20))
    # The day is the country's: 23:30 UTC on the 2nd is already the 3rd in Minsk.
    assert chores.next_run(datetime.datetime(2026, 3, 2, 23, 30, tzinfo=datetime.UTC))[0] == datetime.date(
        2026, 3, 3
    )


def _queued() -> list[tuple[str, datetime.datetime | None]]:
    from django_tasks_db.models import DBTaskResult

    return [
        (row.args_kwargs["args"][0], None if row.run_after.year == 9999 else row.run_after)  # 9999: none
        for row in DBTaskResult.objects.filter(
            status="READY", task_path="solidarity.core.tasks.daily_chores_task"
        )
    ]


@override_settings(TASKS=DATABASE_QUEUE, TIME_ZONE="Europe/Minsk", CHORES_AT="00:20")
def test_on_the_database_queue_each_day_queues_the_next_and_a_duplicate_run_queues_nothing():
    with mock.patch.object(chores, "call_command"), time_machine.travel(at(2, 0, 20), tick=False):
        ChoreDay.objects.create(day=datetime.date(2026, 3, 1))
        assert tasks.queue_next_day() == at(2, 0, 20)
        assert _queued() == [("2026-03-02", None)]  # due now: no wait
        call_command("db_worker", batch=True, reload=False, startup_delay=False)
        assert ChoreDay.objects.filter(day=datetime.date(2026, 3, 2)).exists()
        assert _queued() == [("2026-03-03", at(3, 0, 20))]  # the day's run queued the next day's
        assert tasks.daily_chores_task.call("2026-03-02") is None  # a second run of the day
        assert _queued() == [("2026-03-03", at(3, 0, 20))]


@override_settings(TASKS=DATABASE_QUEUE, TIME_ZONE="Europe/Minsk", CHORES_AT="00:20")
def test_the_worker_runs_the_chores_of_a_start_and_catches_up_on_a_day_it_missed():
    ran = []
    with (
        mock.patch.object(chores, "call_command", side_effect=lambda name, *a, **k: ran.append(name)),
        time_machine.travel(at(2, 9, 30), tick=False),
    ):
        call_command("worker", burst=True, stdout=open(os.devnull, "w"))  # noqa: SIM115
    starts = [chore.command for chore in plugins.chores if chore.at_start]
    daily = [chore.command for chore in plugins.chores if chore.daily]
    assert ran == starts + daily
    assert _queued() == [("2026-03-03", at(3, 0, 20))]


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="RQ runs in the pass with Redis (REDIS_URL).")
@override_settings(TIME_ZONE="Europe/Minsk", CHORES_AT="00:20")
def test_on_rq_a_worker_runs_the_days_chores_and_the_next_day_waits_in_rqs_schedule(settings):
    import django_rq
    from rq.registry import ScheduledJobRegistry

    settings.RQ_QUEUES = {"default": {"URL": os.environ["REDIS_URL"].rsplit("/", 1)[0] + "/9"}}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    queue = django_rq.get_queue("default")
    queue.connection.flushdb()
    ran = []
    try:
        with (
            mock.patch.object(chores, "call_command", side_effect=lambda name, *a, **k: ran.append(name)),
            time_machine.travel(at(2, 9, 30), tick=False),
        ):
            assert tasks.queue_next_day() == at(2, 9, 30)
            assert queue.count == 1
            call_command(
                "rqworker",
                "default",
                job_class="django_tasks_rq.Job",
                worker_class="rq.SimpleWorker",
                burst=True,
            )
        assert ChoreDay.objects.filter(day=datetime.date(2026, 3, 2)).exists()
        assert ran == [chore.command for chore in plugins.chores if chore.daily]
        scheduled = ScheduledJobRegistry(queue=queue)
        [job_id] = scheduled.get_job_ids()
        assert scheduled.get_scheduled_time(job_id) == at(3, 0, 20)
        assert list(queue.fetch_job(job_id).args) == ["2026-03-03"]
    finally:
        queue.connection.flushdb()
