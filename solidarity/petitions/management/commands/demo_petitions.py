import datetime
import random
import secrets

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from solidarity.registry.models import IN_CUSTODY, Person

from ... import services
from ...models import Milestone, Petition, Signature

APPEAL = {
    "en": (
        "Free all political prisoners, or stop the rail trade",
        "To the governments of Europe: demand the release of every political prisoner in Belarus, "
        "and until they are free, stop the rail transit and trade that fund their jailers.\n\n"
        "More than a thousand people are in prison for their views. Each signature here is "
        "confirmed and counted once.",
        "The governments of the EU member states and the United Kingdom",
    ),
    "ru": (
        "Освободите всех политзаключённых — или остановите железнодорожную торговлю",
        "Правительствам Европы: потребуйте освобождения всех политических заключённых в Беларуси, "
        "а пока они не свободны — остановите железнодорожный транзит и торговлю, которые "
        "оплачивают их тюремщиков.\n\nБолее тысячи человек в заключении за свои взгляды. Каждая "
        "подпись здесь подтверждена и посчитана один раз.",
        "Правительствам стран ЕС и Великобритании",
    ),
    "be": (
        "Вызваліце ўсіх палітвязняў — або спыніце чыгуначны гандаль",
        "Урадам Еўропы: патрабуйце вызвалення ўсіх палітычных вязняў у Беларусі, а пакуль яны не "
        "на волі — спыніце чыгуначны транзіт і гандаль, якія аплачваюць іх турэмшчыкаў.\n\nБольш "
        "за тысячу чалавек за кратамі за свае погляды. Кожны подпіс тут пацверджаны і палічаны "
        "адзін раз.",
        "Урадам краін ЕС і Вялікабрытаніі",
    ),
}
COUNTRIES = ["DE", "PL", "LT", "FR", "NL", "SE", "GB", "CZ", "UA", "US", "IE", "IS"]
NAMES = ["Anna Schmidt", "Jan Kowalski", "Ieva Kazlauskienė", "Marie Dubois", "Lars Berg", "Emma de Vries"]


class Command(BaseCommand):
    help = "An invented open petition with confirmed signatures over three weeks, and its ledger."

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help="Do nothing if there are petitions.")
        parser.add_argument("--signatures", type=int, default=1200)

    @transaction.atomic
    def handle(self, *args, if_empty=False, signatures=1200, **options):
        if if_empty and Petition.objects.exists():
            self.stdout.write("Petitions exist already: nothing added.")
            return
        today = timezone.localdate()
        opened = today - datetime.timedelta(days=21)
        fields = {}
        for language, (title, text, addressees) in APPEAL.items():
            fields.update(
                {f"title_{language}": title, f"text_{language}": text, f"addressees_{language}": addressees}
            )
        petition = Petition.objects.create(
            slug="free-them-all",
            goal=5000,
            deadline=today + datetime.timedelta(days=60),
            status=Petition.Status.OPEN,
            opened_on=opened,
            **fields,
        )
        petition.people.set(Person.objects.filter(status__in=IN_CUSTODY).order_by("pk")[:3])
        for count, words in (
            (1000, "The appeal goes to the foreign ministers"),
            (5000, "Delivered to every government"),
        ):
            Milestone.objects.create(
                petition=petition, count=count, label_en=words, label_ru=words, label_be=words
            )
        chance = random.Random(7)  # noqa: S311 (invented data)
        rows = []
        for _ in range(signatures):
            day = opened + datetime.timedelta(days=min(20, int(chance.expovariate(1 / 6))))
            hour = timezone.make_aware(datetime.datetime.combine(day, datetime.time(chance.randrange(7, 23))))
            shown = chance.random() < 0.2
            rows.append(
                Signature(
                    petition=petition,
                    status=Signature.Status.CONFIRMED,
                    name=chance.choice(NAMES) if shown else "",
                    show_name=shown,
                    country=chance.choice(COUNTRIES),
                    language=chance.choice(["be", "ru", "en"]),
                    address_hash=secrets.token_hex(32),
                    email_domain=chance.choice(["gmail.com", "proton.me", "web.de", "wp.pl", "example.org"]),
                    signed_hour=hour,
                    confirmed_on=day,
                    receipt_digest=secrets.token_hex(32),
                )
            )
        Signature.objects.bulk_create(rows, batch_size=500)
        services.count_from_rows(petition)
        Milestone.objects.filter(petition=petition, count__lte=signatures).update(reached_on=today)
        services.seal_ledger(today)
        self.stdout.write(
            f"1 petition, {signatures} confirmed signatures, {petition.ledger.count()} ledger days."
        )
