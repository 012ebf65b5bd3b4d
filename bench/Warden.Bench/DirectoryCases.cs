using Warden.Domain.Agents;
using Warden.Features.Agents;

namespace Warden.Bench;

public enum PagePosition
{
    First,
    Middle,
    Last,
}

public enum Viewer
{
    Officer,
    Owner,
}

public sealed record DirectoryCase(string Name, Viewer Viewer, AgentQuery Query, PagePosition Page);

/// <summary>Every sort column both ways at three depths, every filter at both ends, and an owner's narrower view.</summary>
public static class DirectoryCases
{
    public const int PageSize = 50;

    public static IReadOnlyList<DirectoryCase> All(SeededDirectory seeded)
    {
        var cases = new List<DirectoryCase>();
        foreach (var column in Enum.GetValues<AgentSortColumn>())
        {
            foreach (var descending in new[] { false, true })
            {
                foreach (var page in Enum.GetValues<PagePosition>())
                {
                    var name = $"sort {column} {(descending ? "desc" : "asc")}, {Label(page)} page";
                    cases.Add(new(name, Viewer.Officer, new AgentQuery { SortBy = column, Descending = descending, PageSize = PageSize }, page));
                }
            }
        }

        var owner = seeded.Owners[6];
        var filters = new (string Name, AgentQuery Query)[]
        {
            ("filter status = Suspended", new AgentQuery { Status = AgentStatus.Suspended }),
            ("filter segment = finance", new AgentQuery { Segment = "finance" }),
            ("filter tag = pii", new AgentQuery { Tag = "pii" }),
            ("filter risk = Critical", new AgentQuery { Risk = RiskTier.Critical }),
            ("filter autonomy level = 3", new AgentQuery { AutonomyLevel = 3 }),
            ("filter owner = owner07", new AgentQuery { OwnerId = owner }),
            ("filter attestation due", new AgentQuery { AttestationDueOnly = true }),
            ("filter orphaned", new AgentQuery { OrphanedOnly = true }),
            ("search name \"ledger\"", new AgentQuery { Search = "ledger" }),
            ("segment + status + risk, by attestation desc",
                new AgentQuery { Segment = "finance", Status = AgentStatus.Active, Risk = RiskTier.High, SortBy = AgentSortColumn.LastAttestedAt, Descending = true }),
        };
        foreach (var (name, query) in filters)
        {
            cases.Add(new($"{name}, first page", Viewer.Officer, query with { PageSize = PageSize }, PagePosition.First));
            cases.Add(new($"{name}, last page", Viewer.Officer, query with { PageSize = PageSize }, PagePosition.Last));
        }
        cases.Add(new("search by agent id", Viewer.Officer, new AgentQuery { Search = seeded.SampleAgentId, PageSize = PageSize }, PagePosition.First));

        cases.Add(new("owner: by name, first page", Viewer.Owner, new AgentQuery { PageSize = PageSize }, PagePosition.First));
        cases.Add(new("owner: by name, last page", Viewer.Owner, new AgentQuery { PageSize = PageSize }, PagePosition.Last));
        cases.Add(new("owner: by attestation desc, first page", Viewer.Owner,
            new AgentQuery { SortBy = AgentSortColumn.LastAttestedAt, Descending = true, PageSize = PageSize }, PagePosition.First));
        cases.Add(new("owner: by attestation desc, last page", Viewer.Owner,
            new AgentQuery { SortBy = AgentSortColumn.LastAttestedAt, Descending = true, PageSize = PageSize }, PagePosition.Last));
        cases.Add(new("owner: status = Active, first page", Viewer.Owner, new AgentQuery { Status = AgentStatus.Active, PageSize = PageSize }, PagePosition.First));
        cases.Add(new("owner: search \"ledger\", first page", Viewer.Owner, new AgentQuery { Search = "ledger", PageSize = PageSize }, PagePosition.First));
        return cases;
    }

    private static string Label(PagePosition page) => page switch
    {
        PagePosition.First => "first",
        PagePosition.Middle => "middle",
        _ => "last",
    };
}
