-- The algorithm a client's ID tokens are signed with (OIDC Dynamic Registration §2,
-- id_token_signed_response_alg). Null: RS256, the default OpenID Connect gives.
alter table oauth_client add column id_token_signed_response_alg text
    check (id_token_signed_response_alg in ('RS256', 'ES256'));
