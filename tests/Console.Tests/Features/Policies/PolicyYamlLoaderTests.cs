using Warden.Domain.Agents;
using Warden.Domain.People;
using Warden.Domain.Policies;
using Warden.Features.Policies;

namespace Warden.Tests.Features.Policies;

public sealed class PolicyYamlLoaderTests
{
    private const string Example = """
        version: "2026-11-25.1"
        rules:
          - id: deny-prod-deletes
            description: Nobody deletes production data alone
            match: { operations: [delete], resources: ["prod/**"] }
            effect: deny
            message: Deleting production data is not allowed.
          - id: large-payments-need-two
            match: { tools: [payments.send], min_amount: 1000 }
            effect: require_approval
            approvers: 2
            expiry_minutes: 30
          - id: office-hours
            match:
              risk_tiers: [high, critical]
              autonomy_levels: [2, 3]
              segments: [finance]
              min_records: 10
              findings: [pii]
              time_window: { days: [mon, fri], start: "09:00", end: "17:30", time_zone: Europe/Berlin }
            effect: allow
        """;

    private readonly PolicyYamlLoader _loader = new();

    [Fact]
    public void Load_TheExampleDocument_ReadsEveryRule()
    {
        var result = _loader.Load(Example);

        result.IsSuccess.ShouldBeTrue(result.Error.Message);
        var policy = result.Value;
        policy.Version.ShouldBe("2026-11-25.1");
        policy.Rules.Select(r => r.Id).ShouldBe(["deny-prod-deletes", "large-payments-need-two", "office-hours"]);
        var deny = policy.Rules[0];
        deny.Description.ShouldBe("Nobody deletes production data alone");
        deny.Match.Operations.ShouldBe([OperationKind.Delete]);
        deny.Match.Resources.Single().Pattern.ShouldBe("prod/**");
        deny.Effect.Kind.ShouldBe(PolicyEffectKind.Deny);
        deny.Effect.Message.ShouldBe("Deleting production data is not allowed.");
        var payments = policy.Rules[1];
        payments.Match.Tools.ShouldBe(["payments.send"]);
        payments.Match.MinAmount.ShouldBe(1000m);
        payments.Effect.Approvers.ShouldBe(2);
        payments.Effect.ExpiryMinutes.ShouldBe(30);
        var hours = policy.Rules[2].Match;
        hours.RiskTiers.ShouldBe([RiskTier.High, RiskTier.Critical]);
        hours.AutonomyLevels.ShouldBe([2, 3]);
        hours.Segments.ShouldBe(["finance"]);
        hours.MinRecords.ShouldBe(10);
        hours.Findings.ShouldBe(["pii"]);
        hours.Window!.Days.ShouldBe([DayOfWeek.Monday, DayOfWeek.Friday]);
        hours.Window.End.ShouldBe(new TimeOnly(17, 30));
        hours.Window.Zone.Id.ShouldBe("Europe/Berlin");
    }

    [Fact]
    public void Load_ApprovalWithoutApproversOrExpiry_DefaultsToOneApproverForFifteenMinutes()
    {
        var yaml = "version: v1\nrules:\n  - id: r\n    effect: require_approval\n";

        var effect = _loader.Load(yaml).Value.Rules[0].Effect;

        effect.Approvers.ShouldBe(1);
        effect.ExpiryMinutes.ShouldBe(15);
    }

    [Fact]
    public void Load_TheDefaultPolicy_LoadsWithoutError()
    {
        var result = _loader.Load(DefaultPolicy.Yaml);

        result.IsSuccess.ShouldBeTrue(result.Error.Message);
        result.Value.Version.ShouldBe(DefaultPolicy.Version);
        result.Value.Rules.Count.ShouldBeGreaterThanOrEqualTo(5);
    }

    [Theory]
    [InlineData("version: v1\nrules:\n  - id: r\n    effect: deny\n    colour: red\n", PolicyYamlErrors.UnknownFieldCode, 5, 5, "colour")]
    [InlineData("version: v1\nrules:\n  - id: r\n    match: { tool: [a] }\n    effect: deny\n", PolicyYamlErrors.UnknownFieldCode, 4, 14, "tool")]
    [InlineData("version: v1\nrules:\n  - id: r\n    effect: maybe\n", PolicyYamlErrors.InvalidValueCode, 4, 13, "maybe")]
    [InlineData("version: v1\nrules:\n  - id: r\n    match: { operations: [erase] }\n    effect: deny\n", PolicyYamlErrors.InvalidValueCode, 4, 27, "erase")]
    [InlineData("version: v1\nrules:\n  - id: r\n    match: { risk_tiers: [extreme] }\n    effect: deny\n", PolicyYamlErrors.InvalidValueCode, 4, 27, "extreme")]
    [InlineData("version: v1\nrules:\n  - id: r\n    match: { resources: [\"prod/**/x\"] }\n    effect: deny\n", PolicyYamlErrors.InvalidPatternCode, 4, 26, "prod/**/x")]
    [InlineData("version: v1\nrules:\n  - id: r\n    match:\n      time_window: { start: \"09:00\", end: \"17:00\", time_zone: Mars/Olympus }\n    effect: deny\n", PolicyYamlErrors.UnknownTimeZoneCode, 5, 63, "Mars/Olympus")]
    [InlineData("version: v1\nrules:\n  - id: \"\"\n    effect: deny\n", PolicyYamlErrors.RuleIdRequiredCode, 3, 9, "empty")]
    [InlineData("version: v1\nrules:\n  - effect: deny\n", PolicyYamlErrors.RuleIdRequiredCode, 3, 5, "id")]
    [InlineData("version: v1\nrules:\n  - id: a\n    effect: deny\n  - id: a\n    effect: allow\n", PolicyYamlErrors.DuplicateRuleIdCode, 5, 9, "'a'")]
    [InlineData("version: v1\nrules:\n  - id: a\n    effect: require_approval\n    approvers: 3\n", PolicyYamlErrors.InvalidValueCode, 5, 16, "1 or 2")]
    [InlineData("version: v1\nrules:\n  - id: a\n    effect: allow\n    message: hi\n", PolicyYamlErrors.UnknownFieldCode, 5, 14, "deny")]
    [InlineData("rules: []\n", PolicyYamlErrors.MissingFieldCode, 1, 1, "version")]
    [InlineData("version: v1\nrules:\n  - id: a\n    effect: require_approval\n    role: security_oficer\n", PolicyYamlErrors.UnknownRoleCode, 5, 11, "'security_oficer' is not a role")]
    [InlineData("version: v1\nrules:\n  - id: a\n    effect: require_approval\n    role: [administrator, janitor]\n", PolicyYamlErrors.UnknownRoleCode, 5, 27, "janitor")]
    [InlineData("version: v1\nrules:\n  - id: a\n    effect: require_approval\n    role: auditor\n", PolicyYamlErrors.InvalidValueCode, 5, 11, "auditors only read")]
    [InlineData("version: v1\nrules:\n  - id: a\n    effect: require_approval\n    role: []\n", PolicyYamlErrors.InvalidValueCode, 5, 11, "at least one role")]
    [InlineData("version: v1\nrules:\n  - id: a\n    effect: deny\n    role: security_officer\n", PolicyYamlErrors.UnknownFieldCode, 5, 11, "require_approval")]
    [InlineData("version: v1\nrules:\n  - id: a\n    effect: deny\n    match: { min_amount: lots }\n", PolicyYamlErrors.InvalidValueCode, 5, 26, "lots")]
    public void Load_InvalidDocument_FailsNamingLineAndColumn(string yaml, string code, int line, int column, string mentions)
    {
        var result = _loader.Load(yaml);

        result.IsFailure.ShouldBeTrue();
        result.Error.Code.ShouldBe(code);
        result.Error.Message.ShouldStartWith($"Line {line}, column {column}: ");
        result.Error.Message.ShouldContain(mentions);
    }

    [Theory]
    [InlineData("role: security_officer", new[] { Roles.SecurityOfficer })]
    [InlineData("role: SecurityOfficer", new[] { Roles.SecurityOfficer })]
    [InlineData("role: [security_officer, administrator]", new[] { Roles.SecurityOfficer, Roles.Administrator })]
    [InlineData("role:\n      - agent_owner", new[] { Roles.AgentOwner })]
    [InlineData("approvers: 1", new[] { Roles.SecurityOfficer })]
    public void Load_ApprovalRuleRole_ReadsTheEligibleRoles_SecurityOfficersByDefault(string field, string[] roles)
    {
        var result = _loader.Load($"version: v1\nrules:\n  - id: a\n    effect: require_approval\n    {field}\n");

        result.IsSuccess.ShouldBeTrue(result.Error.Message);
        result.Value.Rules[0].Effect.EligibleRoles.ShouldBe(roles);
    }

    [Theory]
    [InlineData("version: v1\nrules:\n  - id: [a\n", 4)]
    [InlineData("version: v1\nrules:\n  - id: a\n   effect: deny\n", 4)]
    public void Load_YamlSyntaxError_FailsNamingTheLine(string yaml, int line)
    {
        var result = _loader.Load(yaml);

        result.Error.Code.ShouldBe(PolicyYamlErrors.SyntaxCode);
        result.Error.Message.ShouldStartWith($"Line {line}, column ");
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \n")]
    public void Load_EmptyDocument_FailsAsMissingFields(string yaml)
    {
        var result = _loader.Load(yaml);

        result.Error.Code.ShouldBe(PolicyYamlErrors.MissingFieldCode);
    }

    [Fact]
    public void Load_DocumentOverTheSizeLimit_FailsWithoutParsing()
    {
        var yaml = "version: v1\nrules: []\n#" + new string('x', PolicyYamlLoader.MaxDocumentLength);

        var result = _loader.Load(yaml);

        result.Error.Code.ShouldBe(PolicyYamlErrors.TooLargeCode);
    }
}
