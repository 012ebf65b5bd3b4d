using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Warden.Features.Decisions.Grants;
using Warden.Infrastructure.AgentIdentity;
using Warden.Infrastructure.Storage;
using Warden.LoadBench;

namespace Warden.GrantBench;

/// <summary>
/// Grant cost: signing (on the decision path, once per allow), offline verification (in a tool, per
/// call: the console's reader, IdentityModel's handler and Warden.Client's verifier), for ES256 and
/// RS256; and redemption against the running app over HTTP (<c>--redemptions 0</c> leaves it out).
/// Usage: dotnet run -c Release --project bench/Warden.GrantBench [-- --calls 20000 --redemptions 500]
/// </summary>
internal static class Program
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task<int> Main(string[] args)
    {
        var calls = Option(args, "--calls", 20_000);
        var redemptions = Option(args, "--redemptions", 500);
        Console.WriteLine(MachineInfo.Describe(TimeProvider.System.GetUtcNow()));
        Console.WriteLine($"Load average (1, 5, 15 min) at start: {MachineInfo.LoadAverage()}");
        Console.WriteLine();
        Console.WriteLine(Timings.Header);

        foreach (var (name, key) in new[] { ("ES256 (P-256)", GrantKey.NewEc()), ("RS256 (RSA 2048)", GrantKey.NewRsa(2048)), ("RS256 (RSA 3072)", GrantKey.NewRsa(3072)) })
        {
            using (key)
                await OfflineAsync(name, key, calls);
        }

        if (redemptions > 0)
        {
            Console.WriteLine();
            foreach (var line in await Redemption.RunAsync(redemptions))
                Console.WriteLine(line);
        }
        Console.WriteLine();
        Console.WriteLine($"Load average (1, 5, 15 min) at end: {MachineInfo.LoadAverage()}");
        return 0;
    }

    private static async Task OfflineAsync(string name, GrantKey key, int calls)
    {
        var folder = Directory.CreateTempSubdirectory("warden-grantbench-");
        try
        {
            var pem = Path.Combine(folder.FullName, "key.pem");
            await File.WriteAllTextAsync(pem, key.ExportPrivateKeyPem());
            using var keys = GrantKeys.FromFiles(new GrantOptions { SigningKeyPath = pem });
            var issuer = new GrantIssuer(Options.Create(new AgentIdentityOptions { Issuer = new Uri("http://localhost:5080/") }), new HttpContextAccessor());
            var grants = new GrantTokens(keys, issuer);
            var now = TimeProvider.System.GetUtcNow();
            var claims = new GrantClaims("http://localhost:5080/", "dec_01JZ0000000000000000000000", "agt_bench", "crm.read", "read", "crm/accounts/42",
                ClientVerification.Digest, now, now + GrantTokens.Lifetime);
            var token = grants.Sign(claims);

            Console.WriteLine(Timings.Measure($"{name}: sign (decision path)", calls, () => grants.Sign(claims)));
            Console.WriteLine(Timings.Measure($"{name}: verify, console's reader", calls, () =>
            {
                if (!grants.TryRead(token, out _))
                    throw new InvalidOperationException("The bench's own grant did not verify.");
            }));

            // The floor: the signature alone, over bytes already decoded (SHA-256 of the signing input, then VerifyHash).
            var signingInput = System.Text.Encoding.ASCII.GetBytes(token[..token.LastIndexOf('.')]);
            var signature = System.Buffers.Text.Base64Url.DecodeFromChars(token.AsSpan(token.LastIndexOf('.') + 1));
            Console.WriteLine(Timings.Measure($"{name}: signature alone (SHA-256, VerifyHash)", calls, () =>
            {
                Span<byte> hash = stackalloc byte[32];
                System.Security.Cryptography.SHA256.HashData(signingInput, hash);
                if (!keys.Signing.VerifyHash(hash, signature))
                    throw new InvalidOperationException("The bench's own signature did not verify.");
            }));

            // What a tool built on Microsoft.IdentityModel does with the key set it fetched.
            var jwk = JsonWebKey.Create(JsonSerializer.Serialize(keys.Signing.ToJwk(), Json));
            var handler = new JsonWebTokenHandler();
            var parameters = new TokenValidationParameters
            {
                ValidIssuer = "http://localhost:5080/",
                ValidAudience = GrantTokens.Audience,
                ValidTypes = [GrantTokens.Type],
                IssuerSigningKey = jwk,
                ClockSkew = TimeSpan.FromSeconds(30),
            };
            Console.WriteLine(await Timings.MeasureAsync($"{name}: verify, JsonWebTokenHandler", calls, async _ =>
            {
                var result = await handler.ValidateTokenAsync(token, parameters);
                if (!result.IsValid)
                    throw new InvalidOperationException("JsonWebTokenHandler refused the grant.", result.Exception);
            }));
            using var client = new ClientVerification(JsonSerializer.Serialize(new { keys = new[] { keys.Signing.ToJwk() } }, Json));
            Console.WriteLine(Timings.Measure($"{name}: verify, Warden.Client (keys given)", calls, () => client.Verify(token)));
            Console.WriteLine(await Timings.MeasureAsync($"{name}: verify, Warden.Client (VerifyAsync)", calls, _ => client.VerifyAsync(token)));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}: token length {token.Length} characters"));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
