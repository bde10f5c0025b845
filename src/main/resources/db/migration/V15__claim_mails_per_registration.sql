-- How many claim links a registration has mailed (issue 10 finding 3): an agent may send only a few,
-- whatever addresses it names, so one registration cannot be used to mail strangers without end.
alter table agent_registration add column claim_mails integer not null default 0 check (claim_mails >= 0);
