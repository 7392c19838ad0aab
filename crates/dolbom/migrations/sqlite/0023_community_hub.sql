-- The community hub (issue #10): groups' boards (posts with photos and comments; members may be made organisers),
-- officials' content pages written in Markdown and kept both as typed and as sanitised HTML, with attachments,
-- consulting requests of grant holders, the best-practice contest scored like a grant review, and the agreement
-- (약정) that a group signs before a grant is paid.
ALTER TABLE subsidy_applications ADD COLUMN agreed_at BIGINT;
ALTER TABLE subsidy_applications ADD COLUMN agreed_by TEXT REFERENCES users(id);

ALTER TABLE group_join_requests ADD COLUMN member_role TEXT NOT NULL DEFAULT 'member'
    CHECK (member_role IN ('member', 'organiser'));

CREATE TABLE group_posts (
    id          TEXT PRIMARY KEY,
    group_id    TEXT NOT NULL REFERENCES community_groups(id) ON DELETE CASCADE,
    author_id   TEXT NOT NULL REFERENCES users(id),
    kind        TEXT NOT NULL CHECK (kind IN ('news', 'practice', 'gallery')),
    title       TEXT NOT NULL,
    body        TEXT NOT NULL,
    created_at  BIGINT NOT NULL
);
CREATE INDEX group_posts_board ON group_posts(group_id, created_at DESC, id DESC);

-- Only the re-encoded copies are kept: no EXIF or GPS survives an upload.
CREATE TABLE group_post_photos (
    id          TEXT PRIMARY KEY,
    post_id     TEXT NOT NULL REFERENCES group_posts(id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    display     BLOB NOT NULL,
    thumbnail   BLOB NOT NULL,
    width       INTEGER NOT NULL,
    height      INTEGER NOT NULL
);
CREATE INDEX group_post_photos_post ON group_post_photos(post_id, position);

CREATE TABLE group_post_comments (
    id          TEXT PRIMARY KEY,
    post_id     TEXT NOT NULL REFERENCES group_posts(id) ON DELETE CASCADE,
    author_id   TEXT NOT NULL REFERENCES users(id),
    body        TEXT NOT NULL,
    created_at  BIGINT NOT NULL
);
CREATE INDEX group_post_comments_post ON group_post_comments(post_id, created_at);

-- policy (topic: women_family, birth_childcare, child_youth, multicultural), column, education, link (url),
-- story (a group's story, with its year and theme) and library (forms and templates for grant holders).
CREATE TABLE content_pages (
    id                TEXT PRIMARY KEY,
    municipality_code TEXT NOT NULL,
    section           TEXT NOT NULL CHECK (section IN ('policy', 'column', 'education', 'link', 'story', 'library')),
    topic             TEXT NOT NULL DEFAULT '',
    year              INTEGER,
    group_id          TEXT REFERENCES community_groups(id),
    url               TEXT,
    title             TEXT NOT NULL,
    body_md           TEXT NOT NULL,
    body_html         TEXT NOT NULL,
    created_by        TEXT NOT NULL REFERENCES users(id),
    created_at        BIGINT NOT NULL,
    updated_at        BIGINT NOT NULL
);
CREATE INDEX content_pages_section ON content_pages(municipality_code, section, created_at DESC);

CREATE TABLE content_attachments (
    id           TEXT PRIMARY KEY,
    page_id      TEXT NOT NULL REFERENCES content_pages(id) ON DELETE CASCADE,
    file_name    TEXT NOT NULL,
    content_type TEXT NOT NULL,
    bytes        BLOB NOT NULL,
    created_at   BIGINT NOT NULL
);
CREATE INDEX content_attachments_page ON content_attachments(page_id, created_at);

CREATE TABLE consulting_requests (
    id          TEXT PRIMARY KEY,
    group_id    TEXT NOT NULL REFERENCES organizations(id),
    asked_by    TEXT NOT NULL REFERENCES users(id),
    topic       TEXT NOT NULL,
    question    TEXT NOT NULL,
    answer      TEXT,
    answered_by TEXT REFERENCES users(id),
    answered_at BIGINT,
    created_at  BIGINT NOT NULL
);
CREATE INDEX consulting_requests_group ON consulting_requests(group_id, created_at DESC);

CREATE TABLE contests (
    id                TEXT PRIMARY KEY,
    municipality_code TEXT NOT NULL,
    name              TEXT NOT NULL,
    description       TEXT NOT NULL DEFAULT '',
    opens_on          DATE NOT NULL,
    closes_on         DATE NOT NULL,
    rubric            TEXT NOT NULL,
    published_at      BIGINT,
    created_by        TEXT NOT NULL REFERENCES users(id),
    created_at        BIGINT NOT NULL,
    CHECK (closes_on >= opens_on)
);

CREATE TABLE contest_entries (
    id           TEXT PRIMARY KEY,
    contest_id   TEXT NOT NULL REFERENCES contests(id),
    group_id     TEXT NOT NULL REFERENCES organizations(id),
    submitted_by TEXT NOT NULL REFERENCES users(id),
    title        TEXT NOT NULL,
    body         TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    UNIQUE (contest_id, group_id)
);

CREATE TABLE contest_reviews (
    entry_id     TEXT NOT NULL REFERENCES contest_entries(id),
    reviewer_id  TEXT NOT NULL REFERENCES users(id),
    points       TEXT NOT NULL,
    comment      TEXT NOT NULL DEFAULT '',
    submitted_at BIGINT NOT NULL,
    PRIMARY KEY (entry_id, reviewer_id)
);
