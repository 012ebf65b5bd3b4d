namespace Warden.Domain.People;

public static class PersonErrors
{
    public static readonly Error NotSignedIn = new("access.not_signed_in", "You are not signed in.");
    public static readonly Error Disabled = new("access.disabled", "Your account is disabled.");
    public static readonly Error SecondFactorRequired = new("access.second_factor_required",
        "Officers and administrators act only after signing in with a second factor (an authenticator app or a passkey). Enrol one, or sign in again with it.");
    public static readonly Error StepUpRequired = new("access.step_up_required",
        "This action needs a fresh proof that it is you: confirm your second factor, then try again.");
    public static readonly Error CannotGrantSelf =
        new("people.cannot_grant_self", "You cannot give yourself a role; another administrator must do it.");
    public static readonly Error CannotDisableSelf = new("people.cannot_disable_self", "You cannot disable your own account.");
    public static readonly Error LastAdministrator =
        new("people.last_administrator", "At least one active administrator must remain.");

    public static Error Forbidden(IEnumerable<string> roles) =>
        new("access.forbidden", $"This needs the role {string.Join(" or ", roles.Select(Roles.DisplayName))}.");

    public static Error UnknownRole(string role) => new("people.unknown_role", $"'{role}' is not a role.");

    public static Error NotFound(string id) => new("people.not_found", $"No user with id '{id}'.");
}
