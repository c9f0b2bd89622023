-- The roster's text search (姓名, 联系电话, 代表证号 — electron/core/roster/list.ts)
-- without reading every name, phone or certificate number: 李 took 60 ms at
-- province scale (140,000 seats), most of it joining the 11,000 persons
-- found to their seats and sorting them.
--
-- Everything here is derived from persons and seats and kept by the triggers
-- below, whoever writes those tables: the repository, the roster import and
-- the USB handoff, which writes rows directly. An import or demo that adds
-- more than it finds runs without the triggers and rebuilds it all at the
-- end, in its transaction (electron/core/roster/search.ts). None of it
-- travels. The rowids it refers to survive VACUUM and VACUUM INTO (backups):
-- persons and seats have indexes, and SQLite keeps the rowids of such tables.

-- 1. The characters of each seat's name. A search for 李 reads the rows for
-- 李 of the seats that are not deleted, already in list order: status and
-- level (one range of the index each), then township, term and rowid, as the
-- list orders them. So the count is a range count and the page an ordered
-- range read, even when one seat in twelve matches. A longer text is looked
-- for under its rarest character, and the name here tells whether it matches.
CREATE TABLE search_name_chars (
  seat_rowid INTEGER NOT NULL,
  ch         TEXT NOT NULL,          -- one character of the person's name
  status     TEXT NOT NULL,          -- the seat's, as in seats
  level      TEXT NOT NULL,
  township   TEXT,
  term       TEXT NOT NULL,
  name       TEXT NOT NULL,          -- the person's
  PRIMARY KEY (seat_rowid, ch)
) WITHOUT ROWID;
CREATE INDEX search_name_chars_find ON search_name_chars (ch, status, level, township, term, seat_rowid, name);

-- What search_name_chars holds for each seat that is not deleted: a row per
-- character of its person's name. `c` counts the characters: json_each over
-- an array of as many zeros, whose key is the position (0, 1, …).
-- (INSERT OR IGNORE from it: a character twice in a name gives one row.)
CREATE VIEW search_name_chars_due AS
SELECT s.rowid AS seat_rowid, s.person_id, substr(p.name, c.key + 1, 1) AS ch, s.status, s.level, s.township, s.term, p.name
FROM seats s
JOIN persons p ON p.id = s.person_id
JOIN json_each('[' || substr(replace(hex(zeroblob(length(p.name))), '00', ',0'), 2) || ']') c
WHERE s.deleted_at IS NULL;

-- A seat whose person is not there yet (the handoff writes rows table by
-- table and checks references only at commit) waits here for its person.
CREATE TABLE search_name_pending (
  seat_rowid INTEGER PRIMARY KEY,
  person_id  TEXT NOT NULL
);
CREATE INDEX search_name_pending_person ON search_name_pending (person_id);

-- 2. Certificate numbers (by seat rowid) and phone numbers (by person rowid)
-- as trigrams: a text of three characters or more is looked for only among
-- the rows that have its trigrams, then checked with instr() as before.
-- Case-sensitive like instr(); only the index is kept, not the text.
CREATE VIRTUAL TABLE search_certificates USING fts5 (
  certificate_no, tokenize = 'trigram case_sensitive 1', detail = none, content = '', contentless_delete = 1
);
CREATE VIRTUAL TABLE search_phones USING fts5 (
  phone, tokenize = 'trigram case_sensitive 1', detail = none, content = '', contentless_delete = 1
);

-- The phone search reads search_phones now.
DROP INDEX persons_phone;

CREATE TRIGGER search_seat_insert AFTER INSERT ON seats
BEGIN
  INSERT OR IGNORE INTO search_name_chars (seat_rowid, ch, status, level, township, term, name)
  SELECT seat_rowid, ch, status, level, township, term, name FROM search_name_chars_due WHERE seat_rowid = NEW.rowid;
  INSERT INTO search_name_pending (seat_rowid, person_id)
  SELECT NEW.rowid, NEW.person_id WHERE NEW.deleted_at IS NULL AND NOT EXISTS (SELECT 1 FROM persons WHERE id = NEW.person_id);
  INSERT INTO search_certificates (rowid, certificate_no) SELECT NEW.rowid, NEW.certificate_no WHERE NEW.certificate_no IS NOT NULL;
END;

-- A change to what the list filters and orders by, or to whose seat it is: the seat's rows again.
CREATE TRIGGER search_seat_update AFTER UPDATE OF person_id, status, level, township, term, deleted_at ON seats
WHEN OLD.person_id IS NOT NEW.person_id OR OLD.status IS NOT NEW.status OR OLD.level IS NOT NEW.level
  OR OLD.township IS NOT NEW.township OR OLD.term IS NOT NEW.term OR OLD.deleted_at IS NOT NEW.deleted_at
BEGIN
  DELETE FROM search_name_chars WHERE seat_rowid = OLD.rowid;
  DELETE FROM search_name_pending WHERE seat_rowid = OLD.rowid;
  INSERT OR IGNORE INTO search_name_chars (seat_rowid, ch, status, level, township, term, name)
  SELECT seat_rowid, ch, status, level, township, term, name FROM search_name_chars_due WHERE seat_rowid = NEW.rowid;
  INSERT INTO search_name_pending (seat_rowid, person_id)
  SELECT NEW.rowid, NEW.person_id WHERE NEW.deleted_at IS NULL AND NOT EXISTS (SELECT 1 FROM persons WHERE id = NEW.person_id);
END;

CREATE TRIGGER search_seat_certificate AFTER UPDATE OF certificate_no ON seats
WHEN OLD.certificate_no IS NOT NEW.certificate_no
BEGIN
  DELETE FROM search_certificates WHERE rowid = OLD.rowid;
  INSERT INTO search_certificates (rowid, certificate_no) SELECT NEW.rowid, NEW.certificate_no WHERE NEW.certificate_no IS NOT NULL;
END;

-- Seats are tombstoned, not deleted; should one be, its rows go with it.
CREATE TRIGGER search_seat_delete AFTER DELETE ON seats
BEGIN
  DELETE FROM search_name_chars WHERE seat_rowid = OLD.rowid;
  DELETE FROM search_name_pending WHERE seat_rowid = OLD.rowid;
  DELETE FROM search_certificates WHERE rowid = OLD.rowid;
END;

CREATE TRIGGER search_person_insert AFTER INSERT ON persons
BEGIN
  INSERT INTO search_phones (rowid, phone) SELECT NEW.rowid, NEW.phone WHERE NEW.phone IS NOT NULL;
END;

-- Seats that came before their person: all their seats were waiting.
CREATE TRIGGER search_person_awaited AFTER INSERT ON persons
WHEN EXISTS (SELECT 1 FROM search_name_pending WHERE person_id = NEW.id)
BEGIN
  INSERT OR IGNORE INTO search_name_chars (seat_rowid, ch, status, level, township, term, name)
  SELECT seat_rowid, ch, status, level, township, term, name FROM search_name_chars_due WHERE person_id = NEW.id;
  DELETE FROM search_name_pending WHERE person_id = NEW.id;
END;

CREATE TRIGGER search_person_name AFTER UPDATE OF name ON persons
WHEN OLD.name IS NOT NEW.name
BEGIN
  DELETE FROM search_name_chars WHERE seat_rowid IN (SELECT rowid FROM seats WHERE person_id = NEW.id);
  INSERT OR IGNORE INTO search_name_chars (seat_rowid, ch, status, level, township, term, name)
  SELECT seat_rowid, ch, status, level, township, term, name FROM search_name_chars_due WHERE person_id = NEW.id;
END;

CREATE TRIGGER search_person_phone AFTER UPDATE OF phone ON persons
WHEN OLD.phone IS NOT NEW.phone
BEGIN
  DELETE FROM search_phones WHERE rowid = OLD.rowid;
  INSERT INTO search_phones (rowid, phone) SELECT NEW.rowid, NEW.phone WHERE NEW.phone IS NOT NULL;
END;

-- Persons are tombstoned, not deleted; should one be, their seats wait for them again.
CREATE TRIGGER search_person_delete AFTER DELETE ON persons
BEGIN
  DELETE FROM search_phones WHERE rowid = OLD.rowid;
  DELETE FROM search_name_chars WHERE seat_rowid IN (SELECT rowid FROM seats WHERE person_id = OLD.id);
  INSERT OR IGNORE INTO search_name_pending (seat_rowid, person_id)
  SELECT rowid, person_id FROM seats WHERE person_id = OLD.id AND deleted_at IS NULL;
END;

-- The rows already there (the same as rebuildSearch() in electron/core/roster/search.ts).
INSERT OR IGNORE INTO search_name_chars (seat_rowid, ch, status, level, township, term, name)
SELECT seat_rowid, ch, status, level, township, term, name FROM search_name_chars_due;
INSERT INTO search_name_pending (seat_rowid, person_id)
SELECT rowid, person_id FROM seats s WHERE deleted_at IS NULL AND NOT EXISTS (SELECT 1 FROM persons WHERE id = s.person_id);
INSERT INTO search_certificates (rowid, certificate_no) SELECT rowid, certificate_no FROM seats WHERE certificate_no IS NOT NULL;
INSERT INTO search_phones (rowid, phone) SELECT rowid, phone FROM persons WHERE phone IS NOT NULL;
