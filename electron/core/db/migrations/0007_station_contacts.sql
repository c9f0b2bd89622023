-- 代表联络站: who runs the station (负责人) and the number constituents call
-- (联系电话), shown in the stations screen. Synced like the station's other
-- columns; older packages simply lack them.
ALTER TABLE liaison_stations ADD COLUMN leader TEXT;
ALTER TABLE liaison_stations ADD COLUMN phone TEXT;
