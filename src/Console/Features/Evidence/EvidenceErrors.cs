using Warden.Domain;

namespace Warden.Features.Evidence;

public static class EvidenceErrors
{
    public static Error PackNotFound(string id) => new("evidence.pack_not_found", $"No evidence pack '{id}'.");

    public static Error DefinitionNotFound(string id) => new("evidence.definition_not_found", $"No pack definition '{id}'.");

    public static Error NotARecipient => new("evidence.not_a_recipient", "This pack is not addressed to you: its definition names the roles that may download it.");

    public static Error NotYourScope => new("evidence.not_your_scope", "Owners download only packs scoped to their own agents.");

    public static Error NotReady(EvidencePackStatus status) => new("evidence.not_ready", $"The pack is {status.ToString().ToLowerInvariant()}; it has nothing to download yet.");

    public static Error UnknownArtifact(string name) => new("evidence.unknown_artifact", $"'{name}' is not a part of a pack; ask for pdf, export, manifest, signature or an appendix volume (appendix-1, appendix-2, …).");

    public static Error FilesMissing(string id) => new("evidence.files_missing", $"The files of pack '{id}' are missing from the data folder.");

    public static Error NoSuchVolume(string id, int volume) => new("evidence.no_such_volume", $"Pack '{id}' has no appendix volume {volume}.");

    public static Error NotRetryable => new("evidence.not_retryable", "Only a failed pack can be retried.");

    public static Error Invalid(IReadOnlyList<string> problems) => new("evidence.invalid", string.Join(" ", problems));

    public static Error InvalidRange => new("evidence.invalid_range", "The range must end after it starts and span at most 366 days.");
}
