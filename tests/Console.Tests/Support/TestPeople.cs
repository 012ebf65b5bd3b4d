namespace Warden.Tests.Support;

/// <summary>Fresh people for tests that change accounts, so tests in one app never share a person.</summary>
public static class TestPeople
{
    public const string Password = "Sturdy-Test-Passw0rd";

    public static string NewEmail(string hint) => $"{hint}-{Guid.NewGuid().ToString("N")[..10]}@warden.example";
}
