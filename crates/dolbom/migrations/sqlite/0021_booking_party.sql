-- Who a booking counts against in a space's weekly limit: the person, or for a group leader the group (its
-- organization), so two leaders of one group share the group's hours.
ALTER TABLE bookings ADD COLUMN party TEXT NOT NULL DEFAULT '';
UPDATE bookings SET party = user_id;
CREATE INDEX bookings_party ON bookings(space_id, party, starts_at);
