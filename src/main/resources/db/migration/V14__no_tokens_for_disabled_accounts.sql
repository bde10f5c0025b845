-- A token is never written for, or moved to, a disabled account (issue 9 §1: disabling an account stops
-- every token at once). Disabling locks the account row (FOR UPDATE), sets disabled_at and revokes the
-- account's tokens in one transaction. A token written meanwhile (a key minted, a code exchanged, an agent
-- claimed) reads the account row FOR SHARE here, so it either waits for the disable and is then refused,
-- or goes first and holds the row until it commits, and the disable that follows revokes it.
create function token_refuses_disabled_account() returns trigger language plpgsql as $$
declare
    disabled timestamptz;
begin
    if new.account_id is null or new.revoked_at is not null then
        return new;
    end if;
    select disabled_at into disabled from account where id = new.account_id for share;
    if disabled is not null then
        -- SQLSTATE GH001: Gatehouse's own; the application answers it as "this account is disabled".
        raise exception 'account % is disabled', new.account_id using errcode = 'GH001';
    end if;
    return new;
end
$$;

create trigger token_account_enabled
    before insert or update of account_id on token
    for each row execute function token_refuses_disabled_account();
