-- Community spaces and their bookings (issue #9). A booking holds its slots as rows of booking_slots, whose primary
-- key (space, slot start) lets one booking only hold a slot: the database refuses the second, on SQLite and
-- PostgreSQL alike, however the requests race. A cancelled, rejected or expired booking gives its rows back.
CREATE TABLE spaces (
    id                   TEXT PRIMARY KEY,
    municipality_code    TEXT NOT NULL,
    organization_id      TEXT REFERENCES organizations(id),
    name                 TEXT NOT NULL,
    kind                 TEXT NOT NULL CHECK (kind IN ('community_room', 'co_parenting', 'hall', 'study', 'other')),
    adm_cd2              TEXT NOT NULL,
    address              TEXT NOT NULL,
    lat                  DOUBLE PRECISION NOT NULL,
    lon                  DOUBLE PRECISION NOT NULL,
    capacity             INTEGER NOT NULL CHECK (capacity > 0),
    equipment            TEXT NOT NULL DEFAULT '',
    accessibility        TEXT NOT NULL DEFAULT '',
    description          TEXT NOT NULL DEFAULT '',
    -- Booking rules.
    slot_minutes         INTEGER NOT NULL CHECK (slot_minutes IN (30, 60, 120)),
    max_booking_minutes  INTEGER NOT NULL CHECK (max_booking_minutes > 0),
    max_week_minutes     INTEGER NOT NULL CHECK (max_week_minutes > 0),
    who_may_book         TEXT NOT NULL CHECK (who_may_book IN ('residents', 'groups', 'everyone')),
    needs_approval       BOOLEAN NOT NULL DEFAULT FALSE,
    fee_krw_per_hour     BIGINT NOT NULL DEFAULT 0 CHECK (fee_krw_per_hour >= 0),
    fee_exempt           TEXT NOT NULL DEFAULT '',
    cancel_hours         INTEGER NOT NULL DEFAULT 24 CHECK (cancel_hours >= 0),
    active               BOOLEAN NOT NULL DEFAULT TRUE,
    created_at           INTEGER NOT NULL
);
CREATE INDEX spaces_area ON spaces(municipality_code, adm_cd2);

-- Opening hours per weekday (0 Monday … 6 Sunday, 7 public holidays), minutes after midnight, Asia/Seoul.
CREATE TABLE space_hours (
    space_id TEXT NOT NULL REFERENCES spaces(id),
    weekday  INTEGER NOT NULL CHECK (weekday BETWEEN 0 AND 7),
    opens    INTEGER NOT NULL,
    closes   INTEGER NOT NULL,
    PRIMARY KEY (space_id, weekday),
    CHECK (closes > opens)
);

CREATE TABLE space_closed_days (
    space_id TEXT NOT NULL REFERENCES spaces(id),
    day      DATE NOT NULL,
    reason   TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (space_id, day)
);

CREATE TABLE bookings (
    id                TEXT PRIMARY KEY,
    municipality_code TEXT NOT NULL,
    space_id          TEXT NOT NULL REFERENCES spaces(id),
    user_id           TEXT NOT NULL REFERENCES users(id),
    group_name        TEXT NOT NULL DEFAULT '',
    purpose           TEXT NOT NULL,
    attendees         INTEGER NOT NULL CHECK (attendees > 0),
    starts_at         INTEGER NOT NULL,
    ends_at           INTEGER NOT NULL,
    status            TEXT NOT NULL CHECK (status IN ('held', 'pending', 'confirmed', 'rejected', 'cancelled', 'no_show', 'expired')),
    hold_expires_at   INTEGER,
    fee_krw           BIGINT NOT NULL DEFAULT 0,
    exempt_reason     TEXT NOT NULL DEFAULT '',
    -- The form's one-time key: a second submit of the same form finds the booking the first made.
    request_key       TEXT NOT NULL UNIQUE,
    decided_by        TEXT REFERENCES users(id),
    decided_at        INTEGER,
    reject_reason     TEXT NOT NULL DEFAULT '',
    cancelled_at      INTEGER,
    created_at        INTEGER NOT NULL,
    CHECK (ends_at > starts_at)
);
CREATE INDEX bookings_space ON bookings(space_id, starts_at);
CREATE INDEX bookings_user ON bookings(user_id, starts_at);

CREATE TABLE booking_slots (
    space_id   TEXT NOT NULL REFERENCES spaces(id),
    slot_start INTEGER NOT NULL,
    booking_id TEXT NOT NULL REFERENCES bookings(id),
    PRIMARY KEY (space_id, slot_start)
);
CREATE INDEX booking_slots_booking ON booking_slots(booking_id);

-- The waiting list of a taken span: when its slots come free, the first waiting gets a hold offered to them.
CREATE TABLE space_waits (
    id          TEXT PRIMARY KEY,
    space_id    TEXT NOT NULL REFERENCES spaces(id),
    user_id     TEXT NOT NULL REFERENCES users(id),
    starts_at   INTEGER NOT NULL,
    ends_at     INTEGER NOT NULL,
    purpose     TEXT NOT NULL,
    attendees   INTEGER NOT NULL CHECK (attendees > 0),
    status      TEXT NOT NULL CHECK (status IN ('waiting', 'offered', 'left')),
    booking_id  TEXT REFERENCES bookings(id),
    created_at  INTEGER NOT NULL,
    UNIQUE (space_id, user_id, starts_at, ends_at)
);
CREATE INDEX space_waits_span ON space_waits(space_id, status, starts_at);
