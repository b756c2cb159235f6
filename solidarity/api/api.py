"""The open-data API under /api/v1/: read-only JSON about the public record, described by OpenAPI 3,
and the letter checker. Each app owns its endpoints as one ninja router (`catalogue/api.py`,
`stats/api.py`, `letters/api.py`, ...), registered in `core.plugins.api_routers`; this module only
mounts them.

Only what the public pages show: the prisoners' public record, never anything about visitors
or staff. Read-only responses are cacheable by any proxy for five minutes. The interactive docs
page is off, because it would load scripts from a CDN.
"""

from ninja import NinjaAPI

from solidarity.core import plugins


class OpenDataAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation) -> str:
        # The view's own name ("people", "stats_daily"), not its module path.
        return operation.view_func.__name__


def build_api(*, urls_namespace: str = "api") -> NinjaAPI:
    """An API with every router registered so far (apps register from their `ready()`)."""
    api = OpenDataAPI(
        title="Political prisoners: open data",
        version="1",
        description="The registry's public record: people, their timelines and sentences, facilities, "
        "articles, statistics; and the letter checker.",
        urls_namespace=urls_namespace,
        openapi_url="/openapi.json",
        docs_url=None,
    )
    for entry in plugins.api_routers:
        api.add_router(entry.prefix, entry.router)
    return api
