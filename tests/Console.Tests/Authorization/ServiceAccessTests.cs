using System.Collections;
using System.Reflection;
using System.Security.Claims;
using Microsoft.Extensions.DependencyInjection;
using Warden.Domain;
using Warden.Domain.People;
using Warden.Features.Agents;
using Warden.Tests.Features.Agents;
using Warden.Tests.Support;

namespace Warden.Tests.Authorization;

/// <summary>
/// Every query and command of every feature service, called by every identity: authorization lives in
/// the services, so a handler reached without its button is still refused.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class ServiceAccessTests(WardenAppFactory app) : IClassFixture<WardenAppFactory>
{
    private readonly AccessMatrix _matrix = AccessMatrix.Load();

    [Fact]
    public void Matrix_ListsExactlyTheServiceMethodsOfTheApp()
    {
        var methods = ServiceMethods().Select(m => Key(m)).Distinct().ToList();

        var listed = _matrix.Services.Keys.Concat(_matrix.ServicesExcluded.Keys).ToList();

        methods.Count.ShouldBeGreaterThanOrEqualTo(3, "the scan must see the feature services");
        listed.ShouldBeUnique();
        var missing = methods.Except(listed).Order(StringComparer.Ordinal).ToList();
        var gone = listed.Except(methods).Order(StringComparer.Ordinal).ToList();
        missing.ShouldBeEmpty("service methods missing from access-matrix.json (list the roles allowed):\n" + string.Join('\n', missing));
        gone.ShouldBeEmpty("service methods in access-matrix.json that no longer exist:\n" + string.Join('\n', gone));
    }

    [Fact]
    public void Matrix_NamesOnlyKnownRolesAndGivesEveryExclusionAReason()
    {
        var roles = _matrix.Services.Values.SelectMany(r => r).Distinct().ToList();

        roles.ShouldAllBe(r => Roles.IsKnown(r));
        _matrix.Services.Values.ShouldAllBe(r => r.Count > 0);
        _matrix.ServicesExcluded.Values.ShouldAllBe(reason => reason.Length > 20);
    }

    [Fact]
    public async Task EveryServiceMethod_CalledByEachIdentity_IsRefusedUnlessTheMatrixAllowsIt()
    {
        var principals = new Dictionary<string, ClaimsPrincipal>(StringComparer.Ordinal)
        {
            [AccessMatrix.Anonymous] = new(new ClaimsIdentity()),
        };
        foreach (var role in Roles.All)
            principals[role] = await app.PrincipalForAsync(DemoAccounts.ForRole(role));
        var methods = ServiceMethods().Where(m => !_matrix.ServicesExcluded.ContainsKey(Key(m))).ToList();

        var wrong = new List<string>();
        foreach (var method in methods)
        {
            var allowed = _matrix.Services.GetValueOrDefault(Key(method)) ?? [];
            foreach (var (identity, principal) in principals)
            {
                var error = await InvokeAsync(method, principal);
                var expected = identity == AccessMatrix.Anonymous ? PersonErrors.NotSignedIn.Code
                    : allowed.Contains(identity) ? null
                    : "access.forbidden";
                var acceptable = expected is null ? !error.Code.StartsWith("access.", StringComparison.Ordinal) : error.Code == expected;
                if (!acceptable)
                    wrong.Add($"{Key(method)} as {identity}: expected {expected ?? "access granted"}, was {(error == Error.None ? "success" : error.Code)}");
            }
        }

        methods.ShouldNotBeEmpty();
        wrong.ShouldBeEmpty(string.Join('\n', wrong));
    }

    [Theory]
    [InlineData(Roles.Auditor)]
    [InlineData(Roles.Administrator)]
    public async Task AgentCommands_OnAnAgentTheyCanSee_AreForbiddenToRolesThatMustNotChangeAgents(string role)
    {
        var agentId = await RegisterAgentAsync();
        var changesBefore = await ChangeCountAsync(agentId);
        var principal = await app.PrincipalForAsync(DemoAccounts.ForRole(role));
        var commands = ServiceMethods()
            .Where(m => m.DeclaringType == typeof(AgentRegistryService) && m.GetParameters() is [{ Name: "id", ParameterType: var t }, ..] && t == typeof(string))
            .ToList();

        var outcomes = new List<string>();
        foreach (var command in commands)
            outcomes.Add($"{Key(command)}: {(await InvokeAsync(command, principal, p => p.Name == "id" ? agentId : Dummy(p.ParameterType))).Code}");

        commands.Count.ShouldBeGreaterThanOrEqualTo(5, "the scan must see the agent commands");
        outcomes.ShouldAllBe(o => o.EndsWith(": access.forbidden", StringComparison.Ordinal), string.Join('\n', outcomes));
        (await ChangeCountAsync(agentId)).ShouldBe(changesBefore);
    }

    private async Task<string> RegisterAgentAsync()
    {
        var registered = await app.AsUserAsync<AgentRegistryService, Result<string>>(DemoAccounts.Owner, s => s.RegisterAsync(AgentDraftBuilder.Valid()));
        registered.IsSuccess.ShouldBeTrue(registered.Error.ToString());
        return registered.Value;
    }

    private async Task<int> ChangeCountAsync(string agentId)
    {
        var details = await app.AsUserAsync<AgentDirectoryService, Result<AgentDetails>>(DemoAccounts.Officer, s => s.GetAgentAsync(agentId));
        return details.Value.Changes.Count;
    }

    private static string Key(MethodInfo method) => $"{method.DeclaringType!.Name}.{method.Name}";

    /// <summary>Public instance methods returning <c>Task&lt;Result&gt;</c> or <c>Task&lt;Result&lt;T&gt;&gt;</c> on the public sealed <c>*Service</c> classes of <c>Warden.Features.*</c>.</summary>
    internal static IEnumerable<MethodInfo> ServiceMethods() =>
        typeof(Program).Assembly.GetTypes()
            // Every feature type with commands or queries that answer a Result, whatever its name: the
            // services people reach and the engines and agent-facing types they or the API call.
            .Where(t => t is { IsPublic: true, IsSealed: true, IsAbstract: false }
                && t.Namespace?.StartsWith("Warden.Features.", StringComparison.Ordinal) == true)
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            .Where(m => m.ReturnType.IsGenericType
                && m.ReturnType.GetGenericTypeDefinition() == typeof(Task<>)
                && typeof(Result).IsAssignableFrom(m.ReturnType.GetGenericArguments()[0]))
            .OrderBy(Key, StringComparer.Ordinal);

    private Task<Error> InvokeAsync(MethodInfo method, ClaimsPrincipal principal, Func<ParameterInfo, object?>? argument = null) =>
        InvokeAsync(app, method, principal, argument);

    /// <summary>Calls <paramref name="method"/> as <paramref name="principal"/> with harmless arguments; returns the result's error.</summary>
    internal static async Task<Error> InvokeAsync(WardenAppFactory app, MethodInfo method, ClaimsPrincipal principal, Func<ParameterInfo, object?>? argument = null)
    {
        await using var scope = app.Services.CreateAsyncScope();
        ActingAs.Authenticate(scope.ServiceProvider, principal);
        var service = scope.ServiceProvider.GetRequiredService(method.DeclaringType!);
        var arguments = method.GetParameters().Select(argument ?? (p => Dummy(p.ParameterType))).ToArray();

        var task = (Task)method.Invoke(service, arguments)!;
        await task;

        var result = (Result)task.GetType().GetProperty(nameof(Task<Result>.Result))!.GetValue(task)!;
        return result.Error;
    }

    /// <summary>A harmless argument: "x" for text, empty for collections, default for structs, records built from dummies.</summary>
    private static object? Dummy(Type type)
    {
        if (type == typeof(string))
            return "x";
        if (type == typeof(CancellationToken))
            return TestContext.Current.CancellationToken;
        if (type.IsArray)
            return Array.CreateInstance(type.GetElementType()!, 0);
        if (type.IsInterface && typeof(IEnumerable).IsAssignableFrom(type))
        {
            var element = type.IsGenericType ? type.GetGenericArguments()[0] : typeof(object);
            return Array.CreateInstance(element, 0);
        }
        if (type.IsValueType)
            return Activator.CreateInstance(type);
        if (type.IsAssignableFrom(typeof(MemoryStream)))
            return new MemoryStream();
        if (type.IsInterface && type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IProgress<>))
            return null;
        var constructor = type.GetConstructors().OrderByDescending(c => c.GetParameters().Length).FirstOrDefault()
            ?? throw new InvalidOperationException($"No way to build a dummy {type}.");
        return constructor.Invoke(constructor.GetParameters().Select(p => Dummy(p.ParameterType)).ToArray());
    }
}
