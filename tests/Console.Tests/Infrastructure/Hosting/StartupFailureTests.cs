using System.Diagnostics;
using Warden.Tests.Support;

namespace Warden.Tests.Infrastructure.Hosting;

/// <summary>
/// Runs the built app as a real process with a broken configuration: it must stop with exit code 1
/// and one clear line on stderr, never a stack trace.
/// </summary>
public sealed class StartupFailureTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly DirectoryInfo _dataDirectory = Directory.CreateTempSubdirectory("warden-startup-");

    [Fact]
    public async Task Start_WithAnUnknownDatabaseProvider_StopsWithOneLineNamingTheSetting()
    {
        var environment = new Dictionary<string, string> { ["Database__Provider"] = "Bogus" };

        var run = await RunAppAsync(environment);

        run.ExitCode.ShouldBe(1, run.ToString());
        var line = run.ErrorLines.ShouldHaveSingleItem(run.ToString());
        line.ShouldStartWith("Warden cannot start:");
        line.ShouldContain("Database:Provider");
        line.ShouldContain("Bogus");
    }

    [Fact]
    public async Task Start_WithAnUnreachablePostgreSql_StopsWithOneLineNamingTheServer()
    {
        var environment = new Dictionary<string, string>
        {
            ["Database__Provider"] = "Postgres",
            ["Database__ConnectionString"] = "Host=127.0.0.1;Port=1;Database=x;Username=x;Password=x;Timeout=3",
            ["Database__StartupWaitSeconds"] = "2",
            ["Keys__EncryptionKey"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
            ["AgentIdentity__Issuer"] = "https://warden.example/",
        };

        var run = await RunAppAsync(environment);

        run.ExitCode.ShouldBe(1, run.ToString());
        var line = run.ErrorLines.ShouldHaveSingleItem(run.ToString());
        line.ShouldStartWith("Warden cannot start:");
        line.ShouldContain("PostgreSQL");
        line.ShouldContain("127.0.0.1:1");
        line.ShouldContain("cannot be reached");
    }

    [Fact]
    public async Task Start_WithPostgresButNoConnectionString_StopsWithOneLineNamingTheSetting()
    {
        var environment = new Dictionary<string, string> { ["Database__Provider"] = "Postgres" };

        var run = await RunAppAsync(environment);

        run.ExitCode.ShouldBe(1, run.ToString());
        var line = run.ErrorLines.ShouldHaveSingleItem(run.ToString());
        line.ShouldStartWith("Warden cannot start:");
        line.ShouldContain("Database:ConnectionString");
    }

    [Fact]
    public async Task Start_OnPostgresWithoutAKeyEncryptionKey_StopsWithOneLineNamingTheSetting()
    {
        var environment = new Dictionary<string, string>
        {
            ["Database__Provider"] = "Postgres",
            ["Database__ConnectionString"] = "Host=127.0.0.1;Port=1;Database=x;Username=x;Password=x;Timeout=3",
            ["AgentIdentity__Issuer"] = "https://warden.example/",
        };

        var run = await RunAppAsync(environment);

        run.ExitCode.ShouldBe(1, run.ToString());
        var line = run.ErrorLines.ShouldHaveSingleItem(run.ToString());
        line.ShouldStartWith("Warden cannot start:");
        line.ShouldContain("Keys:EncryptionKey");
    }

    [Fact]
    public async Task Start_OnPostgresWithoutAnIssuer_StopsWithOneLineNamingTheSetting()
    {
        var environment = new Dictionary<string, string>
        {
            ["Database__Provider"] = "Postgres",
            ["Database__ConnectionString"] = "Host=127.0.0.1;Port=1;Database=x;Username=x;Password=x;Timeout=3",
            ["Keys__EncryptionKey"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
        };

        var run = await RunAppAsync(environment);

        run.ExitCode.ShouldBe(1, run.ToString());
        var line = run.ErrorLines.ShouldHaveSingleItem(run.ToString());
        line.ShouldStartWith("Warden cannot start:");
        line.ShouldContain("AgentIdentity:Issuer");
    }

    [Fact]
    public async Task Start_WithAKeyEncryptionKeyThatDoesNotOpenTheStoredKeys_StopsWithOneLineAndReplacesNothing()
    {
        using (var database = new SharedDatabase(_dataDirectory.FullName))
            _ = database.Keys(SharedDatabase.NewKek()).GetOrCreate("masking", "hmac-sha256", () => System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        var environment = new Dictionary<string, string>
        {
            ["Keys__EncryptionKey"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
        };

        var run = await RunAppAsync(environment);

        run.ExitCode.ShouldBe(1, run.ToString());
        var line = run.ErrorLines.ShouldHaveSingleItem(run.ToString());
        line.ShouldStartWith("Warden cannot start:");
        line.ShouldContain("'masking' does not open with the key-encryption key from Keys:EncryptionKey");
        using var after = new SharedDatabase(_dataDirectory.FullName);
        using var db = after.CreateDbContext();
        db.StoredKeys.Count().ShouldBe(1);
    }

    [Fact]
    public async Task Start_WithASessionRevalidationOverAMinute_StopsWithOneLineNamingTheSetting()
    {
        var environment = new Dictionary<string, string> { ["Sessions__RevalidationSeconds"] = "600" };

        var run = await RunAppAsync(environment);

        run.ExitCode.ShouldBe(1, run.ToString());
        var line = run.ErrorLines.ShouldHaveSingleItem(run.ToString());
        line.ShouldStartWith("Warden cannot start:");
        line.ShouldContain("RevalidationSeconds");
    }

    [Fact]
    public async Task Start_WithAPatternPackThatDoesNotParse_StopsWithOneLineNamingTheSettingAndFile()
    {
        var pack = Path.Combine(_dataDirectory.FullName, "injection-extra.json");
        await File.WriteAllTextAsync(pack, """{ "version": "team-1", "patterns": [ { "id": "x", "kind": "injection.override", "pattern": "(unclosed" } ] }""",
                                     TestContext.Current.CancellationToken);
        var environment = new Dictionary<string, string> { ["Guardrails__InjectionPackFile"] = pack };

        var run = await RunAppAsync(environment);

        run.ExitCode.ShouldBe(1, run.ToString());
        var line = run.ErrorLines.ShouldHaveSingleItem(run.ToString());
        line.ShouldStartWith("Warden cannot start:");
        line.ShouldContain("Guardrails:InjectionPackFile");
        line.ShouldContain("injection-extra.json");
    }

    [Fact]
    public async Task Start_WithADetectorWithoutAUrl_StopsWithOneLineNamingTheDetector()
    {
        var environment = new Dictionary<string, string> { ["Guardrails__Detectors__0__Name"] = "classifier" };

        var run = await RunAppAsync(environment);

        run.ExitCode.ShouldBe(1, run.ToString());
        var line = run.ErrorLines.ShouldHaveSingleItem(run.ToString());
        line.ShouldStartWith("Warden cannot start:");
        line.ShouldContain("Guardrails:Detectors:0");
    }

    public void Dispose()
    {
        try
        {
            _dataDirectory.Delete(recursive: true);
        }
        catch (IOException)
        {
            // Left to the system's temp clean-up.
        }
    }

    private async Task<AppRun> RunAppAsync(IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo
        {
            FileName = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet",
            WorkingDirectory = RepositoryRoot.Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(typeof(Program).Assembly.Location);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Urls"] = "http://127.0.0.1:0";
        start.Environment["Database__DataDirectory"] = _dataDirectory.FullName;
        start.Environment["Jobs__Storage"] = "InMemory";
        start.Environment["Demo__Enabled"] = "false";
        start.Environment["AgentIdentity__SigningCertificatePath"] = TestTokenKeys.SigningPath;
        start.Environment["AgentIdentity__EncryptionCertificatePath"] = TestTokenKeys.EncryptionPath;
        foreach (var (key, value) in environment)
            start.Environment[key] = value;

        using var process = Process.Start(start) ?? throw new InvalidOperationException("The app did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(Patience);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"The app was still running after {Patience}: it should have refused to start.");
        }
        return new AppRun(process.ExitCode, await stdout, await stderr);
    }

    private sealed record AppRun(int ExitCode, string Output, string Error)
    {
        public IReadOnlyList<string> ErrorLines =>
            Error.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Trim().Length > 0).ToList();

        public override string ToString() => $"exit {ExitCode}\n--- stderr ---\n{Error}\n--- stdout ---\n{Output}";
    }
}
