namespace Warden.Domain.Guardrails.PersonalData;

/// <summary>The US SSA's rules for numbers that are never issued.</summary>
public static class SocialSecurityNumber
{
    public static bool IsIssuable(int area, int group, int serial) =>
        area is > 0 and < 900 and not 666 && group is > 0 and <= 99 && serial is > 0 and <= 9999;
}
