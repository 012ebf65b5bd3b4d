namespace Warden.Features.Policies.Packs;

/// <summary>
/// The packs a policy may adopt, by id and version. <see cref="Shipped"/> reads the packs embedded in
/// Warden once; a pack file that does not load is a start-up failure, never a silently missing pack.
/// </summary>
public sealed class PolicyPacks
{
    private const string ResourcePrefix = "Warden.Policies.Packs.";
    private static readonly Lazy<PolicyPacks> LazyShipped = new(LoadShipped);
    private readonly Dictionary<(string Id, int Version), PolicyPack> _byKey;

    public PolicyPacks(IEnumerable<PolicyPack> packs)
    {
        ArgumentNullException.ThrowIfNull(packs);
        All = packs.OrderBy(p => p.Id, StringComparer.Ordinal).ThenBy(p => p.Version).ToList();
        _byKey = All.ToDictionary(p => (p.Id, p.Version));
    }

    public static PolicyPacks Shipped => LazyShipped.Value;

    public static PolicyPacks None { get; } = new([]);

    public IReadOnlyList<PolicyPack> All { get; }

    public IReadOnlyList<string> Ids => All.Select(p => p.Id).Distinct(StringComparer.Ordinal).ToList();

    public PolicyPack? Find(string id, int version) => _byKey.GetValueOrDefault((id, version));

    public IReadOnlyList<int> VersionsOf(string id) => All.Where(p => p.Id == id).Select(p => p.Version).ToList();

    /// <summary>The newest version of each pack.</summary>
    public IReadOnlyList<PolicyPack> Latest => All.GroupBy(p => p.Id, StringComparer.Ordinal).Select(g => g.MaxBy(p => p.Version)!).ToList();

    private static PolicyPacks LoadShipped()
    {
        var assembly = typeof(PolicyPacks).Assembly;
        var packs = new List<PolicyPack>();
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using var stream = assembly.GetManifestResourceStream(name) ?? throw new InvalidOperationException($"Policy pack {name} is missing.");
            using var reader = new StreamReader(stream);
            var compiled = PolicyYamlLoader.CompilePack(reader.ReadToEnd());
            if (compiled.Pack is not { } pack)
                throw new InvalidOperationException($"Policy pack {name[ResourcePrefix.Length..]}: {string.Join("; ", compiled.Problems)}");
            packs.Add(pack);
        }
        return new PolicyPacks(packs);
    }
}
