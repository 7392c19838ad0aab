-- Photos of community spaces, uploaded by their managers (JPEG, PNG or WebP, checked by their first bytes), kept in
-- the database so every process serves them.
CREATE TABLE space_photos (
    id           TEXT PRIMARY KEY,
    space_id     TEXT NOT NULL REFERENCES spaces(id) ON DELETE CASCADE,
    content_type TEXT NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png', 'image/webp')),
    bytes        BYTEA NOT NULL,
    created_at   BIGINT NOT NULL
);
CREATE INDEX space_photos_space ON space_photos(space_id, created_at);
