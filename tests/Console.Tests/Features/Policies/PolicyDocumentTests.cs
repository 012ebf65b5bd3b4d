using System.Diagnostics;
using Warden.Domain.Decisions;
using Warden.Features.Policies;
using Warden.Tests.Support;

namespace Warden.Tests.Features.Policies;

/// <summary>Whole documents: every problem listed with its place, semantic checks, the document's own test cases and the command line.</summary>
public sealed class PolicyDocumentTests : IDisposable
{
    private readonly PolicyYamlLoader _loader = new();
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("warden-policy-");

    private const string Tested = """
        version: t1
        rules:
          - id: no-deletes
            match: { operations: [delete] }
            effect: deny
          - id: payments-need-approval
            match: { tools: [payments.send] }
            effect: require_approval
        tests:
          - name: deletes are refused
            request: { tool: crm.update, operation: delete }
            expect: deny
            rule: no-deletes
          - name: payments wait
            request: { tool: payments.send, operation: execute }
            agent: { autonomy_level: 3, risk: low }
            expect: pending
            rule: payments-need-approval
        """;

    [Fact]
    public void Compile_ListsEveryProblemOfEveryRule_WithLineAndColumn()
    {
        const string yaml = """
            version: v1
            rules:
              - id: a
                effect: maybe
              - id: b
                match: { tools: [x], colour: red }
                effect: deny
              - id: c
                match: { operations: [delete] }
                effect: deny
              - id: c
                match: { operations: [read] }
                effect: allow
            tests:
              - name: t
                request: { tool: x, operation: fly }
                expect: deny
            """;

        var document = _loader.Compile(yaml);

        document.Policy.ShouldBeNull();
        document.Problems.Select(p => (p.Code, p.Line)).ShouldBe(
        [
            (PolicyYamlErrors.InvalidValueCode, 4),
            (PolicyYamlErrors.UnknownFieldCode, 6),
            (PolicyYamlErrors.DuplicateRuleIdCode, 11),
            (PolicyYamlErrors.InvalidValueCode, 16),
        ]);
        document.Problems[0].Message.ShouldContain("maybe");
        document.Problems[1].Message.ShouldContain("colour");
        document.Problems[3].Message.ShouldContain("fly");
        document.Rules.Select(r => r.Id).ShouldBe(["c"]);
    }

    [Theory]
    [InlineData("version: v1\nrules:\n  - &rule\n    id: a\n    effect: deny\n", 3, "anchors")]
    [InlineData("version: v1\nrules:\n  - id: a\n    effect: *deny\n", 4, "aliases")]
    // Found by the fuzzer: a mapping keyed by an alias of itself overflowed the YAML library's stack.
    [InlineData("&a { *a : x }\n", 1, "anchors")]
    public void Compile_AnchorsAndAliases_AreRefusedBeforeTheDocumentIsBuilt(string yaml, int line, string mentions)
    {
        var problem = _loader.Compile(yaml).Problems.ShouldHaveSingleItem();

        problem.Code.ShouldBe(PolicyYamlErrors.SyntaxCode);
        problem.Line.ShouldBe(line);
        problem.Message.ShouldContain(mentions);
    }

    [Fact]
    public void Compile_NestingAsDeepAsTheDocumentAllows_IsAProblemNotAStackOverflow()
    {
        var deep = "version: v1\nrules: " + new string('[', 200_000) + new string(']', 200_000) + "\n";

        var problem = _loader.Compile(deep).Problems.ShouldHaveSingleItem();

        problem.Message.ShouldContain($"deeper than {PolicyYamlLoader.MaxDepth} levels");
    }

    [Fact]
    public void Validate_EmptyMatchesUnreachableRulesAndUnknownNames_AreProblemsAtTheirPlace()
    {
        const string yaml = """
            version: v1
            rules:
              - id: everything
                effect: allow
              - id: no-prod
                match: { resources: ["prod/**"] }
                effect: deny
              - id: prod-invoices-reviewed
                match: { resources: ["prod/invoices/*"], tools: [erp.invoices] }
                effect: require_approval
              - id: finance-payments
                match: { tools: [payments.sned], segments: [finanse] }
                effect: require_approval
            """;
        var document = _loader.Compile(yaml);
        var catalog = new PolicyCatalog(new HashSet<string> { "payments.send", "erp.invoices" }, new HashSet<string> { "finance" });

        var problems = PolicyValidator.Check(document, catalog);

        problems.Select(p => (p.Code, p.Line)).ShouldBe(
        [
            (PolicyValidator.EmptyMatchCode, 3),
            (PolicyValidator.UnreachableCode, 8),
            (PolicyValidator.UnknownToolCode, 12),
            (PolicyValidator.UnknownSegmentCode, 12),
        ]);
        problems[1].Message.ShouldContain("'no-prod'");
        problems[2].Message.ShouldContain("did you mean 'payments.send'?");
        problems[3].Message.ShouldContain("did you mean 'finance'?");
    }

    [Theory]
    [InlineData("{ tools: [a] }", "{ tools: [a, b] }", false)]
    [InlineData("{ tools: [a, b] }", "{ tools: [a] }", true)]
    [InlineData("{ operations: [delete] }", "{ operations: [delete], tools: [x] }", true)]
    [InlineData("{ operations: [delete], tools: [x] }", "{ operations: [delete] }", false)]
    [InlineData("{ min_amount: 100 }", "{ min_amount: 500 }", true)]
    [InlineData("{ min_amount: 500 }", "{ min_amount: 100 }", false)]
    [InlineData("{ findings: [secret] }", "{ findings: [secret.jwt] }", true)]
    [InlineData("{ findings: [secret.jwt] }", "{ findings: [secret] }", false)]
    [InlineData("{ resources: [\"a/**\"] }", "{ resources: [\"a/b/*\"] }", true)]
    [InlineData("{ resources: [\"a/*\"] }", "{ resources: [\"a/**\"] }", false)]
    public void Covers_IsTrueOnlyWhenEveryRequestOfTheNarrowMatchAlsoMatchesTheWide(string wide, string narrow, bool covers)
    {
        var document = _loader.Compile($"version: v1\nrules:\n  - id: w\n    match: {wide}\n    effect: deny\n  - id: n\n    match: {narrow}\n    effect: allow\n");

        document.Problems.ShouldBeEmpty();
        PolicyValidator.Covers(document.Rules[0].Match, document.Rules[1].Match).ShouldBe(covers);
    }

    [Fact]
    public void Tests_TheDocumentsOwnCases_PassAndAWrongExpectationFailsWithWhy()
    {
        var passing = _loader.Compile(Tested);
        var failing = _loader.Compile(Tested.Replace("expect: pending", "expect: allow", StringComparison.Ordinal));

        PolicyTestRunner.Run(passing.Policy!, passing.Tests).ShouldAllBe(r => r.Passed);
        var results = PolicyTestRunner.Run(failing.Policy!, failing.Tests);
        results[0].Passed.ShouldBeTrue();
        results[1].Passed.ShouldBeFalse();
        results[1].Failure.ShouldNotBeNull().ShouldStartWith("expected allow, got pending");
        results[1].Case.Line.ShouldBe(14);
    }

    [Fact]
    public void Tests_ExpectedRuleAndReason_AreChecked()
    {
        var wrongRule = _loader.Compile(Tested.Replace("rule: no-deletes", "rule: payments-need-approval", StringComparison.Ordinal));
        var wrongReason = _loader.Compile(Tested.Replace("rule: no-deletes", "reason: rate_limited", StringComparison.Ordinal));

        PolicyTestRunner.Run(wrongRule.Policy!, wrongRule.Tests)[0].Failure.ShouldBe("expected rule 'payments-need-approval' to decide, but rule 'no-deletes' did");
        PolicyTestRunner.Run(wrongReason.Policy!, wrongReason.Tests)[0].Failure.ShouldNotBeNull().ShouldStartWith("expected reason 'rate_limited'");
    }

    [Fact]
    public void DefaultPolicy_IsValid_AndItsOwnTestCasesPass()
    {
        var document = _loader.Compile(DefaultPolicy.Yaml);

        document.Problems.ShouldBeEmpty();
        PolicyValidator.Check(document, catalog: null).ShouldBeEmpty();
        document.Tests.Count.ShouldBeGreaterThanOrEqualTo(10);
        PolicyTestRunner.Run(document.Policy!, document.Tests).Where(r => !r.Passed).Select(r => $"{r.Case.Name}: {r.Failure}").ShouldBeEmpty();
    }

    [Fact]
    public async Task Command_ExitCodes_ZeroWhenAllPass_OneOnAFailureOrProblem_TwoWhenUnreadable()
    {
        var good = Write("good.yaml", Tested);
        var failing = Write("failing.yaml", Tested.Replace("expect: pending", "expect: allow", StringComparison.Ordinal));
        var broken = Write("broken.yaml", "version: v1\nrules:\n  - id: a\n    effect: maybe\n");

        var passed = await RunAsync("policy", "test", good);
        var failed = await RunAsync("policy", "test", failing);
        var invalid = await RunAsync("policy", "test", broken);
        var missing = await RunAsync("policy", "test", Path.Combine(_folder.FullName, "nope.yaml"));

        passed.ExitCode.ShouldBe(0, passed.ToString());
        passed.Output.ShouldContain("2 passed, 0 failed");
        failed.ExitCode.ShouldBe(1, failed.ToString());
        failed.Output.ShouldContain($"FAIL  {failing}:14: payments wait: expected allow, got pending");
        invalid.ExitCode.ShouldBe(1, invalid.ToString());
        invalid.Output.ShouldContain($"{broken}:4:13: unknown effect 'maybe'");
        missing.ExitCode.ShouldBe(2, missing.ToString());
        missing.Error.ShouldContain("cannot be read");
    }

    private string Write(string name, string content)
    {
        var path = Path.Combine(_folder.FullName, name);
        File.WriteAllText(path, content);
        return path;
    }

    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args)
    {
        var start = new ProcessStartInfo
        {
            FileName = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet",
            WorkingDirectory = RepositoryRoot.Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(typeof(Program).Assembly.Location);
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("The command did not start.");
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        return (process.ExitCode, await output, await error);
    }

    public void Dispose()
    {
        try
        {
            _folder.Delete(recursive: true);
        }
        catch (IOException)
        {
            // Left to the system's temp clean-up.
        }
    }
}
