-- Testigo intake storage, version 1. Valid on MariaDB 10.11+ and on H2 2.x in MariaDB mode.
-- Nothing about the source is stored: no address, no user agent, no time finer than a day.

CREATE TABLE envelopes (
  id            BINARY(16)   NOT NULL,
  context       VARCHAR(64)  NOT NULL,
  received_day  DATE         NOT NULL,
  size_bucket   BIGINT       NOT NULL,
  chunk_count   INT          NOT NULL,
  sha256        BINARY(32)   NOT NULL,
  state         VARCHAR(16)  NOT NULL,
  PRIMARY KEY (id)
);

CREATE INDEX envelopes_by_day ON envelopes (received_day);

CREATE TABLE envelope_chunks (
  envelope_id   BINARY(16)   NOT NULL,
  idx           INT          NOT NULL,
  data          MEDIUMBLOB   NOT NULL,
  PRIMARY KEY (envelope_id, idx),
  CONSTRAINT chunks_envelope FOREIGN KEY (envelope_id) REFERENCES envelopes (id) ON DELETE CASCADE
);

CREATE TABLE mailboxes (
  id                BINARY(32)     NOT NULL,
  reply_public_key  VARBINARY(1216) NOT NULL,
  created_day       DATE           NOT NULL,
  PRIMARY KEY (id)
);

CREATE TABLE mailbox_envelopes (
  envelope_id   BINARY(16)   NOT NULL,
  mailbox_id    BINARY(32)   NOT NULL,
  kind          VARCHAR(16)  NOT NULL,
  PRIMARY KEY (envelope_id),
  CONSTRAINT mailbox_envelopes_mailbox FOREIGN KEY (mailbox_id) REFERENCES mailboxes (id),
  CONSTRAINT mailbox_envelopes_envelope FOREIGN KEY (envelope_id) REFERENCES envelopes (id) ON DELETE CASCADE
);

CREATE INDEX mailbox_envelopes_by_mailbox ON mailbox_envelopes (mailbox_id, kind);
