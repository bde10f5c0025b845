-- Per-key IP allowlists (seed 000) and key rolls (seeds 000 and 002).
alter table token
    -- CIDR ranges the credential may be used from, canonical (e.g. 203.0.113.0/24); empty: anywhere.
    add column ip_allowlist text[] not null default '{}',
    -- The key this one succeeded when its owner rolled it; the old key's expires_at says when it stops.
    add column replaces     uuid   references token (id) on delete set null;

-- A key is rolled at most once: a second roll of the same key would leave two successors.
create unique index token_replaces_key on token (replaces) where replaces is not null;
