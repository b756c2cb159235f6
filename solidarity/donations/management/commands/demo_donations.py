import datetime
import random

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from solidarity.registry.models import IN_CUSTODY, Person

from ...models import Campaign, Gift, Payout, Provider


class Command(BaseCommand):
    help = "Demo campaigns with offline gifts and payouts (no payment provider is needed)."

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help="Do nothing if there are campaigns.")
        parser.add_argument("--seed", type=int, default=2020)

    @transaction.atomic
    def handle(self, *args, if_empty, seed, **options):
        if if_empty and Campaign.objects.exists():
            self.stdout.write("Campaigns exist; demo donations not loaded.")
            return
        chance = random.Random(seed)
        today = timezone.localdate()
        people = list(Person.objects.published().filter(status__in=IN_CUSTODY).order_by("pk")[:200])
        chosen = chance.sample(people, min(4, len(people)))
        campaigns = [
            Campaign.objects.create(
                title_en="The fund for every family",
                title_ru="Фонд для всех семей",
                title_be="Фонд для ўсіх сем'яў",
                description_en="Lawyers, parcels and travel for families who have nobody else.",
                description_ru="Адвокаты, передачи и поездки для семей, которым больше не к кому обратиться.",
                description_be="Адвакаты, перадачы і паездкі для сем'яў, якім больш няма да каго звярнуцца.",
                goal=2_000_000,
                currency="EUR",
                created_on=today - datetime.timedelta(days=700),
            )
        ]
        for person in chosen:
            campaigns.append(
                Campaign.objects.create(
                    person=person,
                    title_en=f"A lawyer for {person.full_name}",
                    title_ru=f"Адвокат для: {person.full_name}",
                    title_be=f"Адвакат для: {person.full_name}",
                    goal=chance.choice((300_000, 500_000, 800_000)),
                    currency="EUR",
                    deadline=today + datetime.timedelta(days=chance.randint(20, 120)),
                    created_on=today - datetime.timedelta(days=chance.randint(30, 400)),
                )
            )
        gifts = payouts = 0
        for campaign in campaigns:
            days = (today - campaign.created_on).days
            for _ in range(chance.randint(10, 40)):
                Gift.objects.create(
                    campaign=campaign,
                    provider=chance.choice((Provider.BANK, Provider.CASH)),
                    amount=chance.choice((1000, 2500, 5000, 10000, 20000)),
                    received_on=campaign.created_on + datetime.timedelta(days=chance.randint(0, days)),
                )
                gifts += 1
            for _ in range(chance.randint(1, 3)):
                Payout.objects.create(
                    campaign=campaign,
                    amount=chance.choice((20000, 50000)),
                    paid_on=campaign.created_on + datetime.timedelta(days=chance.randint(0, days)),
                )
                payouts += 1
        self.stdout.write(
            f"Demo donations: {len(campaigns)} campaigns, {gifts} offline gifts, {payouts} payouts."
        )
