using Warden.Domain.Agents;

namespace Warden.Domain.Decisions;

/// <summary>The lower-case words agents and policy documents use for operations.</summary>
public static class OperationNames
{
    public const string All = "read, write, delete, execute";

    public static bool TryParse(string? text, out OperationKind kind)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case "read": kind = OperationKind.Read; return true;
            case "write": kind = OperationKind.Write; return true;
            case "delete": kind = OperationKind.Delete; return true;
            case "execute": kind = OperationKind.Execute; return true;
            default: kind = default; return false;
        }
    }

    public static string Name(OperationKind kind) => kind switch
    {
        OperationKind.Read => "read",
        OperationKind.Write => "write",
        OperationKind.Delete => "delete",
        OperationKind.Execute => "execute",
        _ => kind.ToString().ToLowerInvariant(),
    };
}
