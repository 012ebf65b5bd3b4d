using Warden.Domain;
using Warden.Domain.Policies;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;
using static Warden.Features.Policies.PolicyYamlNodes;

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
                    var rule = PolicyRuleReader.Read(node, out var idNode, references);
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

    private static string Trim(string message)
    {
        var text = message.Trim().TrimEnd('.');
        return text.Length == 0 ? "the document is not valid YAML." : char.ToLowerInvariant(text[0]) + text[1..] + ".";
    }
}
