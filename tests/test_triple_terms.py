"""RDF 1.2 triple terms in the data: one problem in the data, never an unexpected failure.

pyoxigraph parses `<< s p o >>` (a reification whose object is a triple term)
and `<<( s p o )>>`; the SHACL engines and every reader take an object to be
an IRI, a blank node or a literal, so such a file is refused where it is read.
"""

import pytest

_REIFIED = (
    "@prefix id: <https://w3id.org/bilateral/id/> .\n"
    "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
    'id:a-note rdfs:comment << id:japan rdfs:label "Japan"@en >> .\n'
)
_TRIPLE_TERM = (
    "@prefix id: <https://w3id.org/bilateral/id/> .\n"
    "@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .\n"
    "id:a-note rdf:reifies <<( id:japan id:b id:korea )>> .\n"
)


@pytest.mark.parametrize("text", [_REIFIED, _TRIPLE_TERM], ids=["reification", "triple-term"])
@pytest.mark.parametrize("command", ["validate", "build", "lint"])
def test_a_triple_term_is_a_problem_in_the_data(run, mini_dir, command, text):
    bad = mini_dir / "entities" / "zz-star.ttl"
    bad.write_text(text, encoding="utf-8")
    result = run("--data", mini_dir, command)
    assert result.exit_code == 1, result.output + result.stderr
    assert f"{bad}: triple terms (RDF 1.2 <<( )>> and << >>) are not supported: 1 found" in result.output
    assert "<https://w3id.org/bilateral/id/japan>" in result.output
    assert "unexpected failure" not in result.stderr
    assert result.stderr.endswith("error: 1 problem(s) in the data\n")


def test_the_mini_data_without_triple_terms_validates(run, mini_dir):
    result = run("--data", mini_dir, "validate")
    assert result.exit_code == 0, result.output + result.stderr
