using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Warden.Tests.Support;

namespace Warden.Tests.Features.Decisions;

/// <summary>
/// DESIGN section 10, "nothing lost": the built app runs as a real process, a demo agent fires
/// decisions from many connections at once, and the process is killed with SIGKILL while requests
/// are still in flight. After a restart on the same data folder, every decision whose answer had
/// reached the agent is stored exactly once with exactly one audit event, the chain verifies, and
/// retries with the same idempotency key get the stored answer instead of a second decision.
/// </summary>
public sealed partial class DecisionDurabilityTests : IAsyncDisposable
{
    private const string AgentId = "agt_demo_support";
    private const string AgentSecret = "Warden-Demo-Agent-1";
    private const int Connections = 16;
    private const int MinimumAcknowledged = 50;
    private const int Retries = 6;
    private static readonly TimeSpan StartPatience = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan LoadBeforeKill = TimeSpan.FromMilliseconds(1500);
    private static readonly TimeSpan AcknowledgementPatience = TimeSpan.FromSeconds(30);
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly DirectoryInfo _dataDirectory = Directory.CreateTempSubdirectory("warden-durability-");
    private readonly List<AppProcess> _processes = [];

    [Fact]
    public async Task Decide_ServerKilledWhileDecisionsAreInFlight_EveryAcknowledgedDecisionSurvivesOnceWithOneAuditEventAndTheChainVerifies()
    {
        var cancellation = TestContext.Current.CancellationToken;
        var log = TestContext.Current.TestOutputHelper;

        // 1. Load, then SIGKILL while requests are still in flight.
        var first = await StartAsync(cancellation);
        var load = new DecisionLoad(first.Client, await TokenAsync(first.Client, cancellation));
        var watch = Stopwatch.StartNew();
        var loops = Enumerable.Range(0, Connections).Select(n => load.RunAsync(n, cancellation)).ToArray();
        while ((watch.Elapsed < LoadBeforeKill || load.Acknowledged.Count < MinimumAcknowledged)
               && watch.Elapsed < AcknowledgementPatience && !loops.All(l => l.IsCompleted))
            await Task.Delay(10, cancellation);
        // The connections keep sending until the process is gone, so the kill always lands mid-request.
        load.Killing();
        first.Kill();
        load.Stop();
        await Task.WhenAll(loops);
        var acknowledged = load.Acknowledged.Values.ToList();
        var unanswered = load.Unanswered.Keys.ToList();
        log?.WriteLine($"Killed after {watch.Elapsed.TotalMilliseconds:F0} ms: " +
                       $"{acknowledged.Count} acknowledged ({acknowledged.Count(a => a.Status == HttpStatusCode.OK)} allowed, " +
                       $"{acknowledged.Count(a => a.Status == HttpStatusCode.TooManyRequests)} rate limited), {unanswered.Count} cut off in flight, {load.NotSent} refused a connection after the kill, " +
                       $"{load.Refusals.Count} other answers before the kill.");

        load.Refusals.ShouldBeEmpty($"answers before the kill that were neither a decision nor a rate limit:\n{string.Join('\n', load.Refusals.Take(5))}");
        acknowledged.Count.ShouldBeGreaterThanOrEqualTo(MinimumAcknowledged, first.Output);
        unanswered.ShouldNotBeEmpty("the kill has to land while requests are in flight");

        // 2. Restart on the same data folder.
        var second = await StartAsync(cancellation);
        var token = await TokenAsync(second.Client, cancellation);

        // 3. Retries with the same key: acknowledged ones get their decision back; ones whose answer was
        // lost in the kill get either the decision that was committed or a new one, never two.
        var retried = new List<(Sent Request, string Id)>();
        var sample = acknowledged.Where(a => a.Status == HttpStatusCode.OK).Take(Retries / 2)
            .Concat(acknowledged.Where(a => a.Status == HttpStatusCode.TooManyRequests).Take(Retries / 2))
            .Concat(unanswered.Take(Retries).Select(key => new Acknowledged(key, load.Unanswered[key], string.Empty, 0)));
        foreach (var request in sample)
        {
            var answer = await DecisionLoad.SendAsync(second.Client, token, request.Key, request.Body, cancellation);
            var id = answer.Id.ShouldNotBeNull($"retry of {request.Key} got {(int)answer.Status}: {answer.Body}");
            if (request.Id.Length > 0)
                id.ShouldBe(request.Id, $"a retry of {request.Key} with the same key after the restart must return the stored decision");
            retried.Add((new Sent(request.Key, request.Body), id));
        }

        // 4. The chain verifies, as an auditor sees it.
        var report = await VerifyAsAuditorAsync(second, cancellation);
        report.GetProperty("verified").GetBoolean().ShouldBeTrue(report.ToString());

        // 5. The file itself: one row and one audit event per decision.
        var stored = await StoredAsync(cancellation);
        var problems = new List<string>();
        var rowsById = stored.Rows.GroupBy(r => r.Id, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var idsByKey = stored.Rows.Where(r => r.IdempotencyKey is not null)
            .GroupBy(r => r.IdempotencyKey!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(r => r.Id).ToList(), StringComparer.Ordinal);
        foreach (var a in acknowledged)
        {
            var rows = rowsById.GetValueOrDefault(a.Id);
            if (rows != 1)
                problems.Add($"acknowledged {a.Id} ({(int)a.Status}, key {a.Key}) has {rows} rows in Decisions");
            var byKey = idsByKey.GetValueOrDefault(a.Key) ?? [];
            if (byKey.Count != 1 || byKey[0] != a.Id)
                problems.Add($"key {a.Key} of acknowledged {a.Id} maps to [{string.Join(", ", byKey)}]");
            var events = stored.EventsReferencing.GetValueOrDefault(a.Id);
            if (events != 1)
                problems.Add($"acknowledged {a.Id} ({(int)a.Status}) is recorded by {events} decision events");
        }
        foreach (var (request, id) in retried)
        {
            var byKey = idsByKey.GetValueOrDefault(request.Key) ?? [];
            if (byKey.Count != 1 || byKey[0] != id)
                problems.Add($"retried key {request.Key} (answered {id}) maps to [{string.Join(", ", byKey)}]");
        }
        // A decision and its event commit in one transaction: neither exists without the other.
        foreach (var row in stored.Rows.Where(r => stored.EventsReferencing.GetValueOrDefault(r.Id) != 1))
            problems.Add($"stored {row.Id} (key {row.IdempotencyKey}) is recorded by {stored.EventsReferencing.GetValueOrDefault(row.Id)} decision events");
        foreach (var orphan in stored.Mentioned.Where(id => !rowsById.ContainsKey(id)))
            problems.Add($"audit events reference {orphan}, which has no row in Decisions");
        log?.WriteLine($"After the restart: {stored.Rows.Count} decisions stored, {stored.EventCount} audit events, " +
                       $"chain head {report.GetProperty("headSequence")}, {retried.Count} retries answered by the stored decision.");

        problems.ShouldBeEmpty($"{problems.Count} durability faults:\n{string.Join('\n', problems.Take(20))}");
        stored.Rows.Count.ShouldBeGreaterThanOrEqualTo(acknowledged.Count);
        report.GetProperty("eventsChecked").GetInt64().ShouldBeGreaterThanOrEqualTo(stored.Rows.Count);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
            await process.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try
        {
            _dataDirectory.Delete(recursive: true);
        }
        catch (IOException)
        {
            // Left to the system's temp clean-up.
        }
    }

    private async Task<AppProcess> StartAsync(CancellationToken cancellationToken)
    {
        var app = AppProcess.Start(_dataDirectory.FullName, FreePort());
        _processes.Add(app);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(StartPatience);
        while (true)
        {
            if (app.HasExited)
                throw new InvalidOperationException($"The app stopped during start-up:\n{app.Output}");
            try
            {
                using var attempt = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token);
                attempt.CancelAfter(TimeSpan.FromSeconds(10));
                await TokenAsync(app.Client, attempt.Token);
                return app;
            }
            catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or InvalidOperationException
                                       && !cancellationToken.IsCancellationRequested)
            {
                if (deadline.IsCancellationRequested)
                    throw new TimeoutException($"The app did not answer within {StartPatience}:\n{app.Output}", ex);
                await Task.Delay(250, cancellationToken);
            }
        }
    }

    private static async Task<string> TokenAsync(HttpClient client, CancellationToken cancellationToken)
    {
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = AgentId,
            ["client_secret"] = AgentSecret,
        });
        using var response = await client.PostAsync(new Uri("/connect/token", UriKind.Relative), form, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"The token endpoint answered {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("access_token").GetString()!;
    }

    private static async Task<JsonElement> VerifyAsAuditorAsync(AppProcess app, CancellationToken cancellationToken)
    {
        using var browser = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() })
        {
            BaseAddress = app.Client.BaseAddress,
            Timeout = TimeSpan.FromSeconds(60),
        };
        await browser.SignInAsync(DemoAccounts.Auditor, DemoAccounts.Password);
        using var response = await browser.GetAsync(new Uri("/audit/verify", UriKind.Relative), cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private async Task<StoredDecisions> StoredAsync(CancellationToken cancellationToken)
    {
        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(_dataDirectory.FullName, "warden.db"),
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
        }.ToString();
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken);

        var rows = new List<StoredRow>();
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT Id, IdempotencyKey FROM Decisions";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
                rows.Add(new StoredRow(reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1)));
        }

        // The event that records a decision is one of decision.allowed, .denied or .pending; later events
        // may mention the decision too (a behaviour alert it raised), and must name a stored decision.
        var recording = new Dictionary<string, int>(StringComparer.Ordinal);
        var mentioned = new HashSet<string>(StringComparer.Ordinal);
        var events = 0;
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT Kind, Data FROM AuditEvents ORDER BY Sequence";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                events++;
                var records = reader.GetString(0) is "decision.allowed" or "decision.denied" or "decision.pending";
                foreach (var id in DecisionIdPattern().Matches(reader.GetString(1)).Select(m => m.Value).Distinct(StringComparer.Ordinal))
                {
                    mentioned.Add(id);
                    if (records)
                        recording[id] = recording.GetValueOrDefault(id) + 1;
                }
            }
        }
        return new StoredDecisions(rows, recording, mentioned, events);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [GeneratedRegex("dec_[0-9A-Za-z]{26}", RegexOptions.CultureInvariant)]
    private static partial Regex DecisionIdPattern();

    private sealed record Sent(string Key, string Body);

    private sealed record Acknowledged(string Key, string Body, string Id, HttpStatusCode Status);

    private sealed record Answer(HttpStatusCode Status, string Body, string? Id);

    private sealed record StoredRow(string Id, string? IdempotencyKey);

    /// <param name="EventsReferencing">Per decision id, the events that record it (decision.allowed, .denied, .pending).</param>
    /// <param name="Mentioned">Every decision id any event names.</param>
    private sealed record StoredDecisions(List<StoredRow> Rows, Dictionary<string, int> EventsReferencing, HashSet<string> Mentioned, int EventCount);

    /// <summary>
    /// Closed-loop connections acting as the demo support agent. An answer counts as acknowledged only
    /// once its whole body has arrived and carries a decision id.
    /// </summary>
    private sealed class DecisionLoad(HttpClient client, string token)
    {
        private readonly string _run = Guid.NewGuid().ToString("N")[..8];
        private int _notSent;
        private volatile bool _killing;
        private volatile bool _stopped;

        public ConcurrentDictionary<string, Acknowledged> Acknowledged { get; } = new(StringComparer.Ordinal);

        /// <summary>Requests that reached the server but whose answer never arrived (cut off by the kill), by idempotency key.</summary>
        public ConcurrentDictionary<string, string> Unanswered { get; } = new(StringComparer.Ordinal);

        /// <summary>Answers before the kill that were neither a decision nor a rate limit, and failures before the kill.</summary>
        public ConcurrentQueue<string> Refusals { get; } = new();

        /// <summary>Requests sent after the process was gone: the connection was refused, so the server never saw them.</summary>
        public int NotSent => Volatile.Read(ref _notSent);

        public void Killing() => _killing = true;

        public void Stop() => _stopped = true;

        public async Task RunAsync(int connection, CancellationToken cancellationToken)
        {
            await Task.Yield();
            for (var i = 0; !_stopped; i++)
            {
                var key = $"durability-{_run}-{connection}-{i}";
                var body = JsonSerializer.Serialize(new
                {
                    tool = "tickets.read",
                    operation = "read",
                    resource = $"helpdesk/tickets/{(connection * 100_000) + i}",
                    parameters = new { },
                    impact = new { records = 1 },
                    justification = "customer asked about their ticket",
                }, Json);
                var killingBefore = _killing;
                Answer answer;
                try
                {
                    answer = await SendAsync(client, token, key, body, cancellationToken);
                }
                catch (Exception ex) when (ex is HttpRequestException or IOException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
                {
                    if (!_killing)
                        Refusals.Enqueue($"{key}: {ex.GetType().Name}: {ex.Message}");
                    else if (ex.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused })
                        Interlocked.Increment(ref _notSent);
                    else
                        Unanswered[key] = body;
                    continue;
                }
                if (answer.Id is { } id && answer.Status is HttpStatusCode.OK or HttpStatusCode.TooManyRequests)
                    Acknowledged[key] = new Acknowledged(key, body, id, answer.Status);
                else if (!killingBefore)
                    Refusals.Enqueue($"{key}: {(int)answer.Status} {answer.Body}");
            }
        }

        public static async Task<Answer> SendAsync(HttpClient client, string token, string key, string body, CancellationToken cancellationToken)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/v1/decisions", UriKind.Relative))
            {
                Content = new StringContent(body, Encoding.UTF8, "application/json"),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            request.Headers.Add("Idempotency-Key", key);
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            string? id = null;
            if (response.Content.Headers.ContentType?.MediaType == "application/json")
            {
                using var json = JsonDocument.Parse(text);
                if (json.RootElement.ValueKind == JsonValueKind.Object
                    && json.RootElement.TryGetProperty("id", out var value) && value.GetString() is { } s && s.StartsWith("dec_", StringComparison.Ordinal))
                    id = s;
            }
            return new Answer(response.StatusCode, text, id);
        }
    }

    /// <summary>The built app as a child process, as an operator would run it.</summary>
    private sealed class AppProcess : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly ConcurrentQueue<string> _output = new();

        private AppProcess(Process process, HttpClient client)
        {
            _process = process;
            Client = client;
        }

        public HttpClient Client { get; }

        public bool HasExited => _process.HasExited;

        public string Output => string.Join('\n', _output.TakeLast(80));

        public static AppProcess Start(string dataDirectory, int port)
        {
            var url = $"http://127.0.0.1:{port}";
            var start = new ProcessStartInfo
            {
                FileName = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet",
                WorkingDirectory = RepositoryRoot.Path,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.ArgumentList.Add(Path.Combine(Path.GetDirectoryName(typeof(Program).Assembly.Location)!, "Warden.dll"));
            start.ArgumentList.Add("--demo");
            start.ArgumentList.Add($"--Urls={url}");
            start.ArgumentList.Add($"--Database:DataDirectory={dataDirectory}");
            start.ArgumentList.Add("--Demo:RunAgents=false");
            start.ArgumentList.Add("--Jobs:Storage=InMemory");
            start.ArgumentList.Add($"--AgentIdentity:SigningCertificatePath={TestTokenKeys.SigningPath}");
            start.ArgumentList.Add($"--AgentIdentity:EncryptionCertificatePath={TestTokenKeys.EncryptionPath}");
            start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";

            var process = new Process { StartInfo = start };
            var client = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
            {
                BaseAddress = new Uri(url),
                Timeout = TimeSpan.FromSeconds(60),
            };
            var app = new AppProcess(process, client);
            process.OutputDataReceived += (_, e) => app.Collect(e.Data);
            process.ErrorDataReceived += (_, e) => app.Collect(e.Data);
            if (!process.Start())
                throw new InvalidOperationException("The app did not start.");
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            return app;
        }

        /// <summary>SIGKILL on Linux: no shutdown, no flush, no stopping hosted services.</summary>
        public void Kill()
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(TimeSpan.FromSeconds(30));
        }

        public async ValueTask DisposeAsync()
        {
            Client.Dispose();
            try
            {
                if (!_process.HasExited)
                {
                    _process.Kill(entireProcessTree: true);
                    await _process.WaitForExitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
                }
            }
            catch (Exception ex) when (ex is InvalidOperationException or TimeoutException)
            {
                // Already gone.
            }
            _process.Dispose();
        }

        private void Collect(string? line)
        {
            if (line is null)
                return;
            _output.Enqueue(line);
            while (_output.Count > 400)
                _output.TryDequeue(out _);
        }
    }
}
