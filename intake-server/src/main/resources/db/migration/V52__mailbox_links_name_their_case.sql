-- The case a follow-up or a reply belongs to is fixed when it is stored (decision: the first
-- report of a receipt stays the case of its follow-ups; a reply belongs to the case it was
-- sent from). Before, it was worked out at each read as the mailbox's report with the smallest
-- id: a report sent later with the same receipt and a smaller random id took over the earlier
-- case's follow-ups and replies, after reviewers had filed them under the earlier case, and an
-- erasure of either case then took or left the wrong ones (docs/spec/retention-and-erasure.md §3.2).
-- Rows stored before keep the case they were listed with: the rule of that time.
-- NULL for a report (its case is itself). Valid on MariaDB 10.11+ and on H2 2.x in MariaDB mode.
ALTER TABLE mailbox_envelopes ADD COLUMN case_id BINARY(16) NULL;

UPDATE mailbox_envelopes SET case_id = (SELECT MIN(r.envelope_id) FROM mailbox_envelopes r
  WHERE r.mailbox_id = mailbox_envelopes.mailbox_id AND r.kind = 'report')
  WHERE kind IN ('follow-up', 'reply');

CREATE INDEX mailbox_envelopes_by_case ON mailbox_envelopes (case_id);

-- A follow-up or reply names a report that exists: a reply that arrives while its case is
-- erased is refused rather than stored under a case no erasure can name any more.
ALTER TABLE mailbox_envelopes ADD CONSTRAINT mailbox_envelopes_case
  FOREIGN KEY (case_id) REFERENCES envelopes (id);
