-- Keys that sign Gatehouse's JWTs (access and ID tokens). A key is published in the JWKS from
-- created_at, signs from activates_at until retired_at, and stays published until expires_at, when
-- every token it signed has expired.
create table signing_key (
    kid           text        primary key,
    alg           text        not null check (alg in ('ES256', 'RS256')),
    public_jwk    text        not null,           -- JSON, as published
    private_jwe   text        not null,           -- the private JWK, encrypted (JWE dir + A256GCM)
    created_at    timestamptz not null default now(),
    activates_at  timestamptz not null,
    retired_at    timestamptz,
    expires_at    timestamptz,
    constraint signing_key_order check (activates_at >= created_at)
);
create index signing_key_expires_idx on signing_key (expires_at);
