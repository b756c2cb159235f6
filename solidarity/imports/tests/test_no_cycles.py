"""The background task calls the services, never the other way round: the upload is given the
task's `enqueue` by its caller."""

import grimp


def test_the_services_do_not_import_the_task_that_imports_them():
    graph = grimp.build_graph("solidarity")
    assert (
        graph.find_shortest_chain(importer="solidarity.imports.services", imported="solidarity.imports.tasks")
        is None
    )
    assert graph.direct_import_exists(
        importer="solidarity.imports.tasks", imported="solidarity.imports.services"
    )
