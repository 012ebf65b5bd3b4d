using Warden.Domain;
using Warden.Domain.People;
using Warden.Domain.Policies;
using Warden.Infrastructure.Identity;

namespace Warden.Features.Policies.Packs;

/// <summary>One rule of a pack as people read it.</summary>
public sealed record PackRuleView(string Id, string Description, string Effect, string Rationale);

/// <summary>A shipped pack with its rules and how its own test cases fare.</summary>
public sealed record PackView(string Id, int Version, string Title, string Summary, IReadOnlyList<PackRuleView> Rules, int TestsPassed, int TestsTotal, IReadOnlyList<string> Failing);

/// <summary>
/// The packs shipped with Warden, for everyone who reads policies; officers get the draft that adopts
/// or upgrades one, which they then check, save and publish as any other edit. Nothing here saves.
/// </summary>
public sealed class PolicyPackService(AccessGuard guard, PolicyPacks packs)
{
    public async Task<Result<IReadOnlyList<PackView>>> GetPacksAsync()
    {
        var access = await guard.RequireAsync(PolicyService.Readers);
        if (access.IsFailure)
            return access.Error;
        return Result.Success<IReadOnlyList<PackView>>(packs.Latest.Select(View).ToList());
    }

    /// <summary>The draft with <paramref name="packId"/>'s newest version adopted (or upgraded to).</summary>
    public async Task<Result<string>> PrepareAdoptionAsync(string? draft, string packId)
    {
        var access = await guard.RequireAsync(Roles.SecurityOfficer);
        if (access.IsFailure)
            return access.Error;
        if (packs.Latest.FirstOrDefault(p => p.Id == packId) is not { } pack)
            return new Error("policy.unknown_pack", $"There is no pack '{packId}'.");
        return PackAdoptionEdit.Adopt(draft, pack);
    }

    private static PackView View(PolicyPack pack)
    {
        var results = PackAdoption.RunOwnTests(pack);
        return new PackView(pack.Id, pack.Version, pack.Title, pack.Summary,
            pack.Rules.Select(r => new PackRuleView(r.Id, r.Description, Effect(r.Effect), r.Rationale ?? string.Empty)).ToList(),
            results.Count(r => r.Passed), results.Count, results.Where(r => !r.Passed).Select(r => $"{r.Case.Name}: {r.Failure}").ToList());
    }

    private static string Effect(PolicyEffect effect) => effect.Kind switch
    {
        PolicyEffectKind.Deny => "deny",
        PolicyEffectKind.Mask => "mask",
        PolicyEffectKind.RequireApproval => effect.Approvers >= 2 ? "2 approvers" : "approval",
        _ => "allow",
    };
}
