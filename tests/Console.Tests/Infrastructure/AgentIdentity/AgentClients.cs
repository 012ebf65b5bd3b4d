using System.Net;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Json;
using OpenIddict.Abstractions;
using OpenIddict.Validation;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Warden.Domain;
using Warden.Features.Agents;
using Warden.Features.Credentials;
using Warden.Infrastructure.AgentIdentity;
using Warden.Tests.Features.Agents;
using Warden.Tests.Support;

namespace Warden.Tests.Infrastructure.AgentIdentity;

/// <summary>Acts as an agent against the real token endpoint, and as its owner in the console.</summary>
internal static class AgentClients
{
    public const string Issuer = "http://localhost/";

    public static async Task<string> RegisterAgentAsync(this WebApplicationFactory<Program> app)
    {
        var registered = await app.AsUserAsync<AgentRegistryService, Result<string>>(DemoAccounts.Owner, s => s.RegisterAsync(AgentDraftBuilder.Valid()));
        registered.IsSuccess.ShouldBeTrue(registered.Error.ToString());
        return registered.Value;
    }

    public static async Task<string> IssueSecretAsync(this WebApplicationFactory<Program> app, string agentId)
    {
        var secret = await app.AsUserAsync<CredentialService, Result<string>>(DemoAccounts.Owner, s => s.IssueSecretAsync(agentId));
        secret.IsSuccess.ShouldBeTrue(secret.Error.ToString());
        return secret.Value;
    }

    public static Task<TokenAnswer> RequestTokenAsync(this WebApplicationFactory<Program> app, string agentId, string secret) =>
        app.PostTokenAsync(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = agentId,
            ["client_secret"] = secret,
        });

    public static Task<TokenAnswer> RequestTokenWithAssertionAsync(this WebApplicationFactory<Program> app, string agentId, string assertion) =>
        app.PostTokenAsync(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = agentId,
            ["client_assertion_type"] = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            ["client_assertion"] = assertion,
        });

    public static async Task<TokenAnswer> PostTokenAsync(this WebApplicationFactory<Program> app, Dictionary<string, string> form)
    {
        using var client = app.CreateClient();
        using var content = new FormUrlEncodedContent(form);
        using var response = await client.PostAsync(AgentApi.TokenEndpoint, content, TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        using var json = JsonDocument.Parse(body);
        string? Read(string name) => json.RootElement.TryGetProperty(name, out var value) ? value.GetString() : null;
        return new TokenAnswer(response.StatusCode, Read("access_token"), Read("error"), body);
    }

    /// <summary>Validates a bearer token the way the agent API will: OpenIddict validation's scheme only.</summary>
    public static async Task<ClaimsPrincipal?> ValidateAsync(this WebApplicationFactory<Program> app, string token)
    {
        await using var scope = app.Services.CreateAsyncScope();
        try
        {
            return await scope.ServiceProvider.GetRequiredService<OpenIddictValidationService>()
                .ValidateAccessTokenAsync(token, TestContext.Current.CancellationToken);
        }
        catch (OpenIddictExceptions.ProtocolException)
        {
            return null;
        }
    }

    public static JsonWebToken Read(string token) => new JsonWebTokenHandler().ReadJsonWebToken(token);

    public static string PublicJwk(RSA rsa, string keyId)
    {
        var parameters = rsa.ExportParameters(includePrivateParameters: false);
        return JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["kty"] = "RSA",
            ["kid"] = keyId,
            ["use"] = "sig",
            ["alg"] = "RS256",
            ["n"] = Base64UrlEncoder.Encode(parameters.Modulus),
            ["e"] = Base64UrlEncoder.Encode(parameters.Exponent),
        });
    }

    public static string Assertion(RSA rsa, string keyId, string agentId, string? jti = null)
    {
        var now = TimeProvider.System.GetUtcNow().UtcDateTime;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = agentId,
            Audience = Issuer,
            Subject = new ClaimsIdentity([new Claim("sub", agentId), new Claim("jti", jti ?? Guid.NewGuid().ToString("N"))]),
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddMinutes(2),
            TokenType = "client-authentication+jwt",
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(rsa) { KeyId = keyId }, SecurityAlgorithms.RsaSha256),
        });
    }
}

internal sealed record TokenAnswer(HttpStatusCode Status, string? AccessToken, string? Error, string Body);
