using System.Collections.Concurrent;
using System.Diagnostics.Tracing;
using System.Globalization;

namespace Warden.GatewayBench;

/// <summary>
/// With <c>--jit-log</c>: the methods the runtime compiles while the measured calls run, by name,
/// read from the runtime's own JIT events. In a steady state a call compiles nothing; methods that
/// keep appearing call after call are code generated per call (dynamic methods, new generic
/// instantiations, serializers or queries built again).
/// </summary>
internal sealed class JitLog : EventListener
{
    private const EventKeywords JitKeyword = (EventKeywords)0x10;
    private const int MethodLoadVerbose = 143;

    private readonly ConcurrentDictionary<string, int> _compiled = new(StringComparer.Ordinal);
    private volatile bool _recording;

    public void Start()
    {
        _compiled.Clear();
        _recording = true;
    }

    /// <summary>The most compiled names since <see cref="Start"/>, with their counts.</summary>
    public IEnumerable<string> Stop(int top)
    {
        _recording = false;
        Console.WriteLine($"  distinct names: {_compiled.Count(p => !p.Key.StartsWith("area ", StringComparison.Ordinal))}");
        return _compiled.OrderByDescending(p => p.Value).Take(top)
            .Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Value,6} {p.Key}"));
    }

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
            EnableEvents(eventSource, EventLevel.Verbose, JitKeyword);
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (!_recording || eventData.EventId != MethodLoadVerbose || eventData.Payload is not { } payload || eventData.PayloadNames is not { } names)
            return;
        var ns = payload[names.IndexOf("MethodNamespace")] as string;
        var name = payload[names.IndexOf("MethodName")] as string;
        var flags = Convert.ToUInt32(payload[names.IndexOf("MethodFlags")], CultureInfo.InvariantCulture);
        var tier = (flags >> 7) & 0x7;
        var area = ns is null ? "?" : string.Join('.', ns.Split('.').Take(3));
        _compiled.AddOrUpdate($"area {area} (dynamic {(flags & 1) != 0}, tier {tier})", 1, (_, n) => n + 1);
        _compiled.AddOrUpdate($"{Shorten(ns)}::{name}", 1, (_, n) => n + 1);
    }

    private static string? Shorten(string? ns) => ns is { Length: > 160 } ? ns[..160] + "…" : ns;
}
