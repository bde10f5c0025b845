-- Issue 11: the authorization, not each access token, is what is stored and revoked.
--
-- Access tokens become JWTs that no row records: each names its authorization (claim authorization_id)
-- and carries everything else itself. Revoking an authorization, a single access token (its jti), or
-- everything of a client or an account puts an entry on the revocation list below; every node holds
-- the list in memory, hears new entries through the revocation broadcast, and answers "inactive" from it
-- without a lookup per token. Codes and refresh tokens stay in the one token store, naming their
-- authorization in a typed column instead of a jsonb key.

-- One authorization: a person's consent to a client, from the code (or the ID-JAG) to the last refresh.
-- A client acting for itself (client_credentials) has none: nothing is written for it.
create table oauth_authorization (
    id                 uuid        primary key,
    client_id          text        not null,
    account_id         uuid        not null references account (id) on delete cascade,
    grant_type         text        not null check (grant_type in ('authorization_code', 'jwt_bearer')),
    scopes             text[]      not null,           -- what was granted; a refresh may narrow, never widen
    audience           text[]      not null,           -- RFC 8707 resources the access tokens are for
    -- What the token request must repeat (authorization_code only): RFC 6749 §4.1.3, RFC 7636 §4.6.
    redirect_uri       text,
    redirect_uri_given boolean,                        -- the authorization request named it, so must the token request
    code_challenge     text,                           -- S256
    nonce              text,                           -- OpenID Connect: copied into the ID token
    auth_time          timestamptz,                    -- when the person signed in
    created_at         timestamptz not null default now(),
    expires_at         timestamptz not null,           -- absolute: no refresh token outlives it
    revoked_at         timestamptz,
    constraint oauth_authorization_code_facts
        check ((grant_type = 'authorization_code') = (redirect_uri is not null and code_challenge is not null
                                                      and redirect_uri_given is not null))
);
-- Consent once given is remembered per client and person (AuthorizeResource), and a deleted client's
-- authorizations are revoked together.
create index oauth_authorization_client_account_idx on oauth_authorization (client_id, account_id);
create index oauth_authorization_account_idx on oauth_authorization (account_id);

-- Never for a disabled account (V14's rule, the same function: it reads account_id and revoked_at).
create trigger oauth_authorization_account_enabled
    before insert or update of account_id on oauth_authorization
    for each row execute function token_refuses_disabled_account();

-- The grants of people carry over with what their codes and refresh tokens knew; those of clients acting
-- for themselves held nothing but access tokens, which are now carried by their JWTs alone.
insert into oauth_authorization (id, client_id, account_id, grant_type, scopes, audience, redirect_uri,
                                 redirect_uri_given, code_challenge, nonce, auth_time, created_at, expires_at, revoked_at)
select g.id, g.client_id, g.account_id,
       case when code.id is not null then 'authorization_code' else 'jwt_bearer' end,
       coalesce(code.scopes, refresh.scopes, '{}'),
       array_remove(string_to_array(coalesce(code.metadata ->> 'resource', refresh.metadata ->> 'aud', ''), ' '), ''),
       code.metadata ->> 'redirect_uri',
       case when code.id is not null then coalesce(code.metadata ->> 'redirect_uri_given', 'true')::boolean end,
       code.metadata ->> 'code_challenge',
       code.metadata ->> 'nonce',
       to_timestamp(nullif(coalesce(code.metadata ->> 'auth_time', refresh.metadata ->> 'auth_time'), '')::bigint),
       g.created_at,
       coalesce((refresh.metadata ->> 'grant_expires')::timestamptz, g.created_at + interval '30 days'),
       -- Disabling an account revoked its tokens but not its grants: those carry over revoked.
       coalesce(g.revoked_at, acc.disabled_at)
from oauth_grant g
join account acc on acc.id = g.account_id
left join lateral (select * from token t where t.kind = 'authorization_code' and t.metadata ->> 'grant' = g.id::text
                   limit 1) code on true
left join lateral (select * from token t where t.kind = 'refresh' and t.metadata ->> 'grant' = g.id::text
                   order by t.created_at desc limit 1) refresh on true
where g.account_id is not null
  and (code.id is null or (code.metadata ->> 'redirect_uri') is not null and (code.metadata ->> 'code_challenge') is not null);

-- Codes and refresh tokens name their authorization; a code or refresh token is used up once.
alter table token add column authorization_id uuid references oauth_authorization (id) on delete cascade;
alter table token add column used_at timestamptz;   -- single-use tokens (codes, refresh tokens): when used up
create index token_authorization_idx on token (authorization_id) where authorization_id is not null;

update token set authorization_id = (metadata ->> 'grant')::uuid
where metadata ? 'grant' and kind in ('authorization_code', 'refresh')
  and exists (select 1 from oauth_authorization a where a.id = (token.metadata ->> 'grant')::uuid);
update token set used_at = coalesce(revoked_at, now())
where metadata ->> 'redeemed' = 'true' or metadata ->> 'rotated' = 'true';
-- Codes and refresh tokens of grants that did not carry over (clients acting for themselves) are dead.
update token set revoked_at = now()
where kind in ('authorization_code', 'refresh') and authorization_id is null and revoked_at is null;

-- What an authorization or a typed column now says is no longer kept in the tokens' metadata.
update token set metadata = metadata - array['grant', 'grant_expires', 'aud', 'auth_time', 'redirect_uri',
        'redirect_uri_given', 'code_challenge', 'nonce', 'resource', 'redeemed', 'rotated', 'jti']
where kind in ('authorization_code', 'refresh');
drop index token_grant_idx;

-- The revocation list. Every node loads the entries still in force at start, hears each new one through the
-- broadcast, and reads what it missed by id when the broadcast was lost.
create table revocation (
    id         bigserial   primary key,
    kind       text        not null check (kind in ('authorization', 'access_token', 'client', 'account')),
    -- What is revoked: an authorization's id; an access token's jti; a client_id or an account's id, whose
    -- access tokens issued up to revoked_at (to the second, as iat counts) are all revoked.
    subject    text        not null,
    revoked_at timestamptz not null,
    keep_until timestamptz not null    -- no access token the entry covers is still valid after this
);
create index revocation_keep_until_idx on revocation (keep_until);

-- Access tokens revoked before this migration stay revoked: their jti goes on the list. Then the access
-- rows go: a JWT carries all they said.
insert into revocation (kind, subject, revoked_at, keep_until)
select 'access_token', metadata ->> 'jti', revoked_at, expires_at
from token
where kind = 'access' and revoked_at is not null and expires_at > now() and metadata ? 'jti';
delete from token where kind = 'access';
alter table token drop constraint token_kind_check;
alter table token add constraint token_kind_check
    check (kind in ('session', 'api_key', 'refresh', 'authorization_code', 'agent'));

drop table oauth_grant;
