using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Warden.Domain;
using Warden.Domain.Containment;
using Warden.Domain.Decisions;
using Warden.Features.AuditLog;
using Warden.Features.Containment;
using Warden.Features.Decisions;
using Warden.Persistence;
using Warden.Tests.Support;
using static Warden.Tests.Features.Decisions.AgentApiClient;

namespace Warden.Tests.Features.Gateway;

/// <summary>
/// The gateway's outcome of an allow it has just committed and acted on: prepared from the record the
/// pipeline returned, without reading it back or verifying the grant that never left the process,
/// but never past what can have changed since (a trip or a revocation, the row moving on).
/// </summary>
[Collection(AppCollection.Name)]
public sealed class GatewayOutcomeTests(WardenAppFactory app) : IClassFixture<WardenAppFactory>
{
    private static readonly DecisionRequestBody Read = new("crm.read", "read", "crm/accounts/42", null, null, null);

    [Fact]
    public async Task AFreshAllow_IsCompletedWithItsOutcomeEvent_WithoutReadingItBack()
    {
        var agent = await RegisterAsync(app, Draft(rateLimit: 100_000));
        var decided = await DecideAsync(agent.Id);

        var prepared = Outcomes.PrepareRecorded(agent.Id, decided.Record!, "succeeded", null);

        prepared.IsSuccess.ShouldBeTrue(prepared.Error.ToString());
        await app.Services.GetRequiredService<AuditWriter>().CommitAsync(prepared.Value.Addition);
        await using var db = Db();
        var stored = await db.Decisions.AsNoTracking().SingleAsync(d => d.Id == decided.Answer.Id, TestContext.Current.CancellationToken);
        stored.State.ShouldBe(DecisionState.Completed);
        stored.OutcomeStatus.ShouldBe("succeeded");
        stored.GrantUsedAt.ShouldNotBeNull();
        (await db.AuditEvents.CountAsync(e => e.Kind == "decision.outcome_reported" && e.Subject == agent.Id, TestContext.Current.CancellationToken)).ShouldBe(1);
    }

    [Fact]
    public async Task AnAllowWhoseAgentWasContainedSince_IsRefusedAsRevoked()
    {
        var agent = await RegisterAsync(app, Draft(rateLimit: 100_000));
        var decided = await DecideAsync(agent.Id);
        var trip = await app.AsUserAsync<ContainmentService, Result<TripResult>>(DemoAccounts.Officer,
            s => s.TripAsync(ContainmentScope.Agent, agent.Id, "contained between the decision and the outcome"));
        trip.IsSuccess.ShouldBeTrue(trip.Error.ToString());

        var prepared = Outcomes.PrepareRecorded(agent.Id, decided.Record!, "succeeded", null);

        prepared.IsFailure.ShouldBeTrue();
        prepared.Error.ShouldBe(DecisionErrors.GrantRevoked);
    }

    [Fact]
    public async Task AnAllowWhoseRowMovedOn_DoesNotCommitItsOutcomeAgain()
    {
        var agent = await RegisterAsync(app, Draft(rateLimit: 100_000));
        var decided = await DecideAsync(agent.Id);
        // The grant used once already (as an agent reporting it would): the row is at version 1.
        var reported = await Outcomes.ReportAsync(agent.Id, decided.Answer.Id,
            new OutcomeReportBody(decided.Answer.Grant!.Token, "succeeded", null, null, null), TestContext.Current.CancellationToken);
        reported.IsSuccess.ShouldBeTrue(reported.Error.ToString());

        var prepared = Outcomes.PrepareRecorded(agent.Id, decided.Record!, "failed", "a second outcome");
        prepared.IsSuccess.ShouldBeTrue(prepared.Error.ToString());
        var committing = () => app.Services.GetRequiredService<AuditWriter>().CommitAsync(prepared.Value.Addition);

        await committing.ShouldThrowAsync<Exception>();
        await using var db = Db();
        var stored = await db.Decisions.AsNoTracking().SingleAsync(d => d.Id == decided.Answer.Id, TestContext.Current.CancellationToken);
        stored.OutcomeStatus.ShouldBe("succeeded");
        (await db.AuditEvents.CountAsync(e => e.Kind == "decision.outcome_reported" && e.Subject == agent.Id, TestContext.Current.CancellationToken)).ShouldBe(1);
    }

    [Fact]
    public async Task AnotherAgentsRecord_IsNotFound_AndADenyHasNoOutcome()
    {
        var agent = await RegisterAsync(app, Draft(rateLimit: 100_000));
        var other = await RegisterAsync(app, Draft(rateLimit: 100_000));
        var decided = await DecideAsync(agent.Id);

        Outcomes.PrepareRecorded(other.Id, decided.Record!, "succeeded", null).Error.ShouldBe(DecisionErrors.NotFound(decided.Answer.Id));

        var denied = (await app.Services.GetRequiredService<DecisionPipeline>().DecideRecordedAsync(agent.Id,
            new DecisionRequestBody("crm.read", "read", "billing/invoices/7", null, null, null), TestContext.Current.CancellationToken)).Value;
        denied.Answer.Outcome.ShouldBe("deny");
        denied.Record.ShouldNotBeNull();
        Outcomes.PrepareRecorded(agent.Id, denied.Record, "succeeded", null).IsFailure.ShouldBeTrue();
    }

    private OutcomeReports Outcomes => app.Services.GetRequiredService<OutcomeReports>();

    private WardenDbContext Db() => app.Services.GetRequiredService<IDbContextFactory<WardenDbContext>>().CreateDbContext();

    private async Task<RecordedDecision> DecideAsync(string agentId)
    {
        var decided = await app.Services.GetRequiredService<DecisionPipeline>().DecideRecordedAsync(agentId, Read, TestContext.Current.CancellationToken);
        decided.IsSuccess.ShouldBeTrue(decided.Error.ToString());
        decided.Value.Answer.Outcome.ShouldBe("allow");
        decided.Value.Record.ShouldNotBeNull();
        decided.Value.Record.Id.ShouldBe(decided.Value.Answer.Id);
        return decided.Value;
    }
}
