-- Issue 12 §2: password resets by emailed link. The link's secret is a token of the one store, kind
-- password_reset: only its SHA-256 is kept, it expires within the hour, and using it marks it used and
-- revoked at once (single use). It belongs to an account and names no client.
alter table token drop constraint token_kind_check;
alter table token add constraint token_kind_check
    check (kind in ('session', 'api_key', 'refresh', 'authorization_code', 'agent', 'password_reset'));
alter table token add constraint password_reset_belongs_to_an_account
    check (kind <> 'password_reset' or (account_id is not null and client_id is null and expires_at is not null));
