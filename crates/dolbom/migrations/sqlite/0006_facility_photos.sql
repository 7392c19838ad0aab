-- Photos a facility's staff upload (JPEG, PNG or WebP, checked by their first bytes), kept in the database beside
-- the facility they show.
CREATE TABLE facility_photos (
    id           TEXT PRIMARY KEY,
    facility_id  TEXT NOT NULL REFERENCES facilities(id) ON DELETE CASCADE,
    content_type TEXT NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png', 'image/webp')),
    bytes        BLOB NOT NULL,
    created_at   INTEGER NOT NULL
);
CREATE INDEX facility_photos_facility ON facility_photos(facility_id);
