using System.Net;
using Hangfire;
using Hangfire.Storage;
using Microsoft.Extensions.DependencyInjection;
using Warden.Infrastructure.Jobs;
using Warden.Tests.Support;

namespace Warden.Tests.Infrastructure.Jobs;

[Collection(AppCollection.Name)]
public sealed class JobsDashboardTests(WardenAppFactory app) : IClassFixture<WardenAppFactory>
{
    [Fact]
    public async Task Dashboard_ForAnAnonymousVisitor_RedirectsToLogin()
    {
        using var browser = app.CreateBrowser();

        using var response = await browser.GetAsync(JobsRegistration.DashboardPath, TestContext.Current.CancellationToken);

        AccessOutcome.Classify(response).ShouldBe(AccessOutcome.Login);
    }

    [Theory]
    [InlineData(DemoAccounts.Officer)]
    [InlineData(DemoAccounts.Owner)]
    [InlineData(DemoAccounts.Auditor)]
    public async Task Dashboard_ForANonAdministrator_IsRefused(string email)
    {
        using var browser = await app.SignInAsync(email);

        using var response = await browser.GetAsync(JobsRegistration.DashboardPath, TestContext.Current.CancellationToken);

        AccessOutcome.Classify(response).ShouldBe(AccessOutcome.Deny);
    }

    [Fact]
    public async Task Dashboard_ForAnAdministrator_ShowsTheJobs()
    {
        using var browser = await app.SignInAsync(DemoAccounts.Admin);

        using var response = await browser.GetAsync(JobsRegistration.DashboardPath + "/recurring", TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var html = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        html.ShouldContain("Warden jobs");
        html.ShouldContain(HousekeepingJob.RecurringJobId);
    }

    [Fact]
    public void Start_RegistersTheRecurringHousekeepingJob()
    {
        var storage = app.Services.GetRequiredService<JobStorage>();

        using var connection = storage.GetConnection();
        var recurring = connection.GetRecurringJobs();

        var housekeeping = recurring.Where(r => r.Id == HousekeepingJob.RecurringJobId).ShouldHaveSingleItem();
        housekeeping.Job.Type.ShouldBe(typeof(HousekeepingJob));
    }
}
