-- Indexes for the roster list at province scale (140,000 seats).

-- The 代表小组 and 代表联络站 filters (and their member lists) find a group's
-- or station's seats without reading the seats table.
CREATE INDEX seats_group ON seats (group_id) WHERE group_id IS NOT NULL;
CREATE INDEX seats_station ON seats (station_id) WHERE station_id IS NOT NULL;

-- The text search looks for the text inside names: it reads the whole name
-- index, and for every person found needs the id to reach the seats. With the
-- id in the index it never reads the persons table (one random page read per
-- match saved; 李 matches one person in twelve).
DROP INDEX persons_name;
CREATE INDEX persons_name ON persons (name, id);

-- ... and from the person to the seats: with the columns the list filters
-- and orders by, the text search never reads the seats table either.
DROP INDEX seats_person;
CREATE INDEX seats_person ON seats (person_id, deleted_at, status, level, township, term);

-- The text search also looks inside phone numbers (4 digits or more), which
-- had no index: the narrow index is read instead of the whole persons table.
CREATE INDEX persons_phone ON persons (phone, id) WHERE phone IS NOT NULL;

-- 代表证号 are codes (436124-19-001). A search text with Chinese (or any
-- other non-ASCII) characters can only be inside a certificate number that
-- has such characters too; this index holds just those (normally none), so
-- a search for 李 no longer reads all 140,000 certificate numbers.
CREATE INDEX seats_certificate_wide ON seats (certificate_no) WHERE certificate_no GLOB '*[^ -~]*';
