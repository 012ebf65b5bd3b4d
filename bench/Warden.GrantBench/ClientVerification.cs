using System.Net;
using System.Text;
using Warden.Client;

namespace Warden.GrantBench;

/// <summary>
/// What a tool built on Warden.Client runs per call: <see cref="GrantVerifier"/>'s offline check
/// (signature, type, audience, issuer, lifetime, then tool, operation, resource and the digest of
/// the call about to run) with the key set it fetched and cached.
/// </summary>
internal sealed class ClientVerification : IDisposable
{
    public const string Issuer = "http://localhost:5080/";

    private readonly GrantVerifier _verifier;
    private readonly GrantKeySet _keys;

    public ClientVerification(string jwks)
    {
        _verifier = GrantVerifier.Create(new GrantVerifierOptions { BaseAddress = new Uri(Issuer), Issuer = Issuer }, new HttpClient(new KeysEndpoint(jwks)));
        _keys = GrantKeySet.Parse(jwks);
    }

    /// <summary>The call the bench's grants are for, as a tool sees it.</summary>
    public static WardenAsk Call { get; } = WardenAsk.For("crm.read", "read", "crm/accounts/42", new { account = "42", fields = new[] { "name", "owner" } });

    public static string Digest { get; } = RequestDigest.Of(Call);

    /// <summary>The check with the keys given (<see cref="GrantVerifier.Verify"/>), no network.</summary>
    public void Verify(string grant)
    {
        var result = _verifier.Verify(grant, Call, _keys);
        if (!result.IsValid)
            throw new InvalidOperationException($"Warden.Client refused the bench's grant: {result.Detail}");
    }

    /// <summary>The check as tools call it (<see cref="GrantVerifier.VerifyAsync"/>), keys read once and cached.</summary>
    public async Task VerifyAsync(string grant)
    {
        var result = await _verifier.VerifyAsync(grant, Call);
        if (!result.IsValid)
            throw new InvalidOperationException($"Warden.Client refused the bench's grant: {result.Detail}");
    }

    public void Dispose() => _verifier.Dispose();

    private sealed class KeysEndpoint(string jwks) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(jwks, Encoding.UTF8, "application/json") });
    }
}
