-- Fewer random index writes per stored report (docs/decisions/0010-inline-chunks-and-fewer-indexes.md). envelopes_by_day
-- (received_day, id) served no selective query: the export reads every stored envelope and
-- the reviewer feed sequences the ones not yet in it, both over the whole table. Within one day
-- its entries are ordered by the random id, so every report cost a random index write.
-- Valid on MariaDB 10.11+ and on H2 2.x in MariaDB mode.
ALTER TABLE envelopes DROP INDEX envelopes_by_day;
