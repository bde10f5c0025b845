-- OAuth clients: seeded first-party ones, ones registered through RFC 7591, and ones described by a
-- client ID metadata document (their client_id is the document's https URL).
create table oauth_client (
    client_id                  text        primary key,
    client_name                text        not null,
    secret_hash                bytea,               -- SHA-256 of a 256-bit secret; null for public clients
    token_endpoint_auth_method text        not null
                               check (token_endpoint_auth_method in ('none', 'client_secret_basic', 'client_secret_post')),
    redirect_uris              text[]      not null default '{}',
    grant_types                text[]      not null,
    scopes                     text[]      not null default '{}',  -- what the client may ask for
    first_party                boolean     not null default false,
    skip_consent               boolean     not null default false,
    origin                     text        not null check (origin in ('seeded', 'registered', 'metadata_document')),
    metadata                   jsonb       not null default '{}'::jsonb,  -- other registered metadata, echoed back
    created_at                 timestamptz not null default now(),
    constraint oauth_client_secret_matches_method
        check ((token_endpoint_auth_method = 'none') = (secret_hash is null))
);

-- One authorization: a person's consent to a client (or a client acting for itself). Tokens are issued
-- under a live grant only, holding a share lock on its row, so revoking the grant (which takes the row
-- lock) either waits for an issuance in flight and then revokes what it issued, or makes it fail.
create table oauth_grant (
    id         uuid        primary key,
    client_id  text        not null,
    account_id uuid        references account (id) on delete cascade,
    created_at timestamptz not null default now(),
    revoked_at timestamptz
);

-- Everything issued under one authorization grant (its code, refresh tokens and access tokens) carries
-- the grant's id, so the whole family can be revoked at once: on code reuse, refresh-token reuse, or
-- revocation of a refresh token (RFC 6749 §4.1.2, RFC 9700 §4.14, RFC 7009 §2.1).
create index token_grant_idx on token ((metadata ->> 'grant'));
