-- Who a booking counts against in a space's weekly limit: the person, or for a group leader the group (its
-- organization), so two leaders of one group share the group's hours. The week is counted through
-- bookings_space (a week of one space is a short range); another index would slow every booking for no gain.
ALTER TABLE bookings ADD COLUMN party TEXT NOT NULL DEFAULT '';
UPDATE bookings SET party = user_id;
