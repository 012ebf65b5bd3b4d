using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Time.Testing;
using OpenIddict.Abstractions;
using Warden.Infrastructure.AgentIdentity;

namespace Warden.Tests.Infrastructure.AgentIdentity;

/// <summary>Tokens already validated are remembered exactly as long as validation would accept them again.</summary>
public sealed class ValidatedTokensTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 7, 6, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Find_AnswersUntilTheExpiryPlusTheClockSkew_AndNotAfter()
    {
        var tokens = new ValidatedTokens(_clock);
        var ticket = Ticket(expires: _clock.GetUtcNow().AddMinutes(5));
        tokens.Remember("Bearer one", ticket);

        tokens.Find("Bearer one").ShouldBeSameAs(ticket);
        _clock.Advance(TimeSpan.FromMinutes(5) + ValidatedTokens.ClockSkew);
        tokens.Find("Bearer one").ShouldBeSameAs(ticket, "OpenIddict accepts the token up to its expiry plus the skew");
        _clock.Advance(TimeSpan.FromSeconds(1));
        tokens.Find("Bearer one").ShouldBeNull();
        tokens.Count.ShouldBe(0);
    }

    [Fact]
    public void Find_OnlyTheExactHeaderRemembered()
    {
        var tokens = new ValidatedTokens(_clock);
        tokens.Remember("Bearer one", Ticket(expires: _clock.GetUtcNow().AddMinutes(5)));

        tokens.Find("Bearer one ").ShouldBeNull();
        tokens.Find("bearer one").ShouldBeNull();
        tokens.Find("Bearer on").ShouldBeNull();
    }

    [Fact]
    public void Remember_ATokenWithoutExpiryOrAlreadyExpired_IsNotRemembered()
    {
        var tokens = new ValidatedTokens(_clock);

        tokens.Remember("Bearer none", Ticket(expires: null));
        tokens.Remember("Bearer old", Ticket(expires: _clock.GetUtcNow() - ValidatedTokens.ClockSkew - TimeSpan.FromSeconds(1)));

        tokens.Find("Bearer none").ShouldBeNull();
        tokens.Find("Bearer old").ShouldBeNull();
        tokens.Count.ShouldBe(0);
    }

    [Fact]
    public void Remember_AtCapacity_DropsExpiredEntriesFirst_AndOtherwiseRemembersNothingMore()
    {
        var tokens = new ValidatedTokens(_clock);
        for (var i = 0; i < ValidatedTokens.Capacity; i++)
            tokens.Remember($"Bearer short-{i}", Ticket(expires: _clock.GetUtcNow().AddMinutes(1)));
        tokens.Remember("Bearer over", Ticket(expires: _clock.GetUtcNow().AddMinutes(5)));
        tokens.Find("Bearer over").ShouldBeNull();
        tokens.Count.ShouldBe(ValidatedTokens.Capacity);

        _clock.Advance(TimeSpan.FromMinutes(2));
        tokens.Remember("Bearer later", Ticket(expires: _clock.GetUtcNow().AddMinutes(5)));

        tokens.Find("Bearer later").ShouldNotBeNull();
        tokens.Count.ShouldBe(1);
    }

    private static AuthenticationTicket Ticket(DateTimeOffset? expires)
    {
        var identity = new ClaimsIdentity("test");
        identity.SetClaim(OpenIddictConstants.Claims.Subject, "agt_one");
        var principal = new ClaimsPrincipal(identity);
        if (expires is { } at)
            principal.SetExpirationDate(at);
        return new AuthenticationTicket(principal, "test");
    }
}
