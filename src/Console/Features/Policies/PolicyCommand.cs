namespace Warden.Features.Policies;

/// <summary>
/// <c>policy test FILE</c>: reads a policy document, reports every problem with its line and column,
/// runs its test cases and prints each failure. Exit code 0 when the document is valid and every
/// test passes, 1 when it is not or one fails, 2 when the file cannot be read.
/// </summary>
public static class PolicyCommand
{
    public const int Passed = 0;
    public const int Failed = 1;
    public const int Unusable = 2;

    public static bool Handles(string[] args) => args.Length >= 1 && args[0] == "policy";

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        if (args.Length != 3 || args[1] != "test")
        {
            await error.WriteLineAsync("Usage: policy test FILE   (runs the test cases of a policy document)");
            return Unusable;
        }
        var path = args[2];
        string yaml;
        try
        {
            yaml = await File.ReadAllTextAsync(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            await error.WriteLineAsync($"{path}: cannot be read: {ex.Message}");
            return Unusable;
        }

        var document = new PolicyYamlLoader().Compile(yaml);
        var problems = document.Problems.Count > 0 ? document.Problems : PolicyValidator.Check(document, catalog: null).Concat(Packs.PackAdoption.Check(document)).ToList();
        foreach (var problem in problems)
            await output.WriteLineAsync($"{path}:{problem.Line}:{problem.Column}: {problem.Message}");
        if (document.Policy is not { } policy)
        {
            await output.WriteLineAsync($"{problems.Count} problem{(problems.Count == 1 ? "" : "s")}; the tests did not run.");
            return Failed;
        }

        var results = PolicyTestRunner.Run(policy, document.Tests);
        await output.WriteLineAsync($"Policy {policy.Version}: {policy.Rules.Count} rules, {results.Count} test cases");
        foreach (var result in results)
        {
            await output.WriteLineAsync(result.Passed
                ? $"  pass  {result.Case.Name}"
                : $"  FAIL  {path}:{result.Case.Line}: {result.Case.Name}: {result.Failure}");
        }
        var failed = results.Count(r => !r.Passed);
        await output.WriteLineAsync($"{results.Count - failed} passed, {failed} failed{(problems.Count > 0 ? $", {problems.Count} problem{(problems.Count == 1 ? "" : "s")}" : "")}");
        if (results.Count == 0)
            await output.WriteLineAsync("The document has no test cases; add some under 'tests'.");
        return failed == 0 && problems.Count == 0 && results.Count > 0 ? Passed : Failed;
    }
}
