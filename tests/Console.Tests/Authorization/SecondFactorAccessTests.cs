using System.Reflection;
using System.Security.Claims;
using Microsoft.Extensions.DependencyInjection;
using Warden.Domain;
using Warden.Domain.People;
using Warden.Tests.Support;

namespace Warden.Tests.Authorization;

/// <summary>
/// The second-factor and step-up columns of the access matrix, held against every service method:
/// an officer or administrator with only a password is refused every command, and the listed
/// dangerous commands are refused to a session whose last proof is older than the step-up window.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class SecondFactorAccessTests(WardenAppFactory app) : IClassFixture<WardenAppFactory>
{
    private static readonly string[] ForcedRoles = [Roles.SecurityOfficer, Roles.Administrator];
    private readonly AccessMatrix _matrix = AccessMatrix.Load();

    [Fact]
    public void Matrix_NamesOnlyListedServiceMethodsAsQueriesAndStepUps()
    {
        var listed = _matrix.Services.Keys.ToHashSet(StringComparer.Ordinal);

        _matrix.Queries.ShouldBeUnique();
        _matrix.Queries.Where(q => !listed.Contains(q)).ShouldBeEmpty("queries not in services");
        _matrix.StepUp.Concat(_matrix.StepUpWhen.Keys).Where(q => !listed.Contains(q)).ShouldBeEmpty("step-ups not in services");
        _matrix.StepUp.Concat(_matrix.StepUpWhen.Keys).Where(_matrix.Queries.Contains).ShouldBeEmpty("a query cannot need a step-up");
        _matrix.StepUpWhen.Values.ShouldAllBe(reason => reason.Length > 20);
    }

    [Theory]
    [InlineData(Roles.SecurityOfficer)]
    [InlineData(Roles.Administrator)]
    public async Task EveryCommand_ByAStolenPasswordWithoutASecondFactor_IsRefusedWhileReadsStayOpen(string role)
    {
        // Signed in a moment ago with the right password, but without the second factor.
        var principal = await app.SessionForAsync(DemoAccounts.ForRole(role), secondFactor: false, provedAt: DateTimeOffset.UtcNow);
        var methods = MethodsAllowedTo(role);

        var wrong = new List<string>();
        foreach (var method in methods)
        {
            var error = await InvokeAsync(method, principal);
            var isQuery = _matrix.Queries.Contains(Key(method));
            var refused = error.Code == PersonErrors.SecondFactorRequired.Code;
            if (isQuery == refused)
                wrong.Add($"{Key(method)}: expected {(isQuery ? "a read without second factor" : PersonErrors.SecondFactorRequired.Code)}, was {(error == Error.None ? "success" : error.Code)}");
        }

        methods.Count(m => !_matrix.Queries.Contains(Key(m))).ShouldBeGreaterThanOrEqualTo(role == Roles.SecurityOfficer ? 30 : 5);
        wrong.ShouldBeEmpty(string.Join('\n', wrong));
    }

    [Theory]
    [InlineData(Roles.SecurityOfficer)]
    [InlineData(Roles.Administrator)]
    public async Task EveryCommand_ByAPersonNeverEnrolled_IsRefusedEvenWithASecondFactorClaim(string role)
    {
        var email = await NewUnenrolledPersonAsync(role);
        var principal = await app.SessionForAsync(email, secondFactor: true, provedAt: DateTimeOffset.UtcNow);
        var commands = MethodsAllowedTo(role).Where(m => !_matrix.Queries.Contains(Key(m))).ToList();

        var outcomes = new List<string>();
        foreach (var command in commands)
            outcomes.Add($"{Key(command)}: {(await InvokeAsync(command, principal)).Code}");

        commands.ShouldNotBeEmpty();
        outcomes.ShouldAllBe(o => o.EndsWith(": " + PersonErrors.SecondFactorRequired.Code, StringComparison.Ordinal), string.Join('\n', outcomes));
    }

    [Theory]
    [InlineData(Roles.AgentOwner)]
    [InlineData(Roles.Auditor)]
    public async Task Commands_ByOwnersAndAuditorsWithoutASecondFactor_AreNotRefusedForIt(string role)
    {
        var principal = await app.SessionForAsync(DemoAccounts.ForRole(role), secondFactor: false, provedAt: DateTimeOffset.UtcNow);
        var commands = MethodsAllowedTo(role).Where(m => !_matrix.Queries.Contains(Key(m))).ToList();

        var outcomes = new List<string>();
        foreach (var command in commands)
            outcomes.Add($"{Key(command)}: {(await InvokeAsync(command, principal)).Code}");

        commands.ShouldNotBeEmpty();
        outcomes.ShouldAllBe(o => !o.EndsWith(": " + PersonErrors.SecondFactorRequired.Code, StringComparison.Ordinal), string.Join('\n', outcomes));
    }

    [Fact]
    public async Task EveryStepUpCommand_FromAStaleSession_IsRefused_AndFromAFreshOneIsNot()
    {
        var wrong = new List<string>();
        foreach (var key in _matrix.StepUp)
        {
            var method = Method(key);
            var email = DemoAccounts.ForRole(_matrix.Services[key].First(r => ForcedRoles.Contains(r)));
            var stale = await app.SessionForAsync(email, secondFactor: true, provedAt: DateTimeOffset.UtcNow.AddMinutes(-30));
            var fresh = await app.SessionForAsync(email, secondFactor: true, provedAt: DateTimeOffset.UtcNow);
            var never = await app.SessionForAsync(email, secondFactor: true, provedAt: null);

            var staleError = await InvokeAsync(method, stale);
            var neverError = await InvokeAsync(method, never);
            var freshError = await InvokeAsync(method, fresh);

            if (staleError.Code != PersonErrors.StepUpRequired.Code)
                wrong.Add($"{key} proved 30 minutes ago: expected {PersonErrors.StepUpRequired.Code}, was {staleError.Code}");
            if (neverError.Code != PersonErrors.StepUpRequired.Code)
                wrong.Add($"{key} with no proof time: expected {PersonErrors.StepUpRequired.Code}, was {neverError.Code}");
            if (freshError.Code.StartsWith("access.", StringComparison.Ordinal))
                wrong.Add($"{key} proved just now: expected access granted, was {freshError.Code}");
        }

        _matrix.StepUp.Count.ShouldBeGreaterThanOrEqualTo(6);
        wrong.ShouldBeEmpty(string.Join('\n', wrong));
    }

    [Fact]
    public async Task CommandsNotListedForStepUp_FromAStaleSession_AreNotRefusedForIt()
    {
        var stepUps = _matrix.StepUp.Concat(_matrix.StepUpWhen.Keys).ToHashSet(StringComparer.Ordinal);
        var principal = await app.SessionForAsync(DemoAccounts.Officer, secondFactor: true, provedAt: DateTimeOffset.UtcNow.AddHours(-3));
        var commands = MethodsAllowedTo(Roles.SecurityOfficer).Where(m => !_matrix.Queries.Contains(Key(m)) && !stepUps.Contains(Key(m))).ToList();

        var refused = new List<string>();
        foreach (var command in commands)
        {
            if ((await InvokeAsync(command, principal)).Code == PersonErrors.StepUpRequired.Code)
                refused.Add(Key(command));
        }

        commands.ShouldNotBeEmpty();
        refused.ShouldBeEmpty("commands asking for a step-up that the matrix does not list:\n" + string.Join('\n', refused));
    }

    private async Task<string> NewUnenrolledPersonAsync(string role)
    {
        var email = TestPeople.NewEmail("unenrolled");
        await app.InScopeAsync(async sp =>
        {
            var users = sp.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<Warden.Infrastructure.Identity.ApplicationUser>>();
            var user = new Warden.Infrastructure.Identity.ApplicationUser { UserName = email, Email = email, EmailConfirmed = true };
            (await users.CreateAsync(user, TestPeople.Password)).Succeeded.ShouldBeTrue();
            (await users.AddToRoleAsync(user, role)).Succeeded.ShouldBeTrue();
            return true;
        });
        return email;
    }

    private List<MethodInfo> MethodsAllowedTo(string role) =>
        ServiceAccessTests.ServiceMethods()
            .Where(m => _matrix.Services.TryGetValue(Key(m), out var roles) && roles.Contains(role))
            .ToList();

    private static MethodInfo Method(string key) =>
        ServiceAccessTests.ServiceMethods().Single(m => Key(m) == key);

    private static string Key(MethodInfo method) => $"{method.DeclaringType!.Name}.{method.Name}";

    private Task<Error> InvokeAsync(MethodInfo method, ClaimsPrincipal principal) =>
        ServiceAccessTests.InvokeAsync(app, method, principal);
}
