-- Issue 12 §1: sign-in through upstream identity providers (Google, GitHub, any OpenID provider). One row
-- per identity at a provider linked to an account: who the provider says the person is (issuer and
-- subject, never the email, which can change hands) and when it was linked and last used. A person may link
-- several; an identity links to one account at most.
create table upstream_identity (
    id           uuid        primary key,
    provider     text        not null,           -- the configured name: gatehouse.upstream."<name>"
    issuer       text        not null,           -- the provider's issuer URL (or GitHub's API URL)
    subject      text        not null,           -- the provider's stable id for the person
    account_id   uuid        not null references account (id) on delete cascade,
    email        text,                           -- what the provider said when linking, for the person to recognise it
    linked_at    timestamptz not null,
    last_used_at timestamptz,
    constraint upstream_identity_once unique (issuer, subject)
);

create index upstream_identity_account on upstream_identity (account_id);
