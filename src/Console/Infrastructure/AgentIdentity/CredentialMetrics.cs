using System.Diagnostics.Metrics;

namespace Warden.Infrastructure.AgentIdentity;

/// <summary>Failed sign-ins of agents and people as counters, exported beside the governance gauges.</summary>
public sealed class CredentialMetrics : IDisposable
{
    public const string MeterName = "Warden.Credentials";

    private readonly Meter _meter = new(MeterName, "1.0");
    private readonly Counter<long> _tokenFailures;
    private readonly Counter<long> _tokenLockouts;
    private readonly Counter<long> _signInFailures;

    public CredentialMetrics()
    {
        _tokenFailures = _meter.CreateCounter<long>("warden.token.failures", "{attempt}",
            "Token requests refused: client authentication failed (invalid_client) or refused while throttled (throttled).");
        _tokenLockouts = _meter.CreateCounter<long>("warden.token.lockouts", "{lockout}",
            "Lockouts of a client id or a source address on the token endpoint.");
        _signInFailures = _meter.CreateCounter<long>("warden.sign_in.failures", "{attempt}",
            "People's sign-ins refused: wrong password, unknown account, locked out, not allowed.");
    }

    public void TokenFailed(string reason) => _tokenFailures.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void TokenLockout() => _tokenLockouts.Add(1);

    public void SignInFailed(string reason) => _signInFailures.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void Dispose() => _meter.Dispose();
}
