namespace Warden.Features.Policies;

/// <summary>The policy a fresh installation publishes before an officer writes their own.</summary>
public static class DefaultPolicy
{
    public const string Version = "default-2";

    public const string Yaml = """
        version: "default-2"
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

          - id: large-payments-need-two
            description: Payments of 1,000 or more need two approvers.
            match: { tools: [payments.send], min_amount: 1000 }
            effect: require_approval
            approvers: 2
            expiry_minutes: 30

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
        """;
}
