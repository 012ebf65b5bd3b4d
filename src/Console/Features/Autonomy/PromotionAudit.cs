using Warden.Domain.Audit;
using Warden.Domain.Autonomy;
using Warden.Features.AuditLog;
using Warden.Infrastructure.Identity;

namespace Warden.Features.Autonomy;

/// <summary>The audit event of one step of a promotion request, with its criteria snapshot.</summary>
internal static class PromotionAudit
{
    public static AuditEntry Entry(Actor? actor, string kind, PromotionRequest request) =>
        AuditEntry.Of(actor is null ? AuditActor.System : AuditActor.Person(actor.Id.Value, actor.Email), kind, request.AgentId.Value, new
        {
            request = request.Id,
            fromLevel = request.FromLevel,
            toLevel = request.ToLevel,
            state = request.State.ToString().ToLowerInvariant(),
            criteriaMet = request.CriteriaMet,
            criteria = request.Criteria.Select(c => new { c.Code, c.Measured, c.Threshold, c.Passed }),
            justification = request.Justification,
            reason = request.DecisionReason,
        });
}
