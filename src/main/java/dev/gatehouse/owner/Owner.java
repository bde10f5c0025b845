package dev.gatehouse.owner;

import java.util.Optional;
import java.util.UUID;

/**
 * Who pays for a key's use and holds its plan and balance: a person's account today, an organisation
 * later (seed 002's keys are "scoped to your organisation").
 *
 * @param id        the owner's own id, which plans, balances and top-ups refer to
 * @param accountId the account it is, while owners are accounts
 * @param plan      the plan an operator put it on; empty: the deployment's default plan
 */
public record Owner(UUID id, UUID accountId, Optional<String> plan) {
}
