namespace Warden.Domain.Previews;

public static class PreviewErrors
{
    public const string InvalidCode = "preview.invalid";

    public static Error Invalid(string detail) => new(InvalidCode, detail);

    public static Error NotPending { get; } = new("preview.not_pending",
        "The decision is no longer waiting for approval; its preview cannot change. Ask for a new decision.");

    public static Error Changed { get; } = new("approval.preview_changed",
        "The preview of this action changed since you opened it; read the new preview and decide again.");
}
