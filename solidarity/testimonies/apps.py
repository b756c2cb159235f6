from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


class TestimoniesConfig(AppConfig):
    name = "solidarity.testimonies"
    label = "testimonies"
    verbose_name = _("Testimonies")

    def ready(self) -> None:
        from . import plugins

        plugins.register()
        checks.register(only_a_public_key, checks.Tags.security)


def only_a_public_key(app_configs=None, **kwargs) -> list:
    """The server may hold the legal team's public key only: a private key configured anywhere it
    reads settings from would let whoever seizes it open every testimony."""
    import os
    from pathlib import Path

    from django.conf import settings

    from . import sealing

    errors = []
    for name in ("TESTIMONY_PRIVATE_KEY", "TESTIMONY_PRIVATE_KEY_FILE", "TESTIMONY_SECRET_KEY"):
        if os.environ.get(name) or getattr(settings, name, None):
            errors.append(
                checks.Error(
                    f"{name} is set: the server must never hold the legal team's private key.",
                    hint="Remove it; keep the private key on the legal team's offline machine.",
                    id="testimonies.E001",
                )
            )
    key = settings.TESTIMONY_PUBLIC_KEY
    if key and sealing.PRIVATE_MARK in key:
        errors.append(
            checks.Error(
                "TESTIMONY_PUBLIC_KEY holds a private key.",
                hint="Give the contents of public.key, never private.key.",
                id="testimonies.E002",
            )
        )
    elif key:
        try:
            sealing.public_key(key)
        except ValueError:
            errors.append(
                checks.Error("TESTIMONY_PUBLIC_KEY is not an X25519 public key.", id="testimonies.E003")
            )
    key_file = os.environ.get("TESTIMONY_PUBLIC_KEY_FILE")
    if key_file and Path(key_file).parent.is_dir():
        beside = [p for p in Path(key_file).parent.iterdir() if p.is_file() and _holds_a_private_key(p)]
        if beside:
            errors.append(
                checks.Warning(
                    f"A private key sits beside the public one ({beside[0]}): a demo only.",
                    hint="In production the private key never reaches the server.",
                    id="testimonies.W001",
                )
            )
    return errors


def _holds_a_private_key(path) -> bool:
    from . import sealing

    try:
        with open(path, "rb") as handle:
            return sealing.PRIVATE_MARK.encode() in handle.read(4096)
    except OSError:
        return False
