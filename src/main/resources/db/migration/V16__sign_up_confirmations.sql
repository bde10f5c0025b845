-- A sign-up waiting for its emailed link (issue 10 finding 9): sign-up answers alike whether or not the
-- address has an account, so the account is made only when the link comes back. The password is already
-- hashed (Argon2id); the link's token is kept only as its SHA-256.
create table signup_confirmation (
    token_hash    bytea       primary key,
    email         text        not null,
    password_hash text        not null,
    created_at    timestamptz not null,
    expires_at    timestamptz not null
);

create index signup_confirmation_expiry on signup_confirmation (expires_at);
