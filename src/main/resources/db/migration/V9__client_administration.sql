-- Clients an operator manages through the admin API (issue 9 §1; docs/admin.md).

-- Who made the client: the admin API and declarative configuration join the start-up seed, dynamic
-- registration and metadata documents.
alter table oauth_client drop constraint oauth_client_origin_check;
alter table oauth_client add constraint oauth_client_origin_check
    check (origin in ('seeded', 'registered', 'metadata_document', 'admin', 'configured'));

-- A rotated secret keeps working until its grace period ends (POST /admin/clients/{id}/secret), so the
-- services holding it can move to the new one without a moment of refusals.
alter table oauth_client add column previous_secret_hash       bytea;
alter table oauth_client add column previous_secret_expires_at timestamptz;
alter table oauth_client add constraint oauth_client_previous_secret_expires
    check ((previous_secret_hash is null) = (previous_secret_expires_at is null));

-- The client's own token lifetimes, never longer than the deployment's; null: the deployment's.
alter table oauth_client add column access_token_lifetime_seconds  integer check (access_token_lifetime_seconds > 0);
alter table oauth_client add column refresh_token_lifetime_seconds integer check (refresh_token_lifetime_seconds > 0);

alter table oauth_client add column updated_at timestamptz;

-- Paging through clients in the admin API goes by client_id, the primary key: no index to add.
