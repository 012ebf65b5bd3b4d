using System.ComponentModel.DataAnnotations;

namespace Warden.Infrastructure.Identity;

public sealed class SessionOptions
{
    public const string SectionName = "Sessions";

    /// <summary>How often open pages and cookies re-check the account; at most one minute.</summary>
    [Range(1, 60)]
    public int RevalidationSeconds { get; set; } = 30;

    public TimeSpan RevalidationInterval => TimeSpan.FromSeconds(RevalidationSeconds);

    /// <summary>How recent a sign-in or second-factor check must be for the most dangerous actions.</summary>
    [Range(1, 120)]
    public int StepUpMinutes { get; set; } = 10;

    public TimeSpan StepUpWindow => TimeSpan.FromMinutes(StepUpMinutes);
}
