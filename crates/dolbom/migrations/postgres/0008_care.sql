-- Care applications (issue #6): caregivers and their credentials, places a facility keeps for emergency care, the
-- applications with their offers and timeline, follow-up (surveys, incidents), notifications and their outbox.
-- Times are milliseconds since the epoch (UTC); days are dates in Asia/Seoul; minutes count from local midnight.

CREATE TABLE caregivers (
    user_id              TEXT PRIMARY KEY REFERENCES users(id),
    municipality_code    TEXT NOT NULL,
    name                 TEXT NOT NULL,
    sex                  TEXT NOT NULL CHECK (sex IN ('F', 'M')),
    latitude             DOUBLE PRECISION NOT NULL,
    longitude            DOUBLE PRECISION NOT NULL,
    languages            TEXT NOT NULL DEFAULT 'ko',
    weekly_limit_minutes INTEGER NOT NULL CHECK (weekly_limit_minutes BETWEEN 0 AND 3360),
    active               BOOLEAN NOT NULL DEFAULT TRUE
);

-- When a caregiver is available: one span per weekday and one for public holidays (as facility_hours).
CREATE TABLE caregiver_hours (
    caregiver_id TEXT NOT NULL REFERENCES caregivers(user_id) ON DELETE CASCADE,
    day          INTEGER NOT NULL CHECK (day BETWEEN 0 AND 7),
    opens        INTEGER NOT NULL CHECK (opens >= 0),
    closes       INTEGER NOT NULL CHECK (closes > opens AND closes <= 1440),
    PRIMARY KEY (caregiver_id, day)
);

CREATE TABLE caregiver_credentials (
    caregiver_id TEXT NOT NULL REFERENCES caregivers(user_id) ON DELETE CASCADE,
    kind         TEXT NOT NULL CHECK (kind IN ('basic', 'infant', 'special_needs', 'first_aid', 'background_check')),
    number       TEXT NOT NULL DEFAULT '',
    expires_on   DATE,
    PRIMARY KEY (caregiver_id, kind)
);

-- A facility's emergency places as numbered seats; a seat is held for one hour of one day by one application.
-- The foreign key and the primary key together make overbooking impossible, whatever runs at once.
CREATE TABLE care_seats (
    facility_id TEXT NOT NULL REFERENCES facilities(id) ON DELETE CASCADE,
    seat        INTEGER NOT NULL CHECK (seat >= 1),
    PRIMARY KEY (facility_id, seat)
);

CREATE TABLE care_applications (
    id                TEXT PRIMARY KEY,
    municipality_code TEXT NOT NULL,
    child_id          TEXT NOT NULL REFERENCES children(id),
    guardian_id       TEXT NOT NULL REFERENCES users(id),
    service           TEXT NOT NULL CHECK (service IN ('elementary_emergency', 'always_daycare', 'home_visit')),
    first_day         DATE NOT NULL,
    days              INTEGER NOT NULL CHECK (days BETWEEN 1 AND 31),
    start_minute      INTEGER NOT NULL CHECK (start_minute BETWEEN 0 AND 1439),
    end_minute        INTEGER NOT NULL CHECK (end_minute > start_minute AND end_minute <= 1440),
    reason            TEXT NOT NULL,
    adm_cd2           TEXT NOT NULL,
    address           TEXT NOT NULL,
    latitude          DOUBLE PRECISION NOT NULL,
    longitude         DOUBLE PRECISION NOT NULL,
    caregiver_sex     TEXT CHECK (caregiver_sex IN ('F', 'M')),
    language          TEXT,
    notes             TEXT NOT NULL DEFAULT '',
    status            TEXT NOT NULL CHECK (status IN ('submitted', 'matched', 'confirmed', 'checked_in',
                          'checked_out', 'completed', 'cancelled', 'no_show', 'no_match')),
    facility_id       TEXT REFERENCES facilities(id),
    caregiver_id      TEXT REFERENCES caregivers(user_id),
    explanation       TEXT NOT NULL DEFAULT '{}',
    created_at        BIGINT  NOT NULL,
    updated_at        BIGINT  NOT NULL
);
CREATE INDEX care_applications_guardian ON care_applications(guardian_id, created_at);
CREATE INDEX care_applications_facility ON care_applications(facility_id, first_day);
CREATE INDEX care_applications_caregiver ON care_applications(caregiver_id, first_day);
CREATE INDEX care_applications_open ON care_applications(municipality_code, status, first_day);

-- The hours an application holds: one child cannot be in two places at once (overlapping applications), a seat
-- or a caregiver's hour goes to one application only. Rows are removed when an application ends without care.
CREATE TABLE care_child_hours (
    child_id       TEXT NOT NULL REFERENCES children(id),
    day            DATE NOT NULL,
    hour           INTEGER NOT NULL CHECK (hour BETWEEN 0 AND 23),
    application_id TEXT NOT NULL REFERENCES care_applications(id) ON DELETE CASCADE,
    PRIMARY KEY (child_id, day, hour)
);
CREATE TABLE care_seat_hours (
    facility_id    TEXT NOT NULL,
    seat           INTEGER NOT NULL,
    day            DATE NOT NULL,
    hour           INTEGER NOT NULL CHECK (hour BETWEEN 0 AND 23),
    application_id TEXT NOT NULL REFERENCES care_applications(id) ON DELETE CASCADE,
    PRIMARY KEY (facility_id, day, hour, seat),
    FOREIGN KEY (facility_id, seat) REFERENCES care_seats(facility_id, seat)
);
CREATE INDEX care_seat_hours_application ON care_seat_hours(application_id);
CREATE TABLE care_caregiver_hours (
    caregiver_id   TEXT NOT NULL REFERENCES caregivers(user_id),
    day            DATE NOT NULL,
    hour           INTEGER NOT NULL CHECK (hour BETWEEN 0 AND 23),
    application_id TEXT NOT NULL REFERENCES care_applications(id) ON DELETE CASCADE,
    PRIMARY KEY (caregiver_id, day, hour)
);
CREATE INDEX care_caregiver_hours_application ON care_caregiver_hours(application_id);

-- Offers to providers, one round after another: a decline or a missed deadline moves to the next best.
CREATE TABLE care_offers (
    application_id TEXT NOT NULL REFERENCES care_applications(id) ON DELETE CASCADE,
    round          INTEGER NOT NULL CHECK (round >= 1),
    facility_id    TEXT REFERENCES facilities(id),
    caregiver_id   TEXT REFERENCES caregivers(user_id),
    distance_m     INTEGER NOT NULL,
    offered_at     BIGINT  NOT NULL,
    deadline       BIGINT  NOT NULL,
    answer         TEXT CHECK (answer IN ('accepted', 'declined', 'expired', 'withdrawn')),
    answered_at    BIGINT,
    answered_by    TEXT REFERENCES users(id),
    reason         TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (application_id, round),
    CHECK ((facility_id IS NULL) <> (caregiver_id IS NULL))
);
CREATE INDEX care_offers_facility ON care_offers(facility_id, offered_at);
CREATE INDEX care_offers_caregiver ON care_offers(caregiver_id, offered_at);

-- Everything that happened to an application, with who and when.
CREATE TABLE care_events (
    application_id TEXT NOT NULL REFERENCES care_applications(id) ON DELETE CASCADE,
    seq            INTEGER NOT NULL,
    at             BIGINT  NOT NULL,
    status         TEXT NOT NULL,
    actor_id       TEXT REFERENCES users(id),
    note           TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (application_id, seq)
);

CREATE TABLE care_surveys (
    application_id TEXT PRIMARY KEY REFERENCES care_applications(id) ON DELETE CASCADE,
    satisfaction   INTEGER NOT NULL CHECK (satisfaction BETWEEN 1 AND 5),
    comment        TEXT NOT NULL DEFAULT '',
    at             BIGINT  NOT NULL
);

CREATE TABLE care_incidents (
    id             TEXT PRIMARY KEY,
    application_id TEXT NOT NULL REFERENCES care_applications(id) ON DELETE CASCADE,
    reported_by    TEXT NOT NULL REFERENCES users(id),
    severity       TEXT NOT NULL CHECK (severity IN ('minor', 'serious')),
    description    TEXT NOT NULL,
    at             BIGINT  NOT NULL
);

-- In-app notifications, and the outbox that SMS and e-mail adapters read (each row sent once).
CREATE TABLE notifications (
    id         TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users(id),
    message    TEXT NOT NULL,
    args       TEXT NOT NULL DEFAULT '{}',
    link       TEXT NOT NULL DEFAULT '',
    created_at BIGINT  NOT NULL,
    read_at    BIGINT
);
CREATE INDEX notifications_user ON notifications(user_id, created_at);

CREATE TABLE outbox (
    id         TEXT PRIMARY KEY,
    channel    TEXT NOT NULL CHECK (channel IN ('sms', 'email')),
    user_id    TEXT NOT NULL REFERENCES users(id),
    message    TEXT NOT NULL,
    args       TEXT NOT NULL DEFAULT '{}',
    created_at BIGINT  NOT NULL,
    sent_at    BIGINT,
    attempts   INTEGER NOT NULL DEFAULT 0,
    last_error TEXT
);
CREATE INDEX outbox_unsent ON outbox(sent_at, created_at);
