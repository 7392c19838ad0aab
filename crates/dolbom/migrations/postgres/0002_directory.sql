-- The welfare directory on Open Referral HSDS 3.0: organizations, services, locations and their details, and the
-- Korean facts (제공주체, 생애주기, 가구상황, 관심주제, 지원형태 …) as taxonomy terms linked through attributes.

CREATE TABLE directory_organizations (
    id                     TEXT PRIMARY KEY,
    municipality_code      TEXT NOT NULL,
    name                   TEXT NOT NULL,
    alternate_name         TEXT,
    description            TEXT NOT NULL DEFAULT '',
    email                  TEXT,
    website                TEXT,
    tax_status             TEXT,
    tax_id                 TEXT,
    legal_status           TEXT,
    uri                    TEXT,
    parent_organization_id TEXT REFERENCES directory_organizations(id),
    updated_at             BIGINT NOT NULL,
    UNIQUE (municipality_code, name)
);

CREATE TABLE services (
    id                      TEXT PRIMARY KEY,
    municipality_code       TEXT NOT NULL,
    organization_id         TEXT REFERENCES directory_organizations(id),
    source_id               TEXT,               -- the id at the source: 복지로 WLF…, 정부24 …, or none for our own
    name                    TEXT NOT NULL,
    alternate_name          TEXT,
    description             TEXT NOT NULL DEFAULT '',
    url                     TEXT,
    email                   TEXT,
    status                  TEXT NOT NULL CHECK (status IN ('active','inactive','defunct','temporarily closed')),
    interpretation_services TEXT,
    application_process     TEXT,
    fees_description        TEXT,
    eligibility_description TEXT,
    minimum_age             INTEGER,
    maximum_age             INTEGER,
    alert                   TEXT,
    rules                   TEXT,               -- eligibility::Rules as JSON; NULL when no rule could be written
    last_modified           BIGINT NOT NULL,
    UNIQUE (municipality_code, source_id)
);
CREATE INDEX services_org ON services(organization_id);

CREATE TABLE locations (
    id                TEXT PRIMARY KEY,
    municipality_code TEXT NOT NULL,
    organization_id   TEXT REFERENCES directory_organizations(id),
    location_type     TEXT NOT NULL CHECK (location_type IN ('physical','postal','virtual')),
    name              TEXT,
    description       TEXT,
    url               TEXT,
    latitude          DOUBLE PRECISION,
    longitude         DOUBLE PRECISION,
    adm_cd2           TEXT
);

CREATE TABLE addresses (
    id             TEXT PRIMARY KEY,
    location_id    TEXT NOT NULL REFERENCES locations(id) ON DELETE CASCADE,
    address_1      TEXT NOT NULL,
    address_2      TEXT,
    city           TEXT NOT NULL,
    region         TEXT,
    state_province TEXT NOT NULL,
    postal_code    TEXT NOT NULL,
    country        TEXT NOT NULL,
    address_type   TEXT NOT NULL
);

CREATE TABLE service_at_locations (
    id          TEXT PRIMARY KEY,
    service_id  TEXT NOT NULL REFERENCES services(id) ON DELETE CASCADE,
    location_id TEXT NOT NULL REFERENCES locations(id) ON DELETE CASCADE,
    description TEXT,
    UNIQUE (service_id, location_id)
);

CREATE TABLE phones (
    id              TEXT PRIMARY KEY,
    service_id      TEXT REFERENCES services(id) ON DELETE CASCADE,
    organization_id TEXT REFERENCES directory_organizations(id) ON DELETE CASCADE,
    location_id     TEXT REFERENCES locations(id) ON DELETE CASCADE,
    number          TEXT NOT NULL,
    extension       TEXT,
    type            TEXT,
    description     TEXT
);
CREATE INDEX phones_service ON phones(service_id);

CREATE TABLE schedules (
    id                     TEXT PRIMARY KEY,
    service_id             TEXT REFERENCES services(id) ON DELETE CASCADE,
    location_id            TEXT REFERENCES locations(id) ON DELETE CASCADE,
    service_at_location_id TEXT REFERENCES service_at_locations(id) ON DELETE CASCADE,
    freq                   TEXT,
    byday                  TEXT,
    opens_at               TEXT,
    closes_at              TEXT,
    description            TEXT
);

CREATE TABLE taxonomies (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    description TEXT NOT NULL,
    uri         TEXT,
    version     TEXT
);

CREATE TABLE taxonomy_terms (
    id          TEXT PRIMARY KEY,
    taxonomy_id TEXT NOT NULL REFERENCES taxonomies(id),
    code        TEXT NOT NULL,
    name        TEXT NOT NULL,
    description TEXT NOT NULL,
    parent_id   TEXT REFERENCES taxonomy_terms(id),
    language    TEXT,
    UNIQUE (taxonomy_id, code)
);

-- HSDS attributes: a taxonomy term (with an optional value) attached to any entity.
CREATE TABLE attributes (
    id               TEXT PRIMARY KEY,
    link_id          TEXT NOT NULL,
    link_type        TEXT,
    link_entity      TEXT NOT NULL,
    taxonomy_term_id TEXT NOT NULL REFERENCES taxonomy_terms(id),
    value            TEXT,
    UNIQUE (link_entity, link_id, taxonomy_term_id)
);
CREATE INDEX attributes_link ON attributes(link_entity, link_id);
CREATE INDEX attributes_term ON attributes(taxonomy_term_id);
