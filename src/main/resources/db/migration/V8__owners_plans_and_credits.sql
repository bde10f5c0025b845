-- Quotas and credits (issue 8 §3; docs/credits.md). Plans themselves are configuration
-- (gatehouse.plans.catalogue); the database holds who is on which plan and what they spent.

-- Who pays for a key's use. A person's account today; an organisation later (seed 002's keys are
-- "scoped to your organisation"), which will add its own holder column beside account_id.
create table owner (
    id          uuid        primary key,
    account_id  uuid        unique references account (id) on delete cascade,
    plan        text,                             -- a name in gatehouse.plans.catalogue; null: the default plan
    created_at  timestamptz not null,
    constraint owner_has_a_holder check (account_id is not null)
);

-- The balance of record: one row per owner and calendar month (UTC). Written by the reconciler every
-- few seconds from the hot counters (credits.CreditReconciler), never per request. The allowance is
-- spent first; what is left of top-ups carries over to the next month.
create table credit_period (
    owner_id      uuid    not null references owner (id) on delete cascade,
    period_start  date    not null,                -- the first day of the month
    allowance     bigint  not null check (allowance >= 0),   -- the plan's monthly credits
    top_ups       bigint  not null check (top_ups >= 0),     -- carried over unspent from last month, plus bought this month
    spent         bigint  not null default 0 check (spent >= 0 and spent <= allowance + top_ups),
    given_away    bigint  not null default 0 check (given_away >= 0),   -- use that could not be charged (docs/credits.md)
    version       bigint  not null default 1,      -- raised by every top-up and plan change, so holdings take the new grant
    primary key (owner_id, period_start)
);

-- What each holding of a balance has had written. A holding is one loading of a month's balance into
-- Redis, or into a node's memory while Redis is down, named by a random epoch; it counts its charges
-- cumulatively, and the reconciler writes that count here. Only what is above the highest count written
-- is added to credit_period.spent, so a count written twice, late, or from an older copy of Redis adds nothing.
create table credit_holding (
    epoch         text    primary key,
    owner_id      uuid    not null,
    period_start  date    not null,
    written       bigint  not null check (written >= 0),
    foreign key (owner_id, period_start) references credit_period (owner_id, period_start) on delete cascade
);

-- Every top-up, once: an operator's reference (a payment's id) can be applied to an owner only once,
-- so a retried request never grants twice.
create table credit_top_up (
    id          uuid        primary key,
    owner_id    uuid        not null references owner (id) on delete cascade,
    credits     bigint      not null check (credits > 0),
    reference   text        not null,
    created_at  timestamptz not null,
    constraint credit_top_up_reference_key unique (owner_id, reference)
);

-- An operator's per-key rate-limit policy (a name in gatehouse.rate-limits.policies); null: the plan's.
alter table token add column rate_limit_policy text;
