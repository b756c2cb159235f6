"""The term syntax stands below the models: the models validate terms with it, and it reads no
model (the checker compiles a country's rules from the database)."""

import grimp


def test_the_rules_module_reads_no_model_and_the_models_import_it_at_the_top():
    graph = grimp.build_graph("solidarity")
    assert (
        graph.find_shortest_chain(importer="solidarity.letters.rules", imported="solidarity.letters.models")
        is None
    )
    assert graph.direct_import_exists(
        importer="solidarity.letters.models", imported="solidarity.letters.rules"
    )
