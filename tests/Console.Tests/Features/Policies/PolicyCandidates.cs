using Warden.Domain;
using Warden.Features.Policies;
using Warden.Tests.Support;

namespace Warden.Tests.Features.Policies;

/// <summary>Policy versions built from the default policy, saved and published the real way.</summary>
internal static class PolicyCandidates
{
    /// <summary>Account updates wait for an officer who is also an administrator; a later rule would allow them.</summary>
    public const string AdminOfficersReviewUpdates = """
          - id: crm-updates-by-admin-officers
            description: Account updates wait for an officer who administers the CRM.
            match: { tools: [crm.update] }
            effect: require_approval
            role: administrator

          - id: crm-updates-routine
            description: Account updates are routine.
            match: { tools: [crm.update] }
            effect: allow

        """;

    public const string ReadsReviewed = """
          - id: crm-reads-reviewed
            description: CRM reads wait for an officer while the CRM is migrated.
            match: { tools: [crm.read] }
            effect: require_approval

        """;

    public const string UpdatesAllowed = """
          - id: crm-updates-allowed
            description: Account updates are routine.
            match: { tools: [crm.update] }
            effect: allow

        """;

    /// <summary>The default policy with <paramref name="rules"/> after its own rules, and its own version label.</summary>
    public static string Appended(string label, string rules) =>
        Labelled(label).Replace("tests:\n", rules + "tests:\n", StringComparison.Ordinal);

    /// <summary>The default policy with <paramref name="rules"/> before its own rules.</summary>
    public static string Prepended(string label, string rules) =>
        Labelled(label).Replace("rules:\n", "rules:\n" + rules, StringComparison.Ordinal);

    /// <summary>CRM reads held for review, with the one default test case it would break moved to another tool.</summary>
    public static string WithReadsReviewed(string label) =>
        Prepended(label, ReadsReviewed).Replace("request: { tool: crm.read, operation: read, findings: [pii.email] }",
                                                "request: { tool: tickets.read, operation: read, findings: [pii.email] }", StringComparison.Ordinal);

    public static async Task<int> SaveAsync(WardenAppFactory app, string yaml)
    {
        var saved = await app.AsUserAsync<PolicyService, Result<PolicyVersionView>>(DemoAccounts.Officer, s => s.SaveAsync(yaml, "test version"));
        saved.IsSuccess.ShouldBeTrue(saved.IsFailure ? saved.Error.ToString() : null);
        saved.Value.Publishable.ShouldBeTrue($"version {saved.Value.Id} has problems or failing tests: {saved.Value}");
        return saved.Value.Id;
    }

    public static async Task<int> PublishAsync(WardenAppFactory app, string yaml)
    {
        var version = await SaveAsync(app, yaml);
        var published = await app.AsUserAsync<PolicyPublicationService, Result<PublishResult>>(DemoAccounts.Officer, s => s.PublishAsync(version, "for the test"));
        published.IsSuccess.ShouldBeTrue(published.IsFailure ? published.Error.ToString() : null);
        published.Value.Publication.State.ShouldBe(PublicationState.Published);
        return version;
    }

    private static string Labelled(string label) =>
        DefaultPolicy.Yaml.Replace($"version: \"{DefaultPolicy.Version}\"", $"version: \"{label}\"", StringComparison.Ordinal);
}
