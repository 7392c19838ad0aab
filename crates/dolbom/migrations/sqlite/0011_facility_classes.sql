-- A 어린이집's free places per class (issue #7: a round fills places per age band). `ages` is a 만 N세반 ('0'..'5')
-- or a mixed class that several ages share ('0-2' 영아혼합반, '3-5' 유아혼합반). Places are what the class can still
-- take: classes × the legal child-to-teacher ratio, less the children in them (from the public data, or kept by the
-- centre), and one fewer with each child the waitlist enrols.
CREATE TABLE facility_classes (
    facility_id TEXT NOT NULL REFERENCES facilities(id) ON DELETE CASCADE,
    ages        TEXT NOT NULL CHECK (ages IN ('0', '1', '2', '3', '4', '5', '0-2', '3-5')),
    places      INTEGER NOT NULL CHECK (places >= 0),
    PRIMARY KEY (facility_id, ages)
);
