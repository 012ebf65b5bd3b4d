using System.Text.Json;
using Warden.Domain.Autonomy;
using Warden.Domain.Decisions;
using Warden.Domain.Guardrails;
using Warden.Features.Decisions;

namespace Warden.Tests.Features.Decisions;

/// <summary>
/// The decision path writes its JSON with generated serializers and its audit event without parsing the
/// reasons again; every document must stay the one the web defaults of the reflection serializer wrote.
/// </summary>
public sealed class DecisionJsonTests
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 12, 30, 15, 123, TimeSpan.FromHours(1));

    private const string Awkward = "O'Brien <b>&</b> \"quoted\" back\\slash café 😀 tab\t";

    private static DecisionRecord Decided(string? severityRule = null) => new()
    {
        Id = "dec_0001", AgentId = "agt_json", DecidedAt = Now, Tool = "crm.<read>", Operation = "read", Resource = Awkward,
        Outcome = DecisionOutcome.Deny, State = DecisionState.Denied, RiskTier = "high", PolicyVersion = "p-7",
        MatchedRuleId = severityRule, OtherRuleIds = severityRule is null ? null : "r-2 r-3", IsViolation = severityRule is not null,
        ViolationSeverity = severityRule is null ? null : ViolationSeverity.Medium, RequestDigest = "sha256:ab",
        ReviewOf = severityRule is null ? null : "dec_0000",
        Reasons = JsonSerializer.Serialize(
            new[] { new ReasonBody("policy_deny", Awkward), new ReasonBody("approval_vote", "ok", "officer@x", "approve", Now) }, Web),
    };

    [Theory]
    [InlineData(null, false)]
    [InlineData("deny-prod-deletes", true)]
    public void EventData_OfADecision_IsTheDocumentTheSerializerWroteFromTheParsedReasons(string? rule, bool withFindings)
    {
        var record = Decided(rule);
        IReadOnlyList<string>? findings = withFindings ? ["secret.aws", "pii.email"] : null;

        var written = DecisionJournal.EventData(record, findings);

        written.ShouldBe(JsonSerializer.Serialize(new
        {
            decision = record.Id,
            record.Tool,
            record.Operation,
            record.Resource,
            outcome = record.Outcome.ToString().ToLowerInvariant(),
            reasons = JsonSerializer.Deserialize<JsonElement>(record.Reasons),
            record.RiskTier,
            record.PolicyVersion,
            rule = record.MatchedRuleId,
            otherRules = record.OtherRuleIds,
            violation = record.IsViolation,
            severity = record.ViolationSeverity?.ToString().ToLowerInvariant(),
            digest = record.RequestDigest,
            findings,
            reviewOf = record.ReviewOf,
        }, Web));
    }

    [Fact]
    public void EventData_WithReasonsThatAreNotJson_Throws()
    {
        var record = Decided();
        record.Reasons = "[{\"code\":";

        Record.Exception(() => DecisionJournal.EventData(record, null)).ShouldNotBeNull();
    }

    [Fact]
    public void DecisionResponse_WrittenByTheGeneratedSerializer_IsTheReflectionSerializersDocument()
    {
        var answer = new DecisionResponse(
            "dec_1", "allow", "allowed",
            [new ReasonBody("allowed_by_autonomy", Awkward), new ReasonBody("approval_vote", "fine", "officer@x", "approve", Now)],
            new GrantBody("eyJ.a.b", Now), new ApprovalBody("apr_1", 2, Now), "p-7", null)
        {
            PreviewDigest = "sha256:cd",
            Release = new ReleaseBody(JsonSerializer.Deserialize<JsonElement>("{\"a\":[1,2.50,\"<x>\"]}"), Awkward, "ff", [new MaskedKind("pii.email", 2)], "jws"),
        };
        var bare = new DecisionResponse("dec_2", "deny", "denied", [], null, null, "p-7", "low");

        JsonSerializer.Serialize(answer, DecisionJson.Default.DecisionResponse).ShouldBe(JsonSerializer.Serialize(answer, Web));
        JsonSerializer.Serialize(bare, DecisionJson.Default.DecisionResponse).ShouldBe(JsonSerializer.Serialize(bare, Web));
    }

    [Fact]
    public void DecisionRequestBody_ReadByTheGeneratedSerializer_IsWhatTheReflectionSerializerRead()
    {
        const string body = """
            {"TOOL":"crm.read","operation":"read","resource":"crm/accounts/42","parameters":{"id":42,"note":"<hi>"},
             "impact":{"records":"3","amount":12.50,"currency":"EUR"},"justification":"because","dryRun":false,
             "preview":{"summary":"one row","records":["a",null],"amount":"1.5"}}
            """;

        var generated = JsonSerializer.Deserialize(body, DecisionJson.Default.DecisionRequestBody);
        var reflected = JsonSerializer.Deserialize<DecisionRequestBody>(body, Web);

        JsonSerializer.Serialize(generated, Web).ShouldBe(JsonSerializer.Serialize(reflected, Web));
        generated!.Impact!.Records.ShouldBe(3);
        generated.Preview!.Amount.ShouldBe(1.5m);
    }

    [Fact]
    public void StoredReasons_ReadByTheGeneratedSerializer_KeepVotesAndOmitWhatIsAbsent()
    {
        var reasons = new List<ReasonBody> { new("policy_deny", Awkward), new("approval_vote", "fine", "officer@x", "approve", Now) };

        var stored = JsonSerializer.Serialize(reasons, DecisionJson.Default.ListReasonBody);

        stored.ShouldBe(JsonSerializer.Serialize(reasons, Web));
        JsonSerializer.Deserialize(stored, DecisionJson.Default.ListReasonBody).ShouldBe(reasons);
    }
}
