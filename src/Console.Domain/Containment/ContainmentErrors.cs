namespace Warden.Domain.Containment;

public static class ContainmentErrors
{
    public static Error NotFound { get; } = new("containment.not_found", "This containment does not exist.");

    public static Error ReasonRequired { get; } = new("containment.reason_required", "Give a reason; it is kept in the audit log.");

    public static Error ReasonTooLong { get; } = new("containment.reason_too_long", $"A reason has at most {Containment.MaxReasonLength} characters.");

    public static Error TargetRequired { get; } = new("containment.target_required", "Choose what to contain: an agent, an owner or a segment.");

    public static Error UnknownTarget(string target) => new("containment.unknown_target", $"Nothing to contain matches '{target}'.");

    public static Error OwnersTripOwnAgentsOnly { get; } = new("containment.owner_scope",
        "Owners can stop only their own agents, one at a time; a security officer contains owners, segments or everything.");

    public static Error OfficersOnly { get; } = new("containment.officers_only", "Only security officers release containments.");

    public static Error AlreadyReleased { get; } = new("containment.already_released", "This containment is already released.");

    public static Error TripperCannotRelease { get; } = new("containment.tripper_cannot_release",
        "You tripped this containment; another officer must release it.");

    public static Error OwnerCannotRelease { get; } = new("containment.owner_cannot_release",
        "You own or back up an agent this containment covers; another officer must release it.");

    public static Error AlreadyApproved { get; } = new("containment.already_approved",
        "You have already approved this release; a global release needs a second officer.");

    public static Error ConfirmationMismatch(string phrase) => new("containment.confirmation",
        $"Type the phrase \"{phrase}\" exactly to contain every agent.");

    public static Error NotADrill { get; } = new("containment.not_a_drill", "Only a drill releases itself; this containment needs officers.");

    public static Error AlreadyContained { get; } = new("containment.already_active", "An identical containment is already active.");
}
