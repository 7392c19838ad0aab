-- Synonym groups staff add when residents' words miss (seen on the page of searches that found nothing).
CREATE TABLE search_synonyms (
    id                TEXT PRIMARY KEY,
    municipality_code TEXT NOT NULL,
    terms             TEXT NOT NULL,        -- normalised terms separated by commas
    created_at        INTEGER NOT NULL,
    UNIQUE (municipality_code, terms)
);
