-- Agents that registered themselves (auth.md v0.1, POST /agent/auth) and wait to be claimed. An anonymous
-- registration gets an agent key at once and a claim token; a person later claims it with a one-time
-- code and the key moves to their account with more scopes. An email-verification registration gets no
-- key until the code mailed to the person comes back. Every secret here is a SHA-256 hash.
create table agent_registration (
    id                 text        primary key,       -- reg_…
    registration_type  text        not null check (registration_type in ('anonymous', 'email-verification')),
    credential_id      uuid        references token (id) on delete cascade,  -- the agent key
    claim_token_hash   bytea       not null unique,   -- clm_…, held by the agent
    claim_expires_at   timestamptz not null,
    email              text,                          -- who the claim was sent to
    attempt_token_hash bytea       unique,            -- cv_…, the link in the email
    attempt_expires_at timestamptz,
    otp_hash           bytea,                         -- the one-time code shown to the person
    otp_expires_at     timestamptz,
    otp_failures       integer     not null default 0,
    account_id         uuid        references account (id) on delete cascade,  -- set when claimed
    claimed_at         timestamptz,
    created_at         timestamptz not null default now()
);
