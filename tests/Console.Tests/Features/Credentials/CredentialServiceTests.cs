using Warden.Domain;
using Warden.Features.Agents;
using Warden.Features.Credentials;
using Warden.Tests.Features.Agents;
using Warden.Tests.Support;

namespace Warden.Tests.Features.Credentials;

[Collection(AppCollection.Name)]
public sealed class CredentialServiceTests(WardenAppFactory app) : IClassFixture<WardenAppFactory>
{
    [Fact]
    public async Task IssueSecretAsync_AfterARevocation_IsRefusedToTheOwnerAndAllowedToAnOfficer()
    {
        var id = (await app.AsUserAsync<AgentRegistryService, Result<string>>(DemoAccounts.Owner, s => s.RegisterAsync(AgentDraftBuilder.Valid()))).Value;
        (await app.AsUserAsync<CredentialService, Result<string>>(DemoAccounts.Owner, s => s.IssueSecretAsync(id))).IsSuccess.ShouldBeTrue();
        (await app.AsUserAsync<CredentialService, Result>(DemoAccounts.Officer, s => s.RevokeAsync(id))).IsSuccess.ShouldBeTrue();

        var byOwner = await app.AsUserAsync<CredentialService, Result<string>>(DemoAccounts.Owner, s => s.IssueSecretAsync(id));
        var byOfficer = await app.AsUserAsync<CredentialService, Result<string>>(DemoAccounts.Officer, s => s.IssueSecretAsync(id));

        byOwner.Error.ShouldBe(CredentialErrors.RevokedNeedsOfficer);
        byOfficer.IsSuccess.ShouldBeTrue(byOfficer.Error.ToString());
    }
}
