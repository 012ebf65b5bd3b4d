using Hangfire.Dashboard;
using Warden.Domain.People;

namespace Warden.Infrastructure.Jobs;

/// <summary>A second lock behind the endpoint's policy: the job dashboard is for administrators.</summary>
internal sealed class AdministratorsOnlyDashboardFilter : IDashboardAuthorizationFilter
{
    public bool Authorize(DashboardContext context) =>
        context.GetHttpContext().User.IsInRole(Roles.Administrator);
}
