package dev.gatehouse.audit;

import dev.gatehouse.audit.AuditEvent.Actor;
import jakarta.enterprise.context.RequestScoped;

/**
 * On admin paths, which operator is calling (set by {@link dev.gatehouse.admin.OperatorGuard}), for the
 * events the call records. Nothing is captured on other requests: the hot path pays nothing for auditing.
 */
@RequestScoped
public class AuditOrigin {
    private Actor operator;

    /** The operator calling /admin/*, if this is such a call. */
    public Actor operator() {
        return operator;
    }

    public void operator(Actor operator) {
        this.operator = operator;
    }
}
