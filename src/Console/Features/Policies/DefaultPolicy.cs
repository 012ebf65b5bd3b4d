namespace Warden.Features.Policies;

/// <summary>The policy a fresh installation publishes before an officer writes their own.</summary>
public static class DefaultPolicy
{
    public const string Version = "default-5";

    public const string Yaml = """
        version: "default-5"
        rules:
          - id: deny-prod-deletes
            description: Nobody deletes production data alone.
            match: { operations: [delete], resources: ["prod/**"] }
            effect: deny
            message: Deleting production data is not allowed.

          - id: deny-secrets-in-requests
            description: Requests that carry secrets or credentials are refused.
            match: { findings: [secret] }
            effect: deny
            message: The request contains what looks like a secret; remove it and ask again.

          - id: injection-needs-review
            description: Requests showing prompt-injection markers wait for an officer.
            match: { findings: [injection] }
            effect: require_approval
            approvers: 1

          - id: personal-data-leaving-scope
            description: Personal data sent to a destination outside the agent's scopes waits for an officer.
            match: { findings: [pii.outbound] }
            effect: require_approval
            approvers: 1

          - id: mask-personal-data-in-outputs
            description: Personal data in an output bound where the agent's scopes do not reach (or to a destination it does not name) is masked before release.
            match: { findings: [pii], destinations: [outside_scopes] }
            effect: mask

          - id: payments-declare-amount
            description: A payment says how much it moves, so caps, budgets and the two-approver rule see it.
            match: { tools: [payments.send] }
            require: amount
            effect: deny
            message: A payment must declare its amount (impact.amount with impact.currency).

          - id: large-payments-need-two
            description: Payments of 1,000 or more need two approvers.
            match: { tools: [payments.send], min_amount: 1000 }
            effect: require_approval
            approvers: 2
            expiry_minutes: 30

          - id: large-amounts-need-two
            description: Any action that moves 10,000 or more, through whatever tool, needs two approvers.
            match: { min_amount: 10000 }
            effect: require_approval
            approvers: 2
            expiry_minutes: 30

          - id: destructive-commands-need-review
            description: SQL that drops or empties a table and shell commands that wipe a file system or a disk wait for an officer.
            match: { findings: [destructive] }
            effect: require_approval
            approvers: 1

          - id: bulk-changes-need-approval
            description: Changing a thousand records or more at once needs approval.
            match: { operations: [write, delete], min_records: 1000 }
            effect: require_approval

          - id: after-hours-high-risk-weeknights
            description: High-risk changes on weeknights wait for an officer.
            match:
              operations: [write, delete, execute]
              risk_tiers: [high, critical]
              time_window: { days: [mon, tue, wed, thu, fri], start: "19:00", end: "07:00", time_zone: "UTC" }
            effect: require_approval

          - id: after-hours-high-risk-weekends
            description: High-risk changes at weekends wait for an officer.
            match:
              operations: [write, delete, execute]
              risk_tiers: [high, critical]
              time_window: { days: [sat, sun], start: "00:00", end: "00:00", time_zone: "UTC" }
            effect: require_approval

        tests:
          - name: reads are allowed at level 0 by the autonomy default
            request: { tool: tickets.read, operation: read, resource: helpdesk/tickets/1 }
            expect: allow
            rule: none
            reason: allowed_by_autonomy
          - name: production deletes are refused even at level 3
            request: { tool: erp.invoices, operation: delete, resource: prod/invoices/7 }
            agent: { autonomy_level: 3, risk: medium }
            expect: deny
            rule: deny-prod-deletes
          - name: a request carrying a secret is refused
            request: { tool: tickets.read, operation: read, findings: [secret.cloud_key] }
            expect: deny
            rule: deny-secrets-in-requests
          - name: injection markers wait for an officer
            request: { tool: tickets.read, operation: read, findings: [injection.override] }
            expect: pending
            rule: injection-needs-review
          - name: personal data bound outside the scopes waits for an officer
            request: { tool: mail.send, operation: execute, findings: [pii.outbound] }
            agent: { autonomy_level: 3 }
            expect: pending
            rule: personal-data-leaving-scope
          - name: personal data within the scopes is not held for that
            request: { tool: crm.read, operation: read, findings: [pii.email] }
            expect: allow
          - name: payments of 1,000 or more need two approvers
            request: { tool: payments.send, operation: execute, amount: 1500, currency: EUR }
            agent: { autonomy_level: 3, risk: medium }
            expect: pending
            rule: large-payments-need-two
          - name: a payment that does not say how much it moves is refused
            request: { tool: payments.send, operation: execute, records: 1 }
            agent: { autonomy_level: 3, risk: medium }
            expect: deny
            rule: payments-declare-amount
            reason: impact_required
          - name: a small payment at level 3 goes alone
            request: { tool: payments.send, operation: execute, amount: 200, currency: EUR }
            agent: { autonomy_level: 3, risk: medium }
            expect: allow
          - name: a large amount through a tool the payment rules do not name needs two approvers
            request: { tool: erp.transfer, operation: execute, amount: 25000, currency: EUR }
            agent: { autonomy_level: 3, risk: medium }
            expect: pending
            rule: large-amounts-need-two
          - name: a moderate amount through another tool at level 3 goes alone
            request: { tool: erp.transfer, operation: execute, amount: 2500, currency: EUR }
            agent: { autonomy_level: 3, risk: medium }
            expect: allow
          - name: a dropped table waits for an officer even at level 3
            request: { tool: db.query, operation: execute, findings: [destructive.sql] }
            agent: { autonomy_level: 3, risk: medium }
            expect: pending
            rule: destructive-commands-need-review
          - name: a wiped file system waits for an officer even at level 3
            request: { tool: shell.run, operation: execute, findings: [destructive.shell] }
            agent: { autonomy_level: 3, risk: medium }
            expect: pending
            rule: destructive-commands-need-review
          - name: bulk writes need approval
            request: { tool: crm.update, operation: write, records: 1000 }
            agent: { autonomy_level: 3 }
            expect: pending
            rule: bulk-changes-need-approval
          - name: a high-risk change on a weeknight waits
            request: { tool: repo.merge, operation: write, at: "2026-01-07T21:00:00Z" }
            agent: { autonomy_level: 3, risk: high }
            expect: pending
            rule: after-hours-high-risk-weeknights
          - name: a high-risk change in the daytime at level 3 goes alone
            request: { tool: repo.merge, operation: write, at: "2026-01-07T10:00:00Z" }
            agent: { autonomy_level: 3, risk: high }
            expect: allow
          - name: a low-risk write at level 1 runs at once and is reviewed afterwards
            request: { tool: tickets.update, operation: write, resource: helpdesk/tickets/1 }
            agent: { autonomy_level: 1, risk: low }
            expect: allow
            rule: none
            reason: review_after
          - name: a medium-risk write at level 1 waits for an officer
            request: { tool: orders.update, operation: write }
            agent: { autonomy_level: 1, risk: medium }
            expect: pending
            reason: autonomy_requires_approval
          - name: a write at level 2 goes alone only where the tool can roll it back
            request: { tool: orders.update, operation: write }
            agent: { autonomy_level: 2, risk: medium, compensable: true }
            expect: allow
            reason: allowed_by_autonomy
          - name: a write at level 2 on a tool without a compensating action waits
            request: { tool: orders.update, operation: write }
            agent: { autonomy_level: 2, risk: low }
            expect: pending
            reason: autonomy_requires_approval
          - name: critical actions always need two approvers
            request: { tool: db.admin, operation: execute }
            agent: { autonomy_level: 3, risk: critical }
            expect: pending
            reason: critical_requires_two_approvers
        """;
}
