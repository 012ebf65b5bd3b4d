namespace Warden.Features.Policies.Packs;

/// <summary>Problem codes about packs, in the policy problem format (line, column, message).</summary>
public static class PackErrors
{
    public const string UnknownPackCode = "policy.unknown_pack";
    public const string UnknownVersionCode = "policy.unknown_pack_version";
    public const string AdoptedTwiceCode = "policy.pack_adopted_twice";
    public const string AllowInPackCode = "policy.pack_allows";
    public const string TestFailedCode = "policy.pack_test_failed";

    public static bool IsPackId(string id) =>
        id.Length is > 0 and <= 40 && id[0] is >= 'a' and <= 'z' && id[^1] != '-' && id.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-');
}

/// <summary>What a pack file says of itself.</summary>
public sealed record PackHeader(string Id, int Version, string Title, string Summary);

/// <summary>A pack file as read: the pack when it loads and its tests pass, or every problem.</summary>
public sealed record PackDocument(PolicyPack? Pack, IReadOnlyList<PolicyProblem> Problems)
{
    public IReadOnlyList<PolicyTestResult> Failing { get; init; } = [];
}
