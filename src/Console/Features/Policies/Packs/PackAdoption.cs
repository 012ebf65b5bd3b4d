using Warden.Domain.Policies;

namespace Warden.Features.Policies.Packs;

/// <summary>
/// A pack is adopted only while its test cases pass: on its own rules (outcome, deciding rule and
/// reason, as written), and as a floor in the policy that adopts it: run against the whole compiled
/// policy (the document's rules, every adopted pack's, the autonomy default), each case must end at
/// least as strictly as the pack expects (deny over pending over allow). A stricter outcome is the
/// strictest-wins rule at work (another layer holds or refuses more), not a failure.
/// </summary>
public static class PackAdoption
{
    public static IReadOnlyList<PolicyProblem> Check(PolicyDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        if (document.Policy is not { } policy || document.Packs.Count == 0)
            return [];
        var problems = new List<PolicyProblem>();
        foreach (var adopted in document.Packs)
        {
            foreach (var own in RunOwnTests(adopted.Pack).Where(t => !t.Passed))
                problems.Add(new PolicyProblem(adopted.Line, adopted.Column, PackErrors.TestFailedCode,
                    $"pack '{adopted.Pack.Id}' version {adopted.Pack.Version} cannot be adopted: its own test '{own.Case.Name}' fails ({own.Failure})."));
            foreach (var result in PolicyTestRunner.Run(policy, adopted.Pack.Tests))
            {
                if (Strictness(result.Outcome) >= Strictness(result.Case.Expect))
                    continue;
                var decidedBy = result.Rule is null ? "no rule" : $"rule '{result.Rule}'";
                problems.Add(new PolicyProblem(adopted.Line, adopted.Column, PackErrors.TestFailedCode,
                    $"pack '{adopted.Pack.Id}' version {adopted.Pack.Version} cannot be adopted: its test '{result.Case.Name}' fails in this policy " +
                    $"(expected {PolicyTestRunner.Name(result.Case.Expect)} or stricter, got {PolicyTestRunner.Name(result.Outcome)} by {decidedBy})."));
            }
        }
        return problems;
    }

    private static int Strictness(Warden.Domain.Decisions.DecisionOutcome outcome) => outcome switch
    {
        Warden.Domain.Decisions.DecisionOutcome.Deny => 2,
        Warden.Domain.Decisions.DecisionOutcome.Pending => 1,
        _ => 0,
    };

    /// <summary>The pack's own test cases against its rules alone, with the rule and reason each case names.</summary>
    public static IReadOnlyList<PolicyTestResult> RunOwnTests(PolicyPack pack)
    {
        ArgumentNullException.ThrowIfNull(pack);
        return PolicyTestRunner.Run(pack.AsPolicy(), pack.Tests);
    }
}
