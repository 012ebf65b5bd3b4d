using Hangfire;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Warden.Domain;
using Warden.Domain.Audit;
using Warden.Domain.People;
using Warden.Features.Agents;
using Warden.Features.AuditLog;
using Warden.Infrastructure.Identity;
using Warden.Persistence;

namespace Warden.Features.Administration;

public sealed record UserRow(
    string Id,
    string Email,
    string? DisplayName,
    IReadOnlyList<string> Roles,
    bool IsDisabled,
    bool IsLockedOut,
    DateTimeOffset CreatedAt);

public sealed record NewUser(string Email, string? DisplayName, string Password, IReadOnlyCollection<string> Roles);

/// <summary>
/// People and their roles. Every method checks that the caller is an enabled administrator, read
/// fresh from the database, so a page left open by a disabled administrator can change nothing.
/// </summary>
public sealed class UserAdministrationService(
    AccessGuard access,
    IDbContextFactory<WardenDbContext> contexts,
    IServiceScopeFactory scopes,
    IBackgroundJobClient jobs,
    AuditWriter audit,
    TimeProvider clock)
{
    // A change that needed no write (a role already held, a person already enabled): nothing to audit.
    private static readonly Result Unchanged = Result.Success();

    public async Task<Result<IReadOnlyList<UserRow>>> GetUsersAsync(CancellationToken cancellationToken = default)
    {
        var actor = await access.RequireAsync(Roles.Administrator);
        if (actor.IsFailure)
            return actor.Error;

        await using var db = contexts.CreateDbContext();
        var now = clock.GetUtcNow();
        var users = await db.Users.AsNoTracking().OrderBy(u => u.Email).ToListAsync(cancellationToken);
        var links = await (from link in db.UserRoles
                           join role in db.Roles on link.RoleId equals role.Id
                           select new { link.UserId, Role = role.Name! }).ToListAsync(cancellationToken);
        var rolesByUser = links.ToLookup(l => l.UserId, l => l.Role);
        return users.Select(u => new UserRow(
                u.Id,
                u.Email ?? string.Empty,
                u.DisplayName,
                rolesByUser[u.Id].Order(StringComparer.Ordinal).ToList(),
                u.IsDisabled,
                u.LockoutEnd > now,
                u.CreatedAt))
            .ToList();
    }

    public async Task<Result<string>> CreateUserAsync(NewUser request)
    {
        // A new person given roles is a change of roles: it needs a step-up like adding one.
        var actor = request.Roles.Count > 0
            ? await access.RequireStepUpAsync(Roles.Administrator)
            : await access.RequireToActAsync(Roles.Administrator);
        if (actor.IsFailure)
            return actor.Error;
        var email = request.Email.Trim();
        if (request.Roles.FirstOrDefault(r => !Roles.IsKnown(r)) is { } unknown)
            return PersonErrors.UnknownRole(unknown);

        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var user = new ApplicationUser
        {
            UserName = email,
            Email = email,
            EmailConfirmed = true,
            DisplayName = string.IsNullOrWhiteSpace(request.DisplayName) ? null : request.DisplayName.Trim(),
            CreatedAt = clock.GetUtcNow(),
        };
        var created = await users.CreateAsync(user, request.Password);
        if (!created.Succeeded)
            return IdentityFailure(created, email);
        if (request.Roles.Count > 0)
        {
            var added = await users.AddToRolesAsync(user, request.Roles);
            if (!added.Succeeded)
                return IdentityFailure(added, email);
        }
        await RecordAsync(actor.Value, "person.created", user, new { roles = request.Roles.Order(StringComparer.Ordinal).ToList() });
        return user.Id;
    }

    public Task<Result> AddRoleAsync(string userId, string role) =>
        ChangeAsync(userId, "person.role_added", new { role }, stepUp: true, async (users, user, actor) =>
        {
            if (!Roles.IsKnown(role))
                return PersonErrors.UnknownRole(role);
            // Separation of duties: nobody widens their own powers, administrators included.
            if (user.Id == actor.Id.Value)
                return PersonErrors.CannotGrantSelf;
            if (await users.IsInRoleAsync(user, role))
                return Unchanged;
            return ToResult(await users.AddToRoleAsync(user, role), user.Email);
        });

    public Task<Result> RemoveRoleAsync(string userId, string role) =>
        ChangeAsync(userId, "person.role_removed", new { role }, stepUp: true, async (users, user, _) =>
        {
            if (!await users.IsInRoleAsync(user, role))
                return Unchanged;
            if (role == Roles.Administrator && await IsLastActiveAdministratorAsync(users, user))
                return PersonErrors.LastAdministrator;
            var removed = await users.RemoveFromRoleAsync(user, role);
            if (removed.Succeeded && role == Roles.AgentOwner)
                FlagOrphans();
            return removed.Succeeded ? ToResult(await users.UpdateSecurityStampAsync(user), user.Email) : ToResult(removed, user.Email);
        });

    public Task<Result> DisableAsync(string userId) =>
        ChangeAsync(userId, "person.disabled", new { }, stepUp: false, async (users, user, actor) =>
        {
            if (user.Id == actor.Id.Value)
                return PersonErrors.CannotDisableSelf;
            if (user.IsDisabled)
                return Unchanged;
            if (await IsLastActiveAdministratorAsync(users, user))
                return PersonErrors.LastAdministrator;
            user.IsDisabled = true;
            user.DisabledAt = clock.GetUtcNow();
            var updated = await users.UpdateAsync(user);
            if (updated.Succeeded)
                FlagOrphans();
            return updated.Succeeded ? ToResult(await users.UpdateSecurityStampAsync(user), user.Email) : ToResult(updated, user.Email);
        });

    public Task<Result> EnableAsync(string userId) =>
        ChangeAsync(userId, "person.enabled", new { }, stepUp: false, async (users, user, _) =>
        {
            if (!user.IsDisabled)
                return Unchanged;
            user.IsDisabled = false;
            user.DisabledAt = null;
            var updated = await users.UpdateAsync(user);
            return updated.Succeeded ? ToResult(await users.SetLockoutEndDateAsync(user, null), user.Email) : ToResult(updated, user.Email);
        });

    public Task<Result> ResetPasswordAsync(string userId, string newPassword) =>
        ChangeAsync(userId, "person.password_reset", new { }, stepUp: false, async (users, user, _) =>
        {
            var token = await users.GeneratePasswordResetTokenAsync(user);
            return ToResult(await users.ResetPasswordAsync(user, token, newPassword), user.Email);
        });

    private async Task<Result> ChangeAsync(
        string userId, string kind, object data, bool stepUp, Func<UserManager<ApplicationUser>, ApplicationUser, Actor, Task<Result>> change)
    {
        var actor = stepUp ? await access.RequireStepUpAsync(Roles.Administrator) : await access.RequireToActAsync(Roles.Administrator);
        if (actor.IsFailure)
            return actor.Error;

        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var user = await users.FindByIdAsync(userId);
        if (user is null)
            return PersonErrors.NotFound(userId);
        var result = await change(users, user, actor.Value);
        if (result.IsSuccess && !ReferenceEquals(result, Unchanged))
            await RecordAsync(actor.Value, kind, user, data);
        return result;
    }

    // UserManager saves each change itself, so the event cannot join that transaction; it is appended
    // right after the change succeeded, naming the administrator who made it. A crash in between
    // leaves a change without its event: the person's record (security stamp, roles) still shows it.
    private async Task RecordAsync(Actor actor, string kind, ApplicationUser user, object data)
    {
        await using var db = contexts.CreateDbContext();
        var entry = AuditEntry.Of(AuditActor.Person(actor.Id.Value, actor.Email), kind, user.Id, new { email = user.Email, change = data });
        await audit.AppendAsync(db, [entry]);
    }

    // The person may own agents: the directory upkeep flags them as orphans now rather than at its next run.
    private void FlagOrphans() =>
        jobs.Enqueue<DirectoryUpkeepJob>(job => job.RunAsync(CancellationToken.None));

    private static async Task<bool> IsLastActiveAdministratorAsync(UserManager<ApplicationUser> users, ApplicationUser user)
    {
        if (!await users.IsInRoleAsync(user, Roles.Administrator))
            return false;
        var admins = await users.GetUsersInRoleAsync(Roles.Administrator);
        return !admins.Any(a => !a.IsDisabled && a.Id != user.Id);
    }

    private static Result ToResult(IdentityResult result, string? email) =>
        result.Succeeded ? Result.Success() : IdentityFailure(result, email);

    private static Error IdentityFailure(IdentityResult result, string? email)
    {
        if (result.Errors.Any(e => e.Code is "DuplicateEmail" or "DuplicateUserName"))
            return new Error("people.duplicate_email", $"A user with the e-mail {email} already exists.");
        var code = result.Errors.Any(e => e.Code.StartsWith("Password", StringComparison.Ordinal))
            ? "people.weak_password"
            : "people.invalid";
        return new Error(code, string.Join(" ", result.Errors.Select(e => e.Description)));
    }
}
