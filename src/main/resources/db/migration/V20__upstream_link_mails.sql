-- Issue 12 §1: linking an upstream sign-in to the account that has its verified email, confirmed by an emailed
-- link instead of the password. The link's secret is a token of the one store, kind upstream_link: only its
-- SHA-256 is kept, it belongs to the account it would link to, expires within the hour and is used once.
alter table token drop constraint token_kind_check;
alter table token add constraint token_kind_check
    check (kind in ('session', 'api_key', 'refresh', 'authorization_code', 'agent', 'password_reset', 'upstream_link'));
alter table token add constraint upstream_link_belongs_to_an_account
    check (kind <> 'upstream_link' or (account_id is not null and client_id is null and expires_at is not null));
