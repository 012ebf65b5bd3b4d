using System.Diagnostics.Metrics;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Warden.Infrastructure.AgentIdentity;
using Warden.Infrastructure.Identity;
using Warden.Persistence;
using Warden.Tests.Support;

namespace Warden.Tests.Infrastructure.AgentIdentity;

/// <summary>The app with the token throttle on a clock the tests move, and small thresholds so a burst is short.</summary>
public sealed class ThrottledAppFactory : WardenAppFactory
{
    public const int FreeFailures = 3;
    public const int LockoutFailures = 6;
    public const int LockoutSeconds = 600;

    public ThrottledAppFactory()
        : base(new Dictionary<string, string?>
        {
            ["AgentIdentity:Throttle:ClientFreeFailures"] = FreeFailures.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["AgentIdentity:Throttle:ClientLockoutFailures"] = LockoutFailures.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["AgentIdentity:Throttle:AddressFreeFailures"] = "30",
            ["AgentIdentity:Throttle:AddressLockoutFailures"] = "40",
            ["AgentIdentity:Throttle:LockoutSeconds"] = LockoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        })
    {
    }

    public FakeTimeProvider ThrottleClock { get; } = new(DateTimeOffset.UtcNow);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.Replace(ServiceDescriptor.Singleton(sp =>
            new CredentialThrottle(sp.GetRequiredService<IOptions<CredentialThrottleOptions>>(), ThrottleClock))));
    }

    /// <summary>Every count and lockout of earlier tests is long over.</summary>
    public void ForgetEarlierAttempts() => ThrottleClock.Advance(TimeSpan.FromDays(1));
}

/// <summary>Guessing agent secrets and people's passwords, as an attacker would.</summary>
[Collection(AppCollection.Name)]
public sealed class CredentialAttackTests(ThrottledAppFactory app) : IClassFixture<ThrottledAppFactory>
{
    [Fact]
    public async Task BurstOfWrongSecrets_IsSlowedDownThenLockedOut_AndTheRightSecretIsRefusedDuringTheLockout()
    {
        app.ForgetEarlierAttempts();
        var agentId = await app.RegisterAgentAsync();
        var secret = await app.IssueSecretAsync(agentId);

        for (var i = 0; i < ThrottledAppFactory.FreeFailures; i++)
            (await app.RequestTokenAsync(agentId, $"guess-{i}")).Status.ShouldBe(HttpStatusCode.Unauthorized);
        (await app.RequestTokenAsync(agentId, "guess-backoff")).Status.ShouldBe(HttpStatusCode.Unauthorized);
        var slowed = await RawTokenAsync(agentId, "guess-too-soon");
        var lockedOut = await GuessUntilLockedOutAsync(agentId);
        var rightSecret = await RawTokenAsync(agentId, secret);

        slowed.Status.ShouldBe(HttpStatusCode.TooManyRequests, slowed.Body);
        slowed.RetryAfter.ShouldBe(1);
        lockedOut.Status.ShouldBe(HttpStatusCode.TooManyRequests, lockedOut.Body);
        lockedOut.RetryAfter.ShouldBe(ThrottledAppFactory.LockoutSeconds);
        rightSecret.Status.ShouldBe(HttpStatusCode.TooManyRequests, rightSecret.Body);
        rightSecret.ContentType.ShouldBe("application/problem+json");
        using var problem = JsonDocument.Parse(rightSecret.Body);
        problem.RootElement.GetProperty("type").GetString().ShouldBe("urn:warden:problem:token-throttled");
        problem.RootElement.GetProperty("error").GetString().ShouldBe("temporarily_unavailable");
        problem.RootElement.GetProperty("retryAfterSeconds").GetInt32().ShouldBe(rightSecret.RetryAfter!.Value);
        problem.RootElement.TryGetProperty("access_token", out _).ShouldBeFalse();
    }

    [Fact]
    public async Task Lockout_WhenItEnds_LetsTheRightSecretThroughAgain()
    {
        app.ForgetEarlierAttempts();
        var agentId = await app.RegisterAgentAsync();
        var secret = await app.IssueSecretAsync(agentId);
        await GuessUntilLockedOutAsync(agentId);

        app.ThrottleClock.Advance(TimeSpan.FromSeconds(ThrottledAppFactory.LockoutSeconds - 1));
        var justBefore = await RawTokenAsync(agentId, secret);
        app.ThrottleClock.Advance(TimeSpan.FromSeconds(1));
        var after = await app.RequestTokenAsync(agentId, secret);

        justBefore.Status.ShouldBe(HttpStatusCode.TooManyRequests, justBefore.Body);
        after.Status.ShouldBe(HttpStatusCode.OK, after.Body);
        after.AccessToken.ShouldNotBeNull();
    }

    [Fact]
    public async Task UnknownClientIdAndWrongSecret_GetTheSameStatusAndBody()
    {
        app.ForgetEarlierAttempts();
        var agentId = await app.RegisterAgentAsync();
        await app.IssueSecretAsync(agentId);

        var wrongSecret = await RawTokenAsync(agentId, "not-the-secret");
        var unknownAgent = await RawTokenAsync(Guid.NewGuid().ToString(), "not-the-secret");
        var unknownText = await RawTokenAsync("nobody-at-all", "not-the-secret");

        wrongSecret.Status.ShouldBe(HttpStatusCode.Unauthorized, wrongSecret.Body);
        wrongSecret.ContentType.ShouldBe("application/problem+json");
        using (var problem = JsonDocument.Parse(wrongSecret.Body))
        {
            problem.RootElement.GetProperty("error").GetString().ShouldBe("invalid_client");
            problem.RootElement.GetProperty("type").GetString().ShouldBe("urn:warden:problem:oauth-error");
        }
        unknownAgent.ContentType.ShouldBe(wrongSecret.ContentType);
        unknownAgent.Status.ShouldBe(wrongSecret.Status, unknownAgent.Body);
        unknownAgent.Body.ShouldBe(wrongSecret.Body);
        unknownText.Status.ShouldBe(wrongSecret.Status, unknownText.Body);
        unknownText.Body.ShouldBe(wrongSecret.Body);
    }

    [Fact]
    public async Task UnknownClientId_IsThrottledLikeAKnownOne()
    {
        app.ForgetEarlierAttempts();
        var unknown = Guid.NewGuid().ToString();

        var answer = await GuessUntilLockedOutAsync(unknown);

        answer.Status.ShouldBe(HttpStatusCode.TooManyRequests, answer.Body);
        answer.RetryAfter.ShouldBe(ThrottledAppFactory.LockoutSeconds);
    }

    [Fact]
    public async Task GuessesSpreadOverManyClientIds_FromOneAddress_AreThrottledByAddress()
    {
        app.ForgetEarlierAttempts();

        TokenReply? throttled = null;
        for (var i = 0; i < 31 && throttled is null; i++)
        {
            var reply = await RawTokenAsync(Guid.NewGuid().ToString(), "spray");
            if (reply.Status == HttpStatusCode.TooManyRequests)
                throttled = reply;
        }
        var another = await RawTokenAsync(Guid.NewGuid().ToString(), "spray");
        app.ForgetEarlierAttempts();

        throttled.ShouldBeNull("the address's free failures are answered");
        another.Status.ShouldBe(HttpStatusCode.TooManyRequests, another.Body);
    }

    [Fact]
    public async Task EveryFailure_IsInTheAuditLogAndTheMetrics()
    {
        app.ForgetEarlierAttempts();
        var agentId = await app.RegisterAgentAsync();
        await app.IssueSecretAsync(agentId);
        using var counted = new CountedFailures();

        await GuessUntilLockedOutAsync(agentId);
        await RawTokenAsync(agentId, "while-locked");

        var kinds = await AuditKindsAsync(agentId);
        kinds.Count(k => k == TokenAudit.Refused).ShouldBe(ThrottledAppFactory.LockoutFailures);
        kinds.Count(k => k == TokenAudit.LockedOut).ShouldBe(1);
        kinds.Count(k => k == TokenAudit.Throttled).ShouldBeGreaterThanOrEqualTo(2);
        counted.Of("warden.token.failures", "invalid_client").ShouldBeGreaterThanOrEqualTo(ThrottledAppFactory.LockoutFailures);
        counted.Of("warden.token.failures", "throttled").ShouldBeGreaterThanOrEqualTo(2);
        counted.Of("warden.token.lockouts", null).ShouldBeGreaterThanOrEqualTo(1);
    }

    [Fact]
    public async Task WrongPasswordOfAPerson_IsAuditedAndCounted_AndTheLockoutItCausesToo()
    {
        using var counted = new CountedFailures();
        var person = await app.InScopeAsync(async sp =>
            (await sp.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<ApplicationUser>>().FindByEmailAsync(DemoAccounts.Owner2))!.Id);

        for (var i = 0; i < 5; i++)
        {
            using var browser = app.CreateBrowser();
            using var _ = await browser.SubmitLoginAsync(DemoAccounts.Owner2, $"Wrong-Password-{i}");
        }
        using var unknown = app.CreateBrowser();
        using var __ = await unknown.SubmitLoginAsync("nobody@warden.example", "Wrong-Password-1");

        var kinds = await AuditKindsAsync(person);
        kinds.Count(k => k == SignInAudit.Failed).ShouldBe(5);
        kinds.Count(k => k == SignInAudit.LockedOut).ShouldBe(1);
        (await AuditKindsAsync("nobody@warden.example")).ShouldContain(SignInAudit.Failed);
        counted.Of("warden.sign_in.failures", "wrong_password").ShouldBeGreaterThanOrEqualTo(4);
        counted.Of("warden.sign_in.failures", "unknown_account").ShouldBeGreaterThanOrEqualTo(1);
    }

    private async Task<TokenReply> GuessUntilLockedOutAsync(string clientId)
    {
        TokenReply reply = default!;
        for (var i = 0; i < ThrottledAppFactory.LockoutFailures * 3; i++)
        {
            reply = await RawTokenAsync(clientId, $"guess-{i}");
            if (reply.RetryAfter >= ThrottledAppFactory.LockoutSeconds)
                return reply;
            // Wait out each backoff, as a patient attacker would, so every guess is checked.
            if (reply.RetryAfter is { } wait)
                app.ThrottleClock.Advance(TimeSpan.FromSeconds(wait));
        }
        return reply;
    }

    private async Task<TokenReply> RawTokenAsync(string clientId, string secret)
    {
        using var client = app.CreateClient();
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = clientId,
            ["client_secret"] = secret,
        });
        using var response = await client.PostAsync(AgentApi.TokenEndpoint, form, TestContext.Current.CancellationToken);
        var retryAfter = response.Headers.RetryAfter?.Delta is { } delta ? (int?)delta.TotalSeconds : null;
        return new TokenReply(response.StatusCode, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken),
            response.Content.Headers.ContentType?.MediaType, retryAfter);
    }

    private Task<List<string>> AuditKindsAsync(string subject) =>
        app.InScopeAsync(async sp =>
        {
            await using var db = await sp.GetRequiredService<IDbContextFactory<WardenDbContext>>().CreateDbContextAsync();
            return await db.AuditEvents.AsNoTracking().Where(e => e.Subject == subject).Select(e => e.Kind).ToListAsync();
        });

    private sealed record TokenReply(HttpStatusCode Status, string Body, string? ContentType, int? RetryAfter);

    /// <summary>Listens to Warden's credential counters while a test runs.</summary>
    private sealed class CountedFailures : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly Dictionary<string, long> _counts = [];

        public CountedFailures()
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == CredentialMetrics.MeterName)
                    listener.EnableMeasurementEvents(instrument);
            };
            _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
            {
                string? reason = null;
                foreach (var tag in tags)
                {
                    if (tag.Key == "reason")
                        reason = tag.Value as string;
                }
                lock (_counts)
                    _counts[$"{instrument.Name}|{reason}"] = _counts.GetValueOrDefault($"{instrument.Name}|{reason}") + value;
            });
            _listener.Start();
        }

        public long Of(string instrument, string? reason)
        {
            lock (_counts)
                return _counts.GetValueOrDefault($"{instrument}|{reason}");
        }

        public void Dispose() => _listener.Dispose();
    }
}
