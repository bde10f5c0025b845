-- Usage history (issue 8 §4). Written by the batched usage flush (token.UsageRecorder), never per
-- request; each node adds its own counts. Rows older than gatehouse.usage.history.retention (90 days)
-- are deleted hourly.

-- Uses of each token per UTC hour. The rolling 24 hours of the high-usage alert are the current hour's
-- row and the 23 before it; GET /settings/api-keys/{id}/usage sums them into UTC days.
create table token_usage_hour (
    token_id  uuid        not null references token (id) on delete cascade,
    hour      timestamptz not null,               -- start of the UTC hour
    uses      bigint      not null check (uses > 0),
    primary key (token_id, hour)
);
create index token_usage_hour_hour_idx on token_usage_hour (hour);   -- retention

-- The last few addresses each token was used from (gatehouse.usage.history.recent-addresses, 5),
-- as GitLab shows them; older ones are deleted by the flush that adds a newer one.
create table token_usage_address (
    token_id      uuid        not null references token (id) on delete cascade,
    address       inet        not null,           -- the client address as the trusted-proxy settings resolve it
    last_seen_at  timestamptz not null,
    primary key (token_id, address)
);

-- High-usage alerts: one row per key and window (docs/usage.md). The row is inserted before anything
-- is sent, under a lock per key, so across nodes and restarts only the inserting node sends, once.
create table usage_alert (
    id               uuid        primary key,     -- also the webhook's webhook-id (msg_<id>), the same on retries
    token_id         uuid        not null references token (id) on delete cascade,
    window_start     timestamptz not null,        -- when the threshold was found crossed
    window_end       timestamptz not null,        -- window_start + 24 h: no other alert for this key before then
    uses             bigint      not null,        -- uses in the rolling 24 hours when it was crossed
    threshold        bigint      not null,
    mail_pending     boolean     not null,
    webhook_pending  boolean     not null,        -- false when no webhook is configured
    mail_sent_at     timestamptz,
    webhook_sent_at  timestamptz,
    attempts         integer     not null default 0,
    next_attempt_at  timestamptz,                 -- null: nothing left to send (sent, or given up)
    constraint usage_alert_window_key unique (token_id, window_start)
);
create index usage_alert_token_idx on usage_alert (token_id, window_end desc);
create index usage_alert_due_idx on usage_alert (next_attempt_at) where next_attempt_at is not null;
