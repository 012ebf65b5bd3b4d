using System.Collections.Concurrent;
using System.Diagnostics.Tracing;
using System.Globalization;

namespace Warden.GatewayBench;

/// <summary>
/// With <c>--alloc-log</c>: what the process allocates during the measured calls, by type, from the
/// runtime's allocation samples (one about every 100 KB allocated), so the types that make up a
/// call's kilobytes show in proportion.
/// </summary>
internal sealed class AllocationLog : EventListener
{
    private const EventKeywords GcKeyword = (EventKeywords)0x1;
    private const int AllocationTick = 10;

    private readonly ConcurrentDictionary<string, int> _samples = new(StringComparer.Ordinal);
    private volatile bool _recording;

    public void Start()
    {
        _samples.Clear();
        _recording = true;
    }

    /// <summary>The most sampled types since <see cref="Start"/>, with their share of the samples.</summary>
    public IEnumerable<string> Stop(int top)
    {
        _recording = false;
        var total = Math.Max(1, _samples.Values.Sum());
        return _samples.OrderByDescending(p => p.Value).Take(top)
            .Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Value,6} {p.Value / (double)total,6:P1} {p.Key}"));
    }

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
            EnableEvents(eventSource, EventLevel.Verbose, GcKeyword);
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (!_recording || eventData.EventId != AllocationTick || eventData.Payload is not { } payload || eventData.PayloadNames is not { } names)
            return;
        var type = names.IndexOf("TypeName") is >= 0 and var at ? payload[at] as string : null;
        _samples.AddOrUpdate(type ?? "?", 1, (_, n) => n + 1);
    }
}
