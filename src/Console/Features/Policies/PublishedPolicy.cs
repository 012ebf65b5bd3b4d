using Warden.Domain.Policies;
using Warden.Infrastructure.Hosting;

namespace Warden.Features.Policies;

/// <summary>
/// The policy version every decision is made under: the newest published version whose content
/// matches its hash and whose publication is an event in the audit chain (<see cref="PolicyStore"/>).
/// Until one is verified, or when none can be, <see cref="IsVerified"/> is false and decisions are
/// refused; <see cref="Current"/> then stays the last verified policy (the shipped default before the
/// first load), which only replays and previews read.
/// </summary>
public sealed class PublishedPolicy
{
    private volatile Policy _current;
    private volatile bool _verified;

    public PublishedPolicy(PolicyYamlLoader loader)
    {
        var loaded = loader.Load(DefaultPolicy.Yaml);
        _current = loaded.IsSuccess
            ? loaded.Value
            : throw new StartupException($"The default policy does not load: {loaded.Error.Message}");
    }

    public Policy Current => _current;

    /// <summary>A verified policy is in force; false refuses every decision.</summary>
    public bool IsVerified => _verified;

    public void Publish(Policy policy)
    {
        _current = policy;
        _verified = true;
    }

    /// <summary>No published version can be verified: decisions are refused until one is.</summary>
    public void Refuse() => _verified = false;
}
