"""One module per document kind's fact models, imported by ``briefs.facts`` when that kind is first used."""
