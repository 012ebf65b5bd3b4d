using Warden.Domain.Policies;
using Warden.Infrastructure.Hosting;

namespace Warden.Features.Policies;

/// <summary>
/// The policy version every decision is made under. Until the policy lifecycle exists, that is the
/// default policy shipped with Warden, compiled once at start; a policy that does not load stops
/// start-up rather than letting decisions run without one.
/// </summary>
public sealed class PublishedPolicy
{
    private volatile Policy _current;

    public PublishedPolicy(PolicyYamlLoader loader)
    {
        var loaded = loader.Load(DefaultPolicy.Yaml);
        _current = loaded.IsSuccess
            ? loaded.Value
            : throw new StartupException($"The default policy does not load: {loaded.Error.Message}");
    }

    public Policy Current => _current;

    public void Publish(Policy policy) => _current = policy;
}
