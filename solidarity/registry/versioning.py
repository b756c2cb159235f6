"""The registry's version: it changes whenever the registry does (saves of people, events,
sentences, facilities and articles send signals; bulk operations bump it themselves)."""

from solidarity.core.versions import CacheVersion

VERSION = CacheVersion("registry:version")
current_version = VERSION.current
bump = VERSION.bump
