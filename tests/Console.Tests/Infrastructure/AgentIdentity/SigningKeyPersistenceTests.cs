using System.Net;
using Microsoft.Data.Sqlite;
using Warden.Tests.Support;

namespace Warden.Tests.Infrastructure.AgentIdentity;

[Collection(AppCollection.Name)]
public sealed class SigningKeyPersistenceTests
{
    [Fact]
    public async Task ATokenMintedBeforeARestart_StillValidatesAfterIt()
    {
        var dataDirectory = Directory.CreateTempSubdirectory("warden-keys-").FullName;
        try
        {
            string token;
            await using (var before = WardenAppFactory.With(WardenAppFactory.GeneratedTokenKeys, dataDirectory))
            {
                var agentId = await before.RegisterAgentAsync();
                var answer = await before.RequestTokenAsync(agentId, await before.IssueSecretAsync(agentId));
                answer.Status.ShouldBe(HttpStatusCode.OK, answer.Body);
                token = answer.AccessToken!;
            }

            await using var after = WardenAppFactory.With(WardenAppFactory.GeneratedTokenKeys, dataDirectory);
            _ = after.Server;

            File.Exists(Path.Combine(dataDirectory, "keys", "signing.pfx")).ShouldBeFalse();
            (await after.ValidateAsync(token)).ShouldNotBeNull();
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(dataDirectory, recursive: true);
        }
    }
}
