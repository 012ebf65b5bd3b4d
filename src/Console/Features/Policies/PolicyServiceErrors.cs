using Warden.Domain;

namespace Warden.Features.Policies;

public static class PolicyServiceErrors
{
    public static readonly Error NotFound = new("policy.not_found", "There is no such policy version or publication.");
    public static readonly Error CommentRequired = new("policy.comment_required", "Say what this version changes and why.");
    public static readonly Error ReasonRequired = new("policy.reason_required", "Give a reason; it is recorded in the audit log.");
    public static readonly Error CommentTooLong = new("policy.comment_too_long", $"A comment or reason has at most {PolicyService.MaxCommentLength} characters.");
    public static readonly Error EmptyOrTooLarge = new("policy.empty_or_too_large", $"A policy document is not empty and has at most {PolicyYamlLoader.MaxDocumentLength:N0} characters.");
    public static readonly Error EmptyWindow = new("policy.empty_window", "The replay window must end after it starts.");
    public static readonly Error AlreadyAwaiting = new("policy.already_awaiting", "This version already waits for a second officer.");
    public static readonly Error SamePerson = new("policy.same_officer", "A second officer approves this publication, not the one who asked for it.");
    public static readonly Error ChangedOutsideWarden = new("policy.changed_outside_warden",
        "This version's content no longer matches the hash it was saved with: it was changed in the database, not through Warden, and cannot be published.");
    public static readonly Error Superseded = new("policy.superseded",
        "Another version was published after this request, so its replay no longer compares with the policy in force; reject it and request publication again.");

    public static Error NotAwaiting(PublicationState state) =>
        new("policy.not_awaiting", $"This publication is {state switch { PublicationState.Published => "published already", PublicationState.Rejected => "rejected", _ => "not waiting" }}.");

    public static Error NotPublishable(PolicyCheck check) =>
        new("policy.not_publishable", check.Problems.Count > 0
            ? $"The version has {check.Problems.Count} problem{(check.Problems.Count == 1 ? "" : "s")}; the first: {check.Problems[0]}"
            : check.Tests.Count == 0
                ? "The version has no test cases; add some under 'tests' before publishing."
                : $"{check.Tests.Count(t => !t.Passed)} test case(s) fail; the first: {check.Tests.First(t => !t.Passed).Case.Name}: {check.Tests.First(t => !t.Passed).Failure}");
}
