using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using MimeKit;
namespace Warden.Testing;

/// <summary>One message as the SMTP server received it.</summary>
public sealed record ReceivedMail(string EnvelopeTo, string Subject, string Text, string? AlertId, string? Event);

/// <summary>
/// A real SMTP server in its own process: Debian's python3-aiosmtpd with a handler that writes each
/// message to a folder (tests/smtp/smtp_sink.py). It can be started later on a port reserved now.
/// Shared by the alert tests and the browser journeys (linked into both projects).
/// </summary>
public sealed class SmtpSink : IAsyncDisposable
{
    private const string Python = "/usr/bin/python3";
    private readonly string _folder = Directory.CreateTempSubdirectory("warden-smtp-").FullName;
    private Process? _process;

    private SmtpSink(int port) => Port = port;

    public int Port { get; }

    /// <summary>A sink whose port is chosen now and whose server is not running yet (an unreachable mail server).</summary>
    public static SmtpSink Reserve()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return new SmtpSink(port);
    }

    public static async Task<SmtpSink> StartAsync()
    {
        var sink = Reserve();
        await sink.StartServerAsync();
        return sink;
    }

    public async Task StartServerAsync()
    {
        if (!File.Exists(Python))
            throw new InvalidOperationException("The alert tests need Debian's python3 with python3-aiosmtpd (./test.sh installs it).");
        var start = new ProcessStartInfo(Python, ["-m", "aiosmtpd", "-n", "-l", $"127.0.0.1:{Port}", "-c", "smtp_sink.FolderSink", _folder])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        start.Environment["PYTHONPATH"] = HandlerFolder();
        _process = Process.Start(start)!;
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginErrorReadLine();
        _process.BeginOutputReadLine();
        for (var i = 0; i < 100; i++)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"The SMTP sink exited at once (code {_process.ExitCode}); is python3-aiosmtpd installed?");
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }
        throw new TimeoutException("The SMTP sink did not start listening.");
    }

    /// <summary>The folder of smtp_sink.py, found upwards from the test binaries.</summary>
    private static string HandlerFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var folder = Path.Combine(dir.FullName, "tests", "smtp");
            if (File.Exists(Path.Combine(folder, "smtp_sink.py")))
                return folder;
        }
        throw new InvalidOperationException("tests/smtp/smtp_sink.py was not found above " + AppContext.BaseDirectory);
    }

    public IReadOnlyList<ReceivedMail> Messages()
    {
        var messages = new List<ReceivedMail>();
        foreach (var file in Directory.GetFiles(_folder, "*.eml").Order(StringComparer.Ordinal))
        {
            var message = MimeMessage.Load(file);
            messages.Add(new ReceivedMail(message.Headers["X-Rcpt-To"] ?? string.Empty, message.Subject ?? string.Empty,
                message.TextBody ?? string.Empty, message.Headers["X-Warden-Alert"], message.Headers["X-Warden-Event"]));
        }
        return messages;
    }

    /// <summary>Polls until <paramref name="found"/> holds for the messages received (or about 30 s pass).</summary>
    public async Task<IReadOnlyList<ReceivedMail>> WaitForAsync(Func<IReadOnlyList<ReceivedMail>, bool> found)
    {
        for (var i = 0; i < 300; i++)
        {
            var messages = Messages();
            if (found(messages))
                return messages;
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
        return Messages();
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process?.Dispose();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
