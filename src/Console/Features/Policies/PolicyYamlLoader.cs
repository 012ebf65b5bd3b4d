using System.Globalization;
using Warden.Domain;
using Warden.Domain.Agents;
using Warden.Domain.Decisions;
using Warden.Domain.People;
using Warden.Domain.Policies;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Warden.Features.Policies;

/// <summary>
/// Reads a policy document written in YAML into a compiled <see cref="Policy"/>. Anything it does not
/// understand is an error naming the line and column, never silently ignored.
/// </summary>
public sealed class PolicyYamlLoader
{
    public const int MaxDocumentLength = 512 * 1024;
    public const int MaxDepth = 32;

    private static readonly string[] DocumentFields = ["version", "rules", "tests"];
    private static readonly string[] RuleFields = ["id", "description", "match", "when", "effect", "message", "approvers", "expiry_minutes", "role"];
    private static readonly string[] MatchFields =
        ["tools", "operations", "resources", "risk_tiers", "min_amount", "min_records", "autonomy_levels", "segments", "findings", "min_confidence", "time_window"];
    private static readonly string[] WindowFields = ["days", "start", "end", "time_zone"];

    /// <summary>The compiled policy, or the first problem of the document.</summary>
    public Result<Policy> Load(string yaml)
    {
        var document = Compile(yaml);
        return document.Problems.Count == 0 && document.Policy is { } policy
            ? policy
            : document.Problems[0].ToError();
    }

    /// <summary>
    /// Reads the whole document and reports every problem it can find with its line and column: a rule
    /// (or test case) with a problem is skipped and the next one read, so one pass lists them all.
    /// </summary>
    public PolicyDocument Compile(string yaml)
    {
        if (yaml is null || yaml.Length > MaxDocumentLength)
            return PolicyDocument.Failed(new PolicyProblem(1, 1, PolicyYamlErrors.TooLargeCode, $"a policy document has at most {MaxDocumentLength} characters."));
        var reader = new DocumentReader();
        try
        {
            var stream = new YamlStream();
            try
            {
                Prescan(yaml);
                stream.Load(new StringReader(yaml));
            }
            catch (Exception ex) when (ex is InvalidOperationException or ArgumentException)
            {
                // The YAML library gives up on some malformed input without a position (found by fuzzing).
                throw Fail(PolicyYamlErrors.SyntaxCode, new Mark(), "the document is not valid YAML; look for an unclosed quote, bracket or a stray '&', '*' or '!'.");
            }
            if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" })
                throw Fail(PolicyYamlErrors.MissingFieldCode, new Mark(), "the document is empty; it needs 'version' and 'rules'.");
            if (stream.Documents.Count > 1)
                throw Fail(PolicyYamlErrors.SyntaxCode, stream.Documents[1].RootNode.Start, "one policy per document; remove the second '---'.");
            return reader.Read(stream.Documents[0].RootNode);
        }
        catch (PolicyYamlException ex)
        {
            return PolicyDocument.Failed([.. reader.Problems, ex.Problem]);
        }
        catch (YamlException ex)
        {
            var message = ex.InnerException?.Message ?? ex.Message;
            return PolicyDocument.Failed(new PolicyProblem(Math.Max(ex.Start.Line, 1), Math.Max(ex.Start.Column, 1), PolicyYamlErrors.SyntaxCode, Trim(message)));
        }
    }

    /// <summary>
    /// Reads the event stream once before the document is built: anchors and aliases are refused (a
    /// policy needs none, and self-referring aliases overflow the YAML library's stack, as fuzzing
    /// showed), and so is nesting deeper than <see cref="MaxDepth"/>, which its recursive reader
    /// would otherwise follow as deep as the text goes.
    /// </summary>
    private static void Prescan(string yaml)
    {
        var parser = new Parser(new StringReader(yaml));
        var depth = 0;
        while (parser.MoveNext())
        {
            switch (parser.Current)
            {
                case YamlDotNet.Core.Events.AnchorAlias alias:
                    throw Fail(PolicyYamlErrors.SyntaxCode, alias.Start, "aliases ('*') are not allowed in a policy document; write the value out.");
                case YamlDotNet.Core.Events.NodeEvent { Anchor.IsEmpty: false } node:
                    throw Fail(PolicyYamlErrors.SyntaxCode, node.Start, "anchors ('&') are not allowed in a policy document; write the value out.");
            }
            if (parser.Current is YamlDotNet.Core.Events.MappingStart or YamlDotNet.Core.Events.SequenceStart && ++depth > MaxDepth)
                throw Fail(PolicyYamlErrors.SyntaxCode, parser.Current.Start, $"the document nests deeper than {MaxDepth} levels.");
            if (parser.Current is YamlDotNet.Core.Events.MappingEnd or YamlDotNet.Core.Events.SequenceEnd)
                depth--;
        }
    }

    private sealed class DocumentReader
    {
        public List<PolicyProblem> Problems { get; } = [];

        public PolicyDocument Read(YamlNode root)
        {
            var document = Mapping(root, "the policy document");
            CheckFields(document, DocumentFields, "the policy document");
            var version = RequiredScalar(document, "version", root);
            var rulesNode = Required(document, "rules", root);
            if (rulesNode is not YamlSequenceNode sequence)
                throw Fail(PolicyYamlErrors.InvalidValueCode, rulesNode.Start, "'rules' must be a list of rules.");

            var rules = new List<PolicyRule>(sequence.Children.Count);
            var sources = new List<RuleSource>(sequence.Children.Count);
            var ids = new HashSet<string>(StringComparer.Ordinal);
            foreach (var node in sequence.Children)
            {
                try
                {
                    var references = new List<PolicyReference>();
                    var rule = ReadRule(node, out var idNode, references);
                    if (!ids.Add(rule.Id))
                        throw Fail(PolicyYamlErrors.DuplicateRuleIdCode, idNode.Start, $"rule id '{rule.Id}' is used twice.");
                    rules.Add(rule);
                    sources.Add(new RuleSource(rule.Id, node.Start.Line, node.Start.Column, references));
                }
                catch (PolicyYamlException ex)
                {
                    Problems.Add(ex.Problem);
                }
            }
            var tests = Find(document, "tests") is { } testsNode ? ReadTests(testsNode) : [];
            return new PolicyDocument(Problems.Count == 0 ? new Policy(version, rules) : null, version, rules, sources, tests, Problems);
        }

        private List<PolicyTestCase> ReadTests(YamlNode node)
        {
            if (node is not YamlSequenceNode sequence)
            {
                Problems.Add(Problem(PolicyYamlErrors.InvalidValueCode, node.Start, "'tests' must be a list of test cases."));
                return [];
            }
            var tests = new List<PolicyTestCase>(sequence.Children.Count);
            foreach (var child in sequence.Children)
            {
                try
                {
                    tests.Add(PolicyTestReader.Read(child));
                }
                catch (PolicyYamlException ex)
                {
                    Problems.Add(ex.Problem);
                }
            }
            return tests;
        }
    }

    private static PolicyRule ReadRule(YamlNode node, out YamlNode idNode, List<PolicyReference> references)
    {
        var rule = Mapping(node, "a rule");
        CheckFields(rule, RuleFields, "a rule");
        idNode = Find(rule, "id") ?? throw Fail(PolicyYamlErrors.RuleIdRequiredCode, node.Start, "every rule needs an 'id'.");
        var id = Scalar(idNode, "id").Trim();
        if (id.Length == 0)
            throw Fail(PolicyYamlErrors.RuleIdRequiredCode, idNode.Start, "a rule id cannot be empty.");
        var description = Find(rule, "description") is { } d ? Scalar(d, "description").Trim() : string.Empty;
        var match = Find(rule, "match") is { } m ? ReadMatch(m, references) : PolicyMatch.Any;
        if (Find(rule, "when") is { } whenNode)
        {
            var text = Scalar(whenNode, "when").Trim();
            try
            {
                match = match with { WhenText = text, When = PolicyExpressions.Compile(text) };
            }
            catch (PolicyExpressionException ex)
            {
                throw Fail(PolicyYamlErrors.InvalidExpressionCode, whenNode.Start, $"'when' of rule '{id}': {ex.Message}");
            }
        }
        return new PolicyRule(id, description, match, ReadEffect(rule, node, id));
    }

    private static PolicyEffect ReadEffect(YamlMappingNode rule, YamlNode ruleNode, string id)
    {
        var effectNode = Find(rule, "effect") ?? throw Fail(PolicyYamlErrors.MissingFieldCode, ruleNode.Start, $"rule '{id}' needs an 'effect'.");
        var message = Find(rule, "message");
        var approvers = Find(rule, "approvers");
        var expiry = Find(rule, "expiry_minutes");
        var role = Find(rule, "role");
        switch (Scalar(effectNode, "effect"))
        {
            case "allow":
                OnlyFor(message ?? approvers ?? expiry ?? role, "deny or require_approval");
                return PolicyEffect.Allow;
            case "deny":
                OnlyFor(approvers ?? expiry ?? role, "require_approval");
                var text = message is null ? null : Scalar(message, "message").Trim();
                return PolicyEffect.Deny(string.IsNullOrEmpty(text) ? $"Denied by policy rule '{id}'." : text);
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
                           $"unknown effect '{Scalar(effectNode, "effect")}'; expected allow, deny or require_approval.");
        }
    }

    /// <summary>The <c>role</c> of an approval rule: one role or a list, each checked where it is written.</summary>
    private static List<string> EligibleRoles(YamlNode node)
    {
        var items = node is YamlSequenceNode sequence ? sequence.Children.ToList() : [node];
        if (items.Count == 0)
            throw Fail(PolicyYamlErrors.InvalidValueCode, node.Start, PolicyErrors.NoEligibleRole.Message);
        var roles = new List<string>(items.Count);
        foreach (var item in items)
        {
            var text = Scalar(item, "role").Trim();
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
            Findings = List(match, "findings", (n, text) => FindingPattern(text)
                ? text
                : throw Fail(PolicyYamlErrors.InvalidValueCode, n.Start,
                             $"unknown finding kind '{text}'; expected a family (pii, secret, injection) or a kind in one, such as pii.email or secret.jwt.")),
            MinConfidence = Find(match, "min_confidence") is { } confidence ? Confidence(confidence) : null,
            Window = Find(match, "time_window") is { } window ? ReadWindow(window) : null,
        };
    }

    internal static bool FindingPattern(string text)
    {
        var family = Warden.Domain.Guardrails.FindingKinds.Family(text);
        return family is Warden.Domain.Guardrails.FindingKinds.PiiFamily or Warden.Domain.Guardrails.FindingKinds.SecretFamily
                   or Warden.Domain.Guardrails.FindingKinds.InjectionFamily
               && (text.Length == family.Length || (text.Length > family.Length + 1 && text[(family.Length + 1)..].All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or ':' or '-')));
    }

    internal static double Confidence(YamlNode node)
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

    internal static TimeWindow ReadWindow(YamlNode node)
    {
        var window = Mapping(node, "'time_window'");
        CheckFields(window, WindowFields, "'time_window'");
        var days = List(window, "days", (n, text) => ParseDay(text)
            ?? throw Fail(PolicyYamlErrors.InvalidValueCode, n.Start, $"unknown day '{text}'; expected mon, tue, wed, thu, fri, sat or sun."));
        var start = Time(Required(window, "start", node), "start");
        var end = Time(Required(window, "end", node), "end");
        var zoneNode = Required(window, "time_zone", node);
        var created = TimeWindow.Create(days, start, end, Scalar(zoneNode, "time_zone").Trim());
        return created.IsSuccess ? created.Value : throw Fail(PolicyYamlErrors.UnknownTimeZoneCode, zoneNode.Start, created.Error.Message);
    }

    internal static List<T> List<T>(YamlMappingNode parent, string field, Func<YamlNode, string, T> parse)
    {
        var node = Find(parent, field);
        if (node is null)
            return [];
        if (node is not YamlSequenceNode sequence)
            throw Fail(PolicyYamlErrors.InvalidValueCode, node.Start, $"'{field}' must be a list, e.g. [a, b].");
        var values = new List<T>(sequence.Children.Count);
        foreach (var item in sequence.Children)
        {
            var text = Scalar(item, field).Trim();
            if (text.Length == 0)
                throw Fail(PolicyYamlErrors.InvalidValueCode, item.Start, $"'{field}' cannot contain an empty value.");
            values.Add(parse(item, text));
        }
        return values;
    }

    internal static void CheckFields(YamlMappingNode mapping, string[] known, string where)
    {
        foreach (var key in mapping.Children.Keys)
        {
            var name = key is YamlScalarNode scalar ? scalar.Value : null;
            if (name is null || Array.IndexOf(known, name) < 0)
                throw Fail(PolicyYamlErrors.UnknownFieldCode, key.Start, $"unknown field '{name}' in {where}; expected one of: {string.Join(", ", known)}.");
        }
    }

    internal static YamlMappingNode Mapping(YamlNode node, string what) =>
        node as YamlMappingNode ?? throw Fail(PolicyYamlErrors.InvalidValueCode, node.Start, $"{what} must be a mapping of fields.");

    internal static YamlNode? Find(YamlMappingNode mapping, string field) =>
        mapping.Children.TryGetValue(new YamlScalarNode(field), out var value) ? value : null;

    internal static YamlNode Required(YamlMappingNode mapping, string field, YamlNode owner) =>
        Find(mapping, field) ?? throw Fail(PolicyYamlErrors.MissingFieldCode, owner.Start, $"'{field}' is required here.");

    internal static string RequiredScalar(YamlMappingNode mapping, string field, YamlNode owner)
    {
        var node = Required(mapping, field, owner);
        var text = Scalar(node, field).Trim();
        return text.Length > 0 ? text : throw Fail(PolicyYamlErrors.MissingFieldCode, node.Start, $"'{field}' cannot be empty.");
    }

    internal static string Scalar(YamlNode node, string field) =>
        node is YamlScalarNode scalar
            ? scalar.Value ?? string.Empty
            : throw Fail(PolicyYamlErrors.InvalidValueCode, node.Start, $"'{field}' must be a single value, not a list or mapping.");

    internal static int Integer(YamlNode node, string field)
    {
        var text = Scalar(node, field).Trim();
        return int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) && value >= 0
            ? value
            : throw Fail(PolicyYamlErrors.InvalidValueCode, node.Start, $"'{field}' must be a whole number of at least 0, not '{text}'.");
    }

    internal static decimal Decimal(YamlNode node, string field)
    {
        var text = Scalar(node, field).Trim();
        return decimal.TryParse(text, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) && value >= 0
            ? value
            : throw Fail(PolicyYamlErrors.InvalidValueCode, node.Start, $"'{field}' must be a number of at least 0, not '{text}'.");
    }

    private static TimeOnly Time(YamlNode node, string field)
    {
        var text = Scalar(node, field).Trim();
        return TimeOnly.TryParseExact(text, ["HH:mm", "H:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var time)
            ? time
            : throw Fail(PolicyYamlErrors.InvalidValueCode, node.Start, $"'{field}' must be a time of day such as \"18:30\", not '{text}'.");
    }

    internal static RiskTier? ParseRisk(string text) => text.ToLowerInvariant() switch
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

    private static string Trim(string message)
    {
        var text = message.Trim().TrimEnd('.');
        return text.Length == 0 ? "the document is not valid YAML." : char.ToLowerInvariant(text[0]) + text[1..] + ".";
    }

    internal static PolicyYamlException Fail(string code, Mark mark, string message) => new(Problem(code, mark, message));

    internal static PolicyProblem Problem(string code, Mark mark, string message) =>
        new(Math.Max(mark.Line, 1), Math.Max(mark.Column, 1), code, message);

    internal sealed class PolicyYamlException(PolicyProblem problem) : Exception(problem.ToString())
    {
        public PolicyProblem Problem { get; } = problem;
    }
}
