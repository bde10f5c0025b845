-- The last facts kept in the token's jsonb metadata, read back by string keys, get typed homes, and the column goes.
--
-- An agent registered on a provider's assertion (issue 6, specs.md §1.4): which provider and which subject its key
-- was issued for, so the provider's logout token for that (iss, sub) revokes every such key.
create table agent_provider_credential (
    token_id uuid primary key references token (id) on delete cascade,  -- the agent key
    issuer   text not null,                                             -- the agent provider's iss
    subject  text not null                                              -- its sub for the person
);
create index agent_provider_credential_subject on agent_provider_credential (issuer, subject);

insert into agent_provider_credential (token_id, issuer, subject)
select id, metadata ->> 'iss', metadata ->> 'sub' from token
where kind = 'agent' and metadata ? 'iss' and metadata ? 'sub';

-- Sessions derive their CSRF token from their secret and read the email from the account; other registrations
-- name their key in agent_registration.credential_id. Nothing else was kept there.
alter table token drop column metadata;
