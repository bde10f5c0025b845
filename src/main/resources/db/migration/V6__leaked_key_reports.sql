-- Reports of leaked credentials from GitHub's secret scanning partner program (specs.md §10.2,
-- POST /secret-scanning/report). One row per reported occurrence of a credential we issued; reports of
-- tokens we do not know are answered false_positive and not kept. The reported token itself is never
-- stored: the row points at the token it matched.
create table leaked_key_report (
    id                 uuid        primary key,
    token_id           uuid        not null references token (id) on delete cascade,
    token_type         text        not null,          -- the secret type GitHub matched, e.g. gatehouse_api_key
    source             text,                          -- where GitHub found it: content, commit, issue_comment, npm, …
    url                text,                          -- the public location, when GitHub gives one
    revoked_by_report  boolean     not null,          -- false when the token was already revoked
    reported_at        timestamptz not null
);
create index leaked_key_report_token_idx on leaked_key_report (token_id, reported_at desc);
