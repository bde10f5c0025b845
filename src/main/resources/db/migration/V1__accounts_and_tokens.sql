-- People who sign in to Gatehouse.
create table account (
    id            uuid        primary key,
    email         text        not null,
    password_hash text        not null,           -- Argon2id, PHC string
    created_at    timestamptz not null default now()
);
-- Emails are compared case-insensitively; they are stored lower-cased.
create unique index account_email_key on account (email);

-- The one token store: every credential Gatehouse issues, whatever its kind.
create table token (
    id             uuid        primary key,
    kind           text        not null
                   check (kind in ('session', 'api_key', 'refresh', 'access', 'authorization_code', 'agent')),
    account_id     uuid        references account (id) on delete cascade,
    client_id      text,                          -- the OAuth client it was issued to, when there is one
    secret_hash    bytea       not null,          -- SHA-256 of the full token string; the token itself is never stored
    display_prefix text,                          -- e.g. gth_live_AbC12: safe to show, identifies the key
    preview        text,                          -- first and last characters, e.g. gth_live_AbC12…9xQ4
    label          text,
    scopes         text[]      not null default '{}',
    environment    text        check (environment in ('live', 'test')),
    created_at     timestamptz not null default now(),
    expires_at     timestamptz,                   -- null: never expires
    revoked_at     timestamptz,                   -- null: not revoked; rows are kept for audit
    last_used_at   timestamptz,
    usage_count    bigint      not null default 0,
    metadata       jsonb       not null default '{}'::jsonb,
    constraint token_secret_hash_length check (octet_length(secret_hash) = 32)
);
create unique index token_secret_hash_key on token (secret_hash);
create index token_account_kind_idx on token (account_id, kind, created_at desc);
