-- The audit log (issue 9 §2; docs/audit.md): security events, appended in the transaction of the change
-- they record, never changed afterwards. Read by the person concerned (GET /settings/audit) and by
-- operators (GET /admin/audit); deleted only by housekeeping, past gatehouse.audit.retention.
create table audit_event (
    id             bigint      generated always as identity primary key,   -- the readers' cursor: newest first
    occurred_at    timestamptz not null,
    type           text        not null,           -- an AuditEvent.Type, e.g. api_key.minted
    actor_kind     text        not null check (actor_kind in ('person', 'operator', 'client', 'agent', 'anonymous', 'system')),
    actor_id       text,                           -- the account, client or agent acting; null for anonymous and system
    account_id     uuid,                           -- whose account the event concerns: what /settings/audit shows
    subject        text,                           -- what was acted on: a key's id, a client's id, a grant's id
    client_address text,                           -- the caller's address, as the proxy settings resolve it
    user_agent     text,                           -- truncated to 256 characters
    detail         jsonb       not null default '{}'::jsonb   -- a few words for people, never read back by code, never a secret
);

create index audit_event_account on audit_event (account_id, id desc) where account_id is not null;
create index audit_event_type on audit_event (type, id desc);
create index audit_event_occurred on audit_event (occurred_at);

-- Append-only: an event is never rewritten. Only housekeeping removes events, past their retention.
create function audit_event_is_append_only() returns trigger language plpgsql as $$
begin
    raise exception 'audit events are append-only';
end;
$$;
create trigger audit_event_append_only before update on audit_event
    for each row execute function audit_event_is_append_only();
