using System.Net;

namespace Warden.Tests.Support;

/// <summary>What a response means for access control, in the words of the access matrix.</summary>
public static class AccessOutcome
{
    public const string Allow = "allow";
    public const string Login = "login";
    public const string Deny = "deny";
    public const string BadRequest = "bad-request";
    public const string NotFound = "not-found";
    public const string Error = "error";

    /// <summary>An exception escaped even the error page.</summary>
    public const string Unhandled = "unhandled";

    /// <summary>
    /// 2xx is <c>allow</c>; a 401 or a redirect to the login page is <c>login</c>; a 403 or a redirect to
    /// the access-denied page is <c>deny</c>; any other redirect is <c>redirect:/its/path</c>.
    /// </summary>
    public static string Classify(HttpResponseMessage response)
    {
        var status = (int)response.StatusCode;
        if (status is >= 200 and < 300)
            return Allow;
        if (status is >= 300 and < 400)
        {
            return response.RedirectPath() switch
            {
                Browser.LoginPath => Login,
                Browser.AccessDeniedPath => Deny,
                var other => $"redirect:{other}",
            };
        }
        return response.StatusCode switch
        {
            HttpStatusCode.Unauthorized => Login,
            HttpStatusCode.Forbidden => Deny,
            HttpStatusCode.BadRequest => BadRequest,
            HttpStatusCode.NotFound => NotFound,
            _ when status >= 500 => Error,
            _ => $"status:{status}",
        };
    }
}
