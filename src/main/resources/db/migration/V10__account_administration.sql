-- Accounts an operator manages through the admin API (issue 9 §1; docs/admin.md).

-- A disabled account signs in no more; every token it held was revoked when it was disabled, in the same
-- transaction. Enabling it again revives none of them: its person signs in anew.
alter table account add column disabled_at timestamptz;

-- The operator's search: emails containing a fragment, in email order. Emails are stored lower-cased.
create index account_email_pattern on account (email text_pattern_ops);
