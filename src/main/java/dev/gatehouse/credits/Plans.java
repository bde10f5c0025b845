package dev.gatehouse.credits;

import dev.gatehouse.owner.Owner;
import dev.gatehouse.owner.Owners;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.jboss.logging.Logger;

/** The plan catalogue, checked at start-up, and the plan each owner is on. */
@ApplicationScoped
public class Plans {
    private static final Logger LOG = Logger.getLogger(Plans.class);
    static final String DEFAULT = "default";

    private final Owners owners;
    private final Map<String, Plan> catalogue;
    private final Plan defaultPlan;
    private final boolean anyCharges;
    private final boolean anyLeavesRoutesOut;

    Plans(PlansConfig config, Owners owners) {
        this.owners = owners;
        Map<String, Plan> plans = new HashMap<>();
        List<String> problems = new ArrayList<>();
        config.catalogue().forEach((name, spec) -> {
            if (spec.allowance().isPresent() && spec.allowance().getAsLong() < 0) {
                problems.add("gatehouse.plans.catalogue.\"" + name + "\".allowance must not be negative");
            }
            spec.prices().forEach((route, price) -> {
                if (price < 0) {
                    problems.add("gatehouse.plans.catalogue.\"" + name + "\".prices.\"" + route + "\" must not be negative");
                }
            });
            plans.put(name, new Plan(name, spec.allowance(), spec.unit(), spec.prices(), spec.rateLimit(),
                    spec.routes().map(java.util.Set::copyOf)));
        });
        plans.putIfAbsent(DEFAULT, new Plan(DEFAULT, OptionalLong.empty(), Plan.Unit.CREDITS, Map.of(), Optional.empty(),
                Optional.empty()));
        if (!plans.containsKey(config.defaultPlan())) {
            problems.add("gatehouse.plans.default-plan names " + config.defaultPlan() + ", which gatehouse.plans.catalogue lacks");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        this.catalogue = Map.copyOf(plans);
        this.defaultPlan = plans.get(config.defaultPlan());
        this.anyCharges = plans.values().stream().anyMatch(Plan::charges);
        this.anyLeavesRoutesOut = plans.values().stream().anyMatch(plan -> plan.routes().isPresent());
    }

    /** The plan an owner is on: the one an operator chose, or the default. */
    public Plan of(Owner owner) {
        if (owner.plan().isEmpty()) {
            return defaultPlan;
        }
        Plan plan = catalogue.get(owner.plan().get());
        if (plan == null) {
            // The operator removed the plan from the catalogue: its owners fall back rather than fail.
            LOG.warnf("Owner %s is on plan %s, which the catalogue no longer has: the default plan applies",
                    owner.id(), owner.plan().get());
            return defaultPlan;
        }
        return plan;
    }

    /**
     * The plan of the owner of an account's keys, read through the owners' cache.
     *
     * @throws dev.gatehouse.outcome.StoreUnavailable if the owner was never read here and PostgreSQL cannot answer
     */
    public Plan ofAccount(java.util.UUID accountId) {
        return of(owners.ofAccount(accountId));
    }

    public Optional<Plan> named(String name) {
        return Optional.ofNullable(catalogue.get(name));
    }

    public java.util.Collection<Plan> all() {
        return catalogue.values();
    }

    /** Whether any plan names the routes it includes; if none does, every plan includes every route. */
    public boolean anyLeavesRoutesOut() {
        return anyLeavesRoutesOut;
    }

    /** Whether any plan charges at all; if none does, credits cost nothing on the request path. */
    public boolean anyCharges() {
        return anyCharges;
    }
}
