-- One-chunk envelopes stored by the group commit keep their bytes in their own row
-- (docs/decisions/0010-inline-chunks-and-fewer-indexes.md): no envelope_chunks row, so no random write into the chunks' primary key
-- and one statement less per batch. Every other envelope is stored in envelope_chunks as
-- before; an envelope has either inline_data or chunk 0, never both. The bytes are the same
-- ciphertext, stored once.
-- Valid on MariaDB 10.11+ and on H2 2.x in MariaDB mode.
ALTER TABLE envelopes ADD COLUMN inline_data MEDIUMBLOB NULL;
