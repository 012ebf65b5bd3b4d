using System.Globalization;
using Warden.Domain.Agents;
using Warden.Domain.Decisions;
using Warden.Domain.People;
using Warden.Domain.Policies;
using YamlDotNet.RepresentationModel;
using static Warden.Features.Policies.PolicyYamlNodes;

namespace Warden.Features.Policies;

/// <summary>Compiles one rule of a policy document: its match, its condition and its effect, each value checked where it is written.</summary>
internal static class PolicyRuleReader
{
    private static readonly string[] RuleFields = ["id", "description", "match", "when", "require", "effect", "message", "approvers", "expiry_minutes", "role", "review", "rationale"];
    private static readonly string[] MatchFields =
        ["tools", "operations", "resources", "risk_tiers", "min_amount", "min_records", "autonomy_levels", "segments", "agents", "findings", "min_confidence", "destinations", "time_window"];
    private static readonly string[] WindowFields = ["days", "start", "end", "time_zone"];

    public static PolicyRule Read(YamlNode node, out YamlNode idNode, List<PolicyReference> references)
    {
        var rule = Mapping(node, "a rule");
        CheckFields(rule, RuleFields, "a rule");
        idNode = Find(rule, "id") ?? throw Fail(PolicyYamlErrors.RuleIdRequiredCode, node.Start, "every rule needs an 'id'.");
        var id = PolicyYamlNodes.Scalar(idNode, "id").Trim();
        if (id.Length == 0)
            throw Fail(PolicyYamlErrors.RuleIdRequiredCode, idNode.Start, "a rule id cannot be empty.");
        var description = Find(rule, "description") is { } d ? PolicyYamlNodes.Scalar(d, "description").Trim() : string.Empty;
        var match = Find(rule, "match") is { } m ? ReadMatch(m, references) : PolicyMatch.Any;
        if (Find(rule, "when") is { } whenNode)
        {
            var text = PolicyYamlNodes.Scalar(whenNode, "when").Trim();
            try
            {
                match = match with { WhenText = text, When = PolicyExpressions.Compile(text) };
            }
            catch (PolicyExpressionException ex)
            {
                throw Fail(PolicyYamlErrors.InvalidExpressionCode, whenNode.Start, $"'when' of rule '{id}': {ex.Message}");
            }
        }
        if (Find(rule, "require") is { } requireNode)
            match = match with { Requires = ReadRequirements(requireNode) };
        var rationale = Find(rule, "rationale") is { } r ? PolicyYamlNodes.Scalar(r, "rationale").Trim() : null;
        return new PolicyRule(id, description, match, ReadEffect(rule, node, id, match)) { Rationale = string.IsNullOrEmpty(rationale) ? null : rationale };
    }

    /// <summary>The <c>require</c> of a rule: one requirement or a list of impact, records, amount and preview.</summary>
    private static List<PolicyRequirement> ReadRequirements(YamlNode node)
    {
        var items = node is YamlSequenceNode sequence ? sequence.Children.ToList() : [node];
        if (items.Count == 0)
            throw Fail(PolicyYamlErrors.InvalidValueCode, node.Start, "'require' names what a request must carry, e.g. impact.");
        var requirements = new List<PolicyRequirement>(items.Count);
        foreach (var item in items)
        {
            var text = PolicyYamlNodes.Scalar(item, "require").Trim();
            requirements.Add(text.ToLowerInvariant() switch
            {
                "impact" => PolicyRequirement.Impact,
                "records" => PolicyRequirement.Records,
                "amount" => PolicyRequirement.Amount,
                "preview" => PolicyRequirement.Preview,
                _ => throw Fail(PolicyYamlErrors.InvalidValueCode, item.Start, $"unknown requirement '{text}'; expected impact, records, amount or preview."),
            });
        }
        return requirements.Distinct().ToList();
    }

    private static PolicyEffect ReadEffect(YamlMappingNode rule, YamlNode ruleNode, string id, PolicyMatch match)
    {
        var requires = match.Requires;
        var effectNode = Find(rule, "effect") ?? throw Fail(PolicyYamlErrors.MissingFieldCode, ruleNode.Start, $"rule '{id}' needs an 'effect'.");
        var message = Find(rule, "message");
        var approvers = Find(rule, "approvers");
        var expiry = Find(rule, "expiry_minutes");
        var role = Find(rule, "role");
        var review = Find(rule, "review");
        if (PolicyYamlNodes.Scalar(effectNode, "effect") != "allow")
            OnlyFor(review, "allow");
        switch (PolicyYamlNodes.Scalar(effectNode, "effect"))
        {
            case "mask":
                OnlyFor(message ?? approvers ?? expiry ?? role, "deny or require_approval");
                // A mask acts on findings in an output; without them there is nothing to mask.
                if (match.Findings.Count == 0 || requires.Count > 0)
                    throw Fail(PolicyYamlErrors.InvalidValueCode, effectNode.Start,
                               $"rule '{id}' masks findings in outputs, so its match names the findings it masks (e.g. findings: [pii]) and it has no 'require'.");
                return PolicyEffect.Mask;
            case "allow":
                OnlyFor(message ?? approvers ?? expiry ?? role, "deny or require_approval");
                // A rule with 'require' applies to the requests that lack something; allowing them would reward the lack.
                if (requires.Count > 0)
                    throw Fail(PolicyYamlErrors.InvalidValueCode, effectNode.Start,
                               $"rule '{id}' has 'require', so it applies to requests that lack it; its effect must be deny or require_approval.");
                return review is null ? PolicyEffect.Allow : ReadReview(review);
            case "deny":
                OnlyFor(approvers ?? expiry ?? role, "require_approval");
                var text = message is null ? null : PolicyYamlNodes.Scalar(message, "message").Trim();
                return PolicyEffect.Deny(!string.IsNullOrEmpty(text) ? text
                    : requires.Count > 0 ? $"Rule '{id}' requires this request to declare {Lacking(requires)}; it did not."
                    : $"Denied by policy rule '{id}'.");
            case "require_approval":
                OnlyFor(message, "deny");
                var count = approvers is null ? 1 : Integer(approvers, "approvers");
                var minutes = expiry is null ? PolicyEffect.DefaultExpiryMinutes : Integer(expiry, "expiry_minutes");
                var effect = PolicyEffect.RequireApproval(count, minutes, role is null ? null : EligibleRoles(role));
                return effect.IsSuccess
                    ? effect.Value
                    : throw Fail(PolicyYamlErrors.InvalidValueCode, (count is < 1 or > 2 ? approvers! : expiry!).Start, effect.Error.Message);
            default:
                throw Fail(PolicyYamlErrors.InvalidValueCode, effectNode.Start,
                           $"unknown effect '{PolicyYamlNodes.Scalar(effectNode, "effect")}'; expected allow, deny, require_approval or mask.");
        }
    }

    /// <summary>The <c>review</c> of an allow rule: <c>after</c>, the action runs at once and a person reviews it afterwards.</summary>
    private static PolicyEffect ReadReview(YamlNode node) => PolicyYamlNodes.Scalar(node, "review").Trim().ToLowerInvariant() switch
    {
        "after" => PolicyEffect.AllowWithReview,
        "none" => PolicyEffect.Allow,
        var other => throw Fail(PolicyYamlErrors.InvalidValueCode, node.Start, $"unknown review '{other}'; expected after (reviewed after the action ran) or none."),
    };

    private static string Lacking(IReadOnlyList<PolicyRequirement> requires) => string.Join(" and ", requires.Select(r => r switch
    {
        PolicyRequirement.Records => "how many records it touches (impact.records)",
        PolicyRequirement.Amount => "the amount it moves (impact.amount with impact.currency)",
        PolicyRequirement.Preview => "a preview of what it would change (preview, or the tool's preview endpoint)",
        _ => "its impact (impact.records or impact.amount)",
    }));

    /// <summary>The <c>role</c> of an approval rule: one role or a list, each checked where it is written.</summary>
    private static List<string> EligibleRoles(YamlNode node)
    {
        var items = node is YamlSequenceNode sequence ? sequence.Children.ToList() : [node];
        if (items.Count == 0)
            throw Fail(PolicyYamlErrors.InvalidValueCode, node.Start, PolicyErrors.NoEligibleRole.Message);
        var roles = new List<string>(items.Count);
        foreach (var item in items)
        {
            var text = PolicyYamlNodes.Scalar(item, "role").Trim();
            var role = Roles.Parse(text);
            var refused = role is null ? PolicyErrors.UnknownRole(text) : PolicyEffect.CheckEligible(role);
            if (refused is not null)
                throw Fail(role is null ? PolicyYamlErrors.UnknownRoleCode : PolicyYamlErrors.InvalidValueCode, item.Start, refused.Message);
            roles.Add(role!);
        }
        return roles;
    }

    private static void OnlyFor(YamlNode? field, string effects)
    {
        if (field is not null)
            throw Fail(PolicyYamlErrors.UnknownFieldCode, field.Start, $"this field only applies to rules whose effect is {effects}.");
    }

    private static PolicyMatch ReadMatch(YamlNode node, List<PolicyReference> references)
    {
        var match = Mapping(node, "'match'");
        CheckFields(match, MatchFields, "'match'");
        return new PolicyMatch
        {
            Tools = List(match, "tools", (n, text) => Referenced(references, "tool", text, n)),
            Operations = List(match, "operations", (n, text) => OperationNames.TryParse(text, out var kind)
                ? kind
                : throw Fail(PolicyYamlErrors.InvalidValueCode, n.Start, $"unknown operation '{text}'; expected {OperationNames.All}.")),
            Resources = List(match, "resources", (n, text) => ResourceScope.Create(text) is { IsSuccess: true } scope
                ? scope.Value
                : throw Fail(PolicyYamlErrors.InvalidPatternCode, n.Start, ResourceScope.Create(text).Error.Message)),
            RiskTiers = List(match, "risk_tiers", (n, text) => ParseRisk(text)
                ?? throw Fail(PolicyYamlErrors.InvalidValueCode, n.Start, $"unknown risk tier '{text}'; expected low, medium, high or critical.")),
            MinAmount = Find(match, "min_amount") is { } amount ? Decimal(amount, "min_amount") : null,
            MinRecords = Find(match, "min_records") is { } records ? Integer(records, "min_records") : null,
            AutonomyLevels = List(match, "autonomy_levels", (n, text) => int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var level) && level <= 3
                ? level
                : throw Fail(PolicyYamlErrors.InvalidValueCode, n.Start, $"autonomy level '{text}' is not 0, 1, 2 or 3.")),
            Segments = List(match, "segments", (n, text) => Referenced(references, "segment", text, n)),
            Agents = List(match, "agents", (n, text) => AgentId.TryParse(text, out var agent)
                ? agent.Value
                : throw Fail(PolicyYamlErrors.InvalidValueCode, n.Start, $"'{text}' is not an agent id such as agt_01JD5X7Q2W3E4R5T6Y7U8I9O0P.")),
            Findings = List(match, "findings", (n, text) => FindingPattern(text)
                ? text
                : throw Fail(PolicyYamlErrors.InvalidValueCode, n.Start,
                             $"unknown finding kind '{text}'; expected a family (pii, phi, secret, injection, destructive) or a kind in one, such as pii.email, phi.mrn or secret.jwt.")),
            MinConfidence = Find(match, "min_confidence") is { } confidence ? Confidence(confidence) : null,
            Destinations = List(match, "destinations", (n, text) => DestinationPattern(text)
                ? text.ToLowerInvariant()
                : throw Fail(PolicyYamlErrors.InvalidValueCode, n.Start,
                             $"destination '{text}' is neither {PolicyMatch.OutsideScopes} nor a host such as mail.example.com or *.example.com.")),
            Window = Find(match, "time_window") is { } window ? ReadWindow(window) : null,
        };
    }

    /// <summary><c>outside_scopes</c>, a host name, or <c>*.</c> and a host name (its subdomains).</summary>
    public static bool DestinationPattern(string text)
    {
        if (text == PolicyMatch.OutsideScopes)
            return true;
        var host = text.StartsWith("*.", StringComparison.Ordinal) ? text[2..] : text;
        return host.Contains('.', StringComparison.Ordinal) && Uri.CheckHostName(host) is UriHostNameType.Dns or UriHostNameType.IPv4;
    }

    public static bool FindingPattern(string text)
    {
        var family = Warden.Domain.Guardrails.FindingKinds.Family(text);
        return family is Warden.Domain.Guardrails.FindingKinds.PiiFamily or Warden.Domain.Guardrails.FindingKinds.PhiFamily or Warden.Domain.Guardrails.FindingKinds.SecretFamily
                   or Warden.Domain.Guardrails.FindingKinds.InjectionFamily or Warden.Domain.Guardrails.FindingKinds.DestructiveFamily
               && (text.Length == family.Length || (text.Length > family.Length + 1 && text[(family.Length + 1)..].All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or ':' or '-')));
    }

    private static double Confidence(YamlNode node)
    {
        var value = Decimal(node, "min_confidence");
        return value is >= 0 and <= 1
            ? (double)value
            : throw Fail(PolicyYamlErrors.InvalidValueCode, node.Start, "'min_confidence' is a number from 0 to 1, e.g. 0.8.");
    }

    private static string Referenced(List<PolicyReference> references, string kind, string name, YamlNode node)
    {
        references.Add(new PolicyReference(kind, name, node.Start.Line, node.Start.Column));
        return name;
    }

    private static TimeWindow ReadWindow(YamlNode node)
    {
        var window = Mapping(node, "'time_window'");
        CheckFields(window, WindowFields, "'time_window'");
        var days = List(window, "days", (n, text) => ParseDay(text)
            ?? throw Fail(PolicyYamlErrors.InvalidValueCode, n.Start, $"unknown day '{text}'; expected mon, tue, wed, thu, fri, sat or sun."));
        var start = Time(Required(window, "start", node), "start");
        var end = Time(Required(window, "end", node), "end");
        var zoneNode = Required(window, "time_zone", node);
        var created = TimeWindow.Create(days, start, end, PolicyYamlNodes.Scalar(zoneNode, "time_zone").Trim());
        return created.IsSuccess ? created.Value : throw Fail(PolicyYamlErrors.UnknownTimeZoneCode, zoneNode.Start, created.Error.Message);
    }

    private static TimeOnly Time(YamlNode node, string field)
    {
        var text = PolicyYamlNodes.Scalar(node, field).Trim();
        return TimeOnly.TryParseExact(text, ["HH:mm", "H:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var time)
            ? time
            : throw Fail(PolicyYamlErrors.InvalidValueCode, node.Start, $"'{field}' must be a time of day such as \"18:30\", not '{text}'.");
    }

    public static RiskTier? ParseRisk(string text) => text.ToLowerInvariant() switch
    {
        "low" => RiskTier.Low,
        "medium" => RiskTier.Medium,
        "high" => RiskTier.High,
        "critical" => RiskTier.Critical,
        _ => null,
    };

    private static DayOfWeek? ParseDay(string text) => text.ToLowerInvariant() switch
    {
        "mon" or "monday" => DayOfWeek.Monday,
        "tue" or "tuesday" => DayOfWeek.Tuesday,
        "wed" or "wednesday" => DayOfWeek.Wednesday,
        "thu" or "thursday" => DayOfWeek.Thursday,
        "fri" or "friday" => DayOfWeek.Friday,
        "sat" or "saturday" => DayOfWeek.Saturday,
        "sun" or "sunday" => DayOfWeek.Sunday,
        _ => null,
    };
}
