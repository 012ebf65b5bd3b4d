using System.Text.Json;
using System.Text.Unicode;

namespace Warden.Infrastructure.Hosting;

/// <summary>
/// A JSON body on the API is read once here, before any endpoint binds it, and refused with a 400
/// problem that says why when it is not one unambiguous JSON document: invalid UTF-8, an escape that
/// is not a whole character (a lone surrogate such as <c>"\ud800"</c>), the same key twice in one
/// object, also in another case (binding is case-insensitive, so "Tool" and "tool" would be one
/// field with the last one winning), or malformed JSON. Bodies over the size limit are left to the
/// endpoint, which answers 413.
/// </summary>
internal sealed class StrictJsonBodies(RequestDelegate next)
{
    public const int MaxBodyBytes = 64 * 1024;
    private const int MaxDepth = 64;

    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (!ApiPaths.Includes(request.Path) || request.Path.StartsWithSegments("/mcp") || !request.HasJsonContentType()
            || HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || request.ContentLength is 0 or > MaxBodyBytes)
        {
            await next(context);
            return;
        }

        request.EnableBuffering(MaxBodyBytes);
        var body = await ReadAsync(request, context.RequestAborted);
        if (body is not null)
        {
            if (Check(body) is { } reason)
            {
                await ApiProblems.InvalidRequest(reason).ExecuteAsync(context);
                return;
            }
            request.Body.Position = 0;
        }
        await next(context);
    }

    /// <summary>Why <paramref name="body"/> is refused, or null when it is one unambiguous JSON document.</summary>
    public static string? Check(ReadOnlySpan<byte> body)
    {
        if (!Utf8.IsValid(body))
            return "The body is not valid UTF-8.";
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = MaxDepth });
        var keys = new Stack<HashSet<string>>();
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                        keys.Push(new HashSet<string>(StringComparer.OrdinalIgnoreCase));
                        break;
                    case JsonTokenType.EndObject:
                        keys.Pop();
                        break;
                    case JsonTokenType.PropertyName:
                        var name = Text(ref reader);
                        if (name is null)
                            return $"A key has an escape that is not a whole character (a lone surrogate) at position {reader.TokenStartIndex + 1}.";
                        if (!keys.Peek().Add(name))
                            return $"The key \"{Shorten(name)}\" appears twice in one object (keys are compared without case), at position {reader.TokenStartIndex + 1}.";
                        break;
                    case JsonTokenType.String:
                        if (Text(ref reader) is null)
                            return $"A string has an escape that is not a whole character (a lone surrogate such as \\ud800) at position {reader.TokenStartIndex + 1}.";
                        break;
                }
            }
        }
        catch (JsonException ex)
        {
            return $"The body is not valid JSON (line {ex.LineNumber + 1}, position {ex.BytePositionInLine + 1}).";
        }
        return null;
    }

    private static string? Text(ref Utf8JsonReader reader)
    {
        if (reader.ValueIsEscaped && HasLoneSurrogateEscape(reader.ValueSpan))
            return null;
        try
        {
            return reader.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    // Reads the raw escapes: a \uD800-\uDBFF must be followed by a \uDC00-\uDFFF, and a \uDC00-\uDFFF never stands alone.
    private static bool HasLoneSurrogateEscape(ReadOnlySpan<byte> raw)
    {
        var pendingHigh = false;
        for (var i = 0; i < raw.Length; i++)
        {
            if (raw[i] != (byte)'\\' || i + 1 >= raw.Length)
            {
                if (pendingHigh)
                    return true;
                continue;
            }
            if (raw[i + 1] != (byte)'u' || i + 5 >= raw.Length
                || !ushort.TryParse(raw.Slice(i + 2, 4), System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture, out var unit))
            {
                if (pendingHigh)
                    return true;
                i++;
                continue;
            }
            var c = (char)unit;
            if (char.IsLowSurrogate(c) && !pendingHigh)
                return true;
            if (!char.IsLowSurrogate(c) && pendingHigh)
                return true;
            pendingHigh = char.IsHighSurrogate(c);
            i += 5;
        }
        return pendingHigh;
    }

    private static string Shorten(string name) => name.Length <= 40 ? name : name[..40] + "…";

    private static async Task<byte[]?> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            buffer.Write(chunk, 0, read);
            // Too large for this check: the endpoint reads it again and answers 413.
            if (buffer.Length > MaxBodyBytes)
            {
                request.Body.Position = 0;
                return null;
            }
        }
        return buffer.ToArray();
    }
}
