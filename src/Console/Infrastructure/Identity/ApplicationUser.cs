using Microsoft.AspNetCore.Identity;

namespace Warden.Infrastructure.Identity;

public sealed class ApplicationUser : IdentityUser
{
    [PersonalData]
    public string? DisplayName { get; set; }

    public bool IsDisabled { get; set; }

    public DateTimeOffset? DisabledAt { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
