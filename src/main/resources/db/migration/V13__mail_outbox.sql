-- Mail waits here (issue 9 §3; docs/mail.md): written in the transaction of the change that causes it,
-- sent afterwards by one node at a time (FOR UPDATE SKIP LOCKED), retried with backoff while SMTP is down.
-- Bodies hold one-time links and codes, so they are sealed (AES-256-GCM under gatehouse.keys.encryption-key)
-- and wiped once sent.
create table mail_outbox (
    id               bigint      generated always as identity primary key,
    created_at       timestamptz not null,
    recipient        text        not null,
    subject          text        not null,
    sealed_body      text,                        -- null once sent
    attempts         integer     not null default 0,
    next_attempt_at  timestamptz not null,
    sent_at          timestamptz,
    failed_at        timestamptz,                 -- gave up after gatehouse.mail.max-attempts
    last_error       text                         -- the exception's class, never its message (it may quote the mail)
);

create index mail_outbox_due on mail_outbox (next_attempt_at) where sent_at is null and failed_at is null;
