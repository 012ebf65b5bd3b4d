using Warden.Domain;
using Warden.Domain.Policies;
using Warden.Features.Policies.Packs;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;
using static Warden.Features.Policies.PolicyYamlNodes;

namespace Warden.Features.Policies;

/// <summary>
/// Reads a policy document written in YAML into a compiled <see cref="Policy"/>. Anything it does not
/// understand is an error naming the line and column, never silently ignored.
/// </summary>
public sealed class PolicyYamlLoader(PolicyPacks packs)
{
    public PolicyYamlLoader()
        : this(PolicyPacks.Shipped)
    {
    }

    /// <summary>The packs a document may adopt under <c>packs</c>.</summary>
    public PolicyPacks Packs { get; } = packs;

    public const int MaxDocumentLength = 512 * 1024;
    public const int MaxDepth = 32;

    private static readonly string[] DocumentFields = ["version", "rules", "tests", "packs"];
    private static readonly string[] PackFields = ["pack", "version", "title", "summary", "rules", "tests"];
    private static readonly string[] AdoptionFields = ["id", "version"];

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
    public PolicyDocument Compile(string yaml) => Compile(yaml, new DocumentReader(Packs, packMode: false));

    /// <summary>
    /// Reads a pack file: a policy document with the pack's id, title and summary, whose rules each give
    /// a rationale and only tighten (deny, require_approval or mask: an allow would widen the policy
    /// that adopts it).
    /// </summary>
    public static PackDocument CompilePack(string yaml)
    {
        var reader = new DocumentReader(PolicyPacks.None, packMode: true);
        var document = Compile(yaml, reader);
        if (document.Problems.Count > 0 || document.Policy is null || reader.PackHeader is not { } header)
            return new PackDocument(null, document.Problems.Count > 0 ? document.Problems : [new PolicyProblem(1, 1, PolicyYamlErrors.MissingFieldCode, "a pack needs 'pack', 'version', 'title' and 'summary'.")]);
        var failing = PolicyTestRunner.Run(document.Policy, document.Tests).Where(t => !t.Passed).ToList();
        if (document.Tests.Count == 0)
            return new PackDocument(null, [new PolicyProblem(1, 1, PolicyYamlErrors.MissingFieldCode, $"pack '{header.Id}' has no test cases.")]);
        var pack = new PolicyPack(header.Id, header.Version, header.Title, header.Summary, document.Rules, document.Tests, yaml);
        return new PackDocument(pack, failing.Select(f => new PolicyProblem(f.Case.Line, 1, PackErrors.TestFailedCode, $"test '{f.Case.Name}' fails: {f.Failure}.")).ToList())
        {
            Failing = failing,
        };
    }

    private static PolicyDocument Compile(string yaml, DocumentReader reader)
    {
        if (yaml is null || yaml.Length > MaxDocumentLength)
            return PolicyDocument.Failed(new PolicyProblem(1, 1, PolicyYamlErrors.TooLargeCode, $"a policy document has at most {MaxDocumentLength} characters."));
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

    private sealed class DocumentReader(PolicyPacks packs, bool packMode)
    {
        public List<PolicyProblem> Problems { get; } = [];

        public PackHeader? PackHeader { get; private set; }

        public PolicyDocument Read(YamlNode root)
        {
            var document = Mapping(root, packMode ? "a pack" : "the policy document");
            CheckFields(document, packMode ? PackFields : DocumentFields, packMode ? "a pack" : "the policy document");
            var version = RequiredScalar(document, "version", root);
            if (packMode)
                PackHeader = ReadHeader(document, root, version);
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
                    var rule = PolicyRuleReader.Read(node, out var idNode, references);
                    if (!ids.Add(rule.Id))
                        throw Fail(PolicyYamlErrors.DuplicateRuleIdCode, idNode.Start, $"rule id '{rule.Id}' is used twice.");
                    if (packMode)
                        CheckPackRule(rule, node);
                    rules.Add(rule);
                    sources.Add(new RuleSource(rule.Id, node.Start.Line, node.Start.Column, references));
                }
                catch (PolicyYamlException ex)
                {
                    Problems.Add(ex.Problem);
                }
            }
            var tests = Find(document, "tests") is { } testsNode ? ReadTests(testsNode) : [];
            var adopted = Find(document, "packs") is { } packsNode ? ReadAdoptions(packsNode, ids) : [];
            var compiled = rules.Concat(adopted.SelectMany(a => a.Pack.AdoptedRules())).ToList();
            return new PolicyDocument(Problems.Count == 0 ? new Policy(version, compiled) : null, version, rules, sources, tests, Problems)
            {
                Packs = adopted,
            };
        }

        private static PackHeader ReadHeader(YamlMappingNode document, YamlNode root, string version)
        {
            var idNode = Required(document, "pack", root);
            var id = PolicyYamlNodes.Scalar(idNode, "pack").Trim();
            if (!PackErrors.IsPackId(id))
                throw Fail(PolicyYamlErrors.InvalidValueCode, idNode.Start, $"a pack id is lowercase words joined by '-', not '{id}'.");
            var versionNode = Required(document, "version", root);
            if (!int.TryParse(version, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number) || number < 1)
                throw Fail(PolicyYamlErrors.InvalidValueCode, versionNode.Start, $"a pack's version is a whole number from 1, not '{version}'.");
            return new PackHeader(id, number, RequiredScalar(document, "title", root), RequiredScalar(document, "summary", root));
        }

        private static void CheckPackRule(PolicyRule rule, YamlNode node)
        {
            if (rule.Effect.Kind == PolicyEffectKind.Allow)
                throw Fail(PackErrors.AllowInPackCode, node.Start, $"rule '{rule.Id}' allows; a pack only tightens (deny, require_approval or mask), since its allow would widen every policy that adopts it.");
            if (string.IsNullOrWhiteSpace(rule.Rationale))
                throw Fail(PolicyYamlErrors.MissingFieldCode, node.Start, $"rule '{rule.Id}' needs a 'rationale': why the pack has it.");
        }

        /// <summary><c>packs: [{ id: financial-services, version: 1 }]</c>: each entry a shipped pack, each pack once.</summary>
        private List<AdoptedPack> ReadAdoptions(YamlNode node, HashSet<string> ruleIds)
        {
            if (node is not YamlSequenceNode sequence)
            {
                Problems.Add(Problem(PolicyYamlErrors.InvalidValueCode, node.Start, "'packs' must be a list such as [{ id: financial-services, version: 1 }]."));
                return [];
            }
            var adopted = new List<AdoptedPack>();
            foreach (var child in sequence.Children)
            {
                try
                {
                    var entry = Mapping(child, "a pack entry");
                    CheckFields(entry, AdoptionFields, "a pack entry");
                    var idNode = Required(entry, "id", child);
                    var id = PolicyYamlNodes.Scalar(idNode, "id").Trim();
                    var versionNode = Required(entry, "version", child);
                    var version = Integer(versionNode, "version");
                    var versions = packs.VersionsOf(id);
                    if (versions.Count == 0)
                        throw Fail(PackErrors.UnknownPackCode, idNode.Start, $"there is no pack '{id}'; the packs are {string.Join(", ", packs.Ids)}.");
                    if (packs.Find(id, version) is not { } pack)
                        throw Fail(PackErrors.UnknownVersionCode, versionNode.Start, $"pack '{id}' has no version {version}; it has {string.Join(", ", versions)}.");
                    if (adopted.Exists(a => a.Pack.Id == id))
                        throw Fail(PackErrors.AdoptedTwiceCode, idNode.Start, $"pack '{id}' is adopted twice; name one version.");
                    if (pack.AdoptedRules().FirstOrDefault(r => ruleIds.Contains(r.Id)) is { } clash)
                        throw Fail(PolicyYamlErrors.DuplicateRuleIdCode, idNode.Start, $"rule id '{clash.Id}' is used by this document and by pack '{id}'.");
                    adopted.Add(new AdoptedPack(pack, child.Start.Line, child.Start.Column));
                }
                catch (PolicyYamlException ex)
                {
                    Problems.Add(ex.Problem);
                }
            }
            return adopted;
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

    private static string Trim(string message)
    {
        var text = message.Trim().TrimEnd('.');
        return text.Length == 0 ? "the document is not valid YAML." : char.ToLowerInvariant(text[0]) + text[1..] + ".";
    }
}
