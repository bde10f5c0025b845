-- Issue 12 §2: passkeys (WebAuthn) as a second way in. One row per credential a person registered: what
-- verifies its assertions (the public key, COSE-encoded, and its algorithm), the signature counter that tells a
-- cloned authenticator, and when it was added and last used. Never a secret: the private key stays on the
-- person's device.
create table passkey (
    credential_id        text        primary key,  -- base64url, as the authenticator names it
    account_id           uuid        not null references account (id) on delete cascade,
    public_key           bytea       not null,     -- COSE_Key
    public_key_algorithm bigint      not null,     -- COSE algorithm identifier, e.g. -7 (ES256)
    aaguid               uuid,                     -- the authenticator model, when it says
    signature_counter    bigint      not null default 0,
    label                text        not null,
    created_at           timestamptz not null,
    last_used_at         timestamptz
);

create index passkey_account on passkey (account_id);
