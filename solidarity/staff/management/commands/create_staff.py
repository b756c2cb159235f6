import io

import qrcode
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from ...roles import ROLES
from ...services import create_staff_member


class Command(BaseCommand):
    help = "Creates a staff account with roles, a two-factor authenticator and recovery codes."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", action="append", default=[], choices=sorted(ROLES), dest="roles")
        parser.add_argument("--superuser", action="store_true")
        parser.add_argument(
            "--password", help="The password; without it a strong random one is generated and printed."
        )

    def handle(self, *args, username, roles, superuser, password, **options):
        try:
            enrolment = create_staff_member(
                username=username, roles=roles, superuser=superuser, password=password
            )
        except (ValidationError, ValueError) as error:
            raise CommandError("; ".join(getattr(error, "messages", [str(error)]))) from error
        qr = qrcode.QRCode(border=1)
        qr.add_data(enrolment.otpauth_url)
        picture = io.StringIO()
        qr.print_ascii(out=picture, invert=True)
        self.stdout.write(
            f"Staff account {username!r} created.\n"
            f"Password: {enrolment.password}\n"
            "Scan this with an authenticator app (or enter the address below by hand):\n"
            f"{picture.getvalue()}\n{enrolment.otpauth_url}\n"
            "One-time recovery codes (keep them offline):\n  " + "\n  ".join(enrolment.recovery_codes) + "\n"
        )
