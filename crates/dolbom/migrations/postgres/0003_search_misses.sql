-- Searches that found nothing, counted per normalised query: what residents call things that the directory does not
-- (yet) — so staff can add synonyms. Who asked is never recorded.
CREATE TABLE search_misses (
    municipality_code TEXT NOT NULL,
    query             TEXT NOT NULL,
    count             BIGINT NOT NULL,
    last_at           BIGINT NOT NULL,
    PRIMARY KEY (municipality_code, query)
);
