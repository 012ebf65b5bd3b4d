using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Warden.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Baseline : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "ActionReviews",
                columns: table => new
                {
                    DecisionId = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    AgentId = table.Column<string>(type: "TEXT", maxLength: 30, nullable: false),
                    OpenedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    State = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    ReviewedBy = table.Column<string>(type: "TEXT", maxLength: 450, nullable: true),
                    ReviewedByName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    ReviewedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Note = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    Version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ActionReviews", x => x.DecisionId);
                });

            migrationBuilder.CreateTable(
                name: "AgentBaselines",
                columns: table => new
                {
                    AgentId = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    State = table.Column<string>(type: "TEXT", nullable: false),
                    Observations = table.Column<long>(type: "INTEGER", nullable: false),
                    SavedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AgentBaselines", x => x.AgentId);
                });

            migrationBuilder.CreateTable(
                name: "AgentChangeRequests",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    AgentId = table.Column<string>(type: "TEXT", maxLength: 30, nullable: false),
                    RequestedBy = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    RequestedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    BaseProfile = table.Column<string>(type: "TEXT", nullable: false),
                    ProposedProfile = table.Column<string>(type: "TEXT", nullable: false),
                    BaseTokenLifetimeMinutes = table.Column<int>(type: "INTEGER", nullable: false),
                    ProposedTokenLifetimeMinutes = table.Column<int>(type: "INTEGER", nullable: false),
                    Widenings = table.Column<string>(type: "TEXT", nullable: false),
                    State = table.Column<string>(type: "TEXT", maxLength: 12, nullable: false),
                    DecidedBy = table.Column<string>(type: "TEXT", maxLength: 450, nullable: true),
                    DecidedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    DecisionReason = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    Version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AgentChangeRequests", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "AgentChanges",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    AgentId = table.Column<string>(type: "TEXT", maxLength: 30, nullable: false),
                    At = table.Column<long>(type: "INTEGER", nullable: false),
                    ActorId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: true),
                    ActorName = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    Before = table.Column<string>(type: "TEXT", nullable: true),
                    After = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AgentChanges", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "AgentCredentials",
                columns: table => new
                {
                    AgentId = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    SecretIssuedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    SecretRotatedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    RevokedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    TokensValidAfter = table.Column<long>(type: "INTEGER", nullable: true),
                    LastUsedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    AccessTokenLifetimeMinutes = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AgentCredentials", x => x.AgentId);
                });

            migrationBuilder.CreateTable(
                name: "Agents",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 30, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    NormalizedName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Purpose = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    Segment = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    Tags = table.Column<string>(type: "TEXT", nullable: false),
                    Tools = table.Column<string>(type: "TEXT", nullable: false),
                    Scopes = table.Column<string>(type: "TEXT", nullable: false),
                    RateLimitPerMinute = table.Column<int>(type: "INTEGER", nullable: false),
                    HighestRisk = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    OwnerId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    BackupOwnerId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: true),
                    PendingOwnerId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: true),
                    AutonomyLevel = table.Column<int>(type: "INTEGER", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    StatusReason = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    StatusBeforeContainment = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    RegisteredAt = table.Column<long>(type: "INTEGER", nullable: false),
                    LastAttestedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    OrphanedSince = table.Column<long>(type: "INTEGER", nullable: true),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Version = table.Column<int>(type: "INTEGER", nullable: false),
                    Caps_Currency = table.Column<string>(type: "TEXT", maxLength: 3, nullable: true),
                    Caps_DailyAmountBudget = table.Column<decimal>(type: "TEXT", precision: 18, scale: 4, nullable: true),
                    Caps_DailyRecordBudget = table.Column<long>(type: "INTEGER", nullable: true),
                    Caps_MaxAmountPerAction = table.Column<decimal>(type: "TEXT", precision: 18, scale: 4, nullable: true),
                    Caps_MaxRecordsPerAction = table.Column<int>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Agents", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "AgentUsage",
                columns: table => new
                {
                    AgentId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Minute = table.Column<long>(type: "INTEGER", nullable: false),
                    Requests = table.Column<int>(type: "INTEGER", nullable: false),
                    Day = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Records = table.Column<long>(type: "INTEGER", nullable: false),
                    Amount = table.Column<decimal>(type: "TEXT", precision: 18, scale: 4, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AgentUsage", x => x.AgentId);
                });

            migrationBuilder.CreateTable(
                name: "AlertCursors",
                columns: table => new
                {
                    Name = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Position = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    LeaseOwner = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    LeaseUntil = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AlertCursors", x => x.Name);
                });

            migrationBuilder.CreateTable(
                name: "AlertDeliveries",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    NotificationId = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Channel = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Recipient = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    UserId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    Title = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    Text = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    Link = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    NextAttemptAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    LastAttemptAt = table.Column<long>(type: "INTEGER", nullable: true),
                    DeliveredAt = table.Column<long>(type: "INTEGER", nullable: true),
                    AbandonedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    LastError = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AlertDeliveries", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "AlertPreferences",
                columns: table => new
                {
                    UserId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Email = table.Column<bool>(type: "INTEGER", nullable: false),
                    ChangedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AlertPreferences", x => new { x.UserId, x.Kind });
                });

            migrationBuilder.CreateTable(
                name: "AnomalyAlerts",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    AgentId = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    DecisionId = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    DetectedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Score = table.Column<int>(type: "INTEGER", nullable: false),
                    Explanation = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    Severity = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    BeforeExecution = table.Column<bool>(type: "INTEGER", nullable: false),
                    ContainmentId = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AnomalyAlerts", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "ApprovalRequests",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    DecisionId = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    AgentId = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    OwnerId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    BackupOwnerId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: true),
                    RequiredApprovals = table.Column<int>(type: "INTEGER", nullable: false),
                    EligibleRole = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    RiskTier = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    RuleId = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    OpenedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ExpiresAt = table.Column<long>(type: "INTEGER", nullable: false),
                    EscalatedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    State = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    ResolvedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    ResolutionReason = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    PreviewDigest = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    PreviewChangedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ApprovalRequests", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "AspNetRoles",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    NormalizedName = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    ConcurrencyStamp = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AspNetRoles", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "AspNetUsers",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", nullable: false),
                    DisplayName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    IsDisabled = table.Column<bool>(type: "INTEGER", nullable: false),
                    DisabledAt = table.Column<long>(type: "INTEGER", nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UserName = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    NormalizedUserName = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    Email = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    NormalizedEmail = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    EmailConfirmed = table.Column<bool>(type: "INTEGER", nullable: false),
                    PasswordHash = table.Column<string>(type: "TEXT", nullable: true),
                    SecurityStamp = table.Column<string>(type: "TEXT", nullable: true),
                    ConcurrencyStamp = table.Column<string>(type: "TEXT", nullable: true),
                    PhoneNumber = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    PhoneNumberConfirmed = table.Column<bool>(type: "INTEGER", nullable: false),
                    TwoFactorEnabled = table.Column<bool>(type: "INTEGER", nullable: false),
                    LockoutEnd = table.Column<long>(type: "INTEGER", nullable: true),
                    LockoutEnabled = table.Column<bool>(type: "INTEGER", nullable: false),
                    AccessFailedCount = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AspNetUsers", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "AuditCheckpoints",
                columns: table => new
                {
                    Sequence = table.Column<long>(type: "INTEGER", nullable: false),
                    Hash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    At = table.Column<long>(type: "INTEGER", nullable: false),
                    Signature = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AuditCheckpoints", x => x.Sequence);
                });

            migrationBuilder.CreateTable(
                name: "AuditEvents",
                columns: table => new
                {
                    Sequence = table.Column<long>(type: "INTEGER", nullable: false),
                    At = table.Column<long>(type: "INTEGER", nullable: false),
                    ActorKind = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    ActorId = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    ActorName = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Subject = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Data = table.Column<string>(type: "TEXT", nullable: false),
                    PreviousHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Hash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AuditEvents", x => x.Sequence);
                });

            migrationBuilder.CreateTable(
                name: "AuditStreamCursors",
                columns: table => new
                {
                    Name = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Delivered = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    LeaseOwner = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    LeaseUntil = table.Column<long>(type: "INTEGER", nullable: true),
                    LastError = table.Column<string>(type: "TEXT", maxLength: 300, nullable: true),
                    FailingSince = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AuditStreamCursors", x => x.Name);
                });

            migrationBuilder.CreateTable(
                name: "AutomationClients",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Scopes = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    CreatedById = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    RevokedAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AutomationClients", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Containments",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Scope = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    Target = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    TargetLabel = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    Source = table.Column<string>(type: "TEXT", maxLength: 12, nullable: false),
                    TrippedById = table.Column<string>(type: "TEXT", maxLength: 450, nullable: true),
                    TrippedByMailbox = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    TrippedByName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    TrippedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    AgentsContained = table.Column<int>(type: "INTEGER", nullable: false),
                    CommittedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    CredentialsRevokedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    FirstRefusedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    LastRefusedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    RefusalCount = table.Column<long>(type: "INTEGER", nullable: false),
                    ReleasedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    ReleaseReason = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    Version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Containments", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "DataProtectionKeys",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    FriendlyName = table.Column<string>(type: "TEXT", nullable: true),
                    Xml = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DataProtectionKeys", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Decisions",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    AgentId = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    DecidedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Tool = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Operation = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Resource = table.Column<string>(type: "TEXT", maxLength: 512, nullable: false),
                    Parameters = table.Column<string>(type: "TEXT", nullable: true),
                    Records = table.Column<int>(type: "INTEGER", nullable: false),
                    Amount = table.Column<decimal>(type: "TEXT", precision: 18, scale: 4, nullable: false),
                    Currency = table.Column<string>(type: "TEXT", maxLength: 3, nullable: true),
                    ImpactDeclared = table.Column<int>(type: "INTEGER", nullable: false),
                    Justification = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    Outcome = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    State = table.Column<string>(type: "TEXT", maxLength: 12, nullable: false),
                    Reasons = table.Column<string>(type: "TEXT", nullable: false),
                    RiskTier = table.Column<string>(type: "TEXT", maxLength: 10, nullable: true),
                    PolicyVersion = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    MatchedRuleId = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    OtherRuleIds = table.Column<string>(type: "TEXT", maxLength: 210, nullable: true),
                    IsViolation = table.Column<bool>(type: "INTEGER", nullable: false),
                    ViolationSeverity = table.Column<string>(type: "TEXT", maxLength: 10, nullable: true),
                    RequestDigest = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    IdempotencyKey = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    RequiredApprovals = table.Column<int>(type: "INTEGER", nullable: false),
                    ExpiresAt = table.Column<long>(type: "INTEGER", nullable: true),
                    GrantExpiresAt = table.Column<long>(type: "INTEGER", nullable: true),
                    GrantUsedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    GrantRedeemedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    OutcomeStatus = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true),
                    OutcomeRecords = table.Column<int>(type: "INTEGER", nullable: true),
                    OutcomeAmount = table.Column<decimal>(type: "TEXT", precision: 18, scale: 4, nullable: true),
                    OutcomeDetail = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    OutcomeAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Preview = table.Column<string>(type: "TEXT", nullable: true),
                    PreviewDigest = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    ReviewOf = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    Version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Decisions", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "EvidenceDefinitions",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 120, nullable: false),
                    Scope = table.Column<string>(type: "TEXT", maxLength: 12, nullable: false),
                    ScopeTarget = table.Column<string>(type: "TEXT", maxLength: 450, nullable: true),
                    Framework = table.Column<string>(type: "TEXT", maxLength: 60, nullable: true),
                    Period = table.Column<string>(type: "TEXT", maxLength: 12, nullable: false),
                    CustomStart = table.Column<long>(type: "INTEGER", nullable: true),
                    CustomEnd = table.Column<long>(type: "INTEGER", nullable: true),
                    Cron = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    TimeZone = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    RecipientRoles = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    RetentionDays = table.Column<int>(type: "INTEGER", nullable: false),
                    CreatedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_EvidenceDefinitions", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "EvidencePacks",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Key = table.Column<string>(type: "TEXT", maxLength: 600, nullable: false),
                    DefinitionId = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    Title = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    Scope = table.Column<string>(type: "TEXT", maxLength: 12, nullable: false),
                    ScopeTarget = table.Column<string>(type: "TEXT", maxLength: 450, nullable: true),
                    Framework = table.Column<string>(type: "TEXT", maxLength: 60, nullable: true),
                    PeriodStart = table.Column<long>(type: "INTEGER", nullable: false),
                    PeriodEnd = table.Column<long>(type: "INTEGER", nullable: false),
                    RecipientRoles = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 12, nullable: false),
                    RequestedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    RequestedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    StartedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    CompletedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    AssemblyMilliseconds = table.Column<long>(type: "INTEGER", nullable: false),
                    PdfBytes = table.Column<long>(type: "INTEGER", nullable: false),
                    ExportBytes = table.Column<long>(type: "INTEGER", nullable: false),
                    PdfSha256 = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    EventCount = table.Column<long>(type: "INTEGER", nullable: false),
                    Completeness = table.Column<int>(type: "INTEGER", nullable: false),
                    CompletenessNotes = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    Error = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    Attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    ExpiresAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_EvidencePacks", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "GatewayUpstreams",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Transport = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    Command = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    Arguments = table.Column<string>(type: "TEXT", nullable: false),
                    WorkingDirectory = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    Url = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    HeaderNames = table.Column<string>(type: "TEXT", nullable: false),
                    SealedHeaders = table.Column<string>(type: "TEXT", nullable: true),
                    Mappings = table.Column<string>(type: "TEXT", nullable: false),
                    RegisteredAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_GatewayUpstreams", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "GuardrailFindings",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    DecisionId = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    AgentId = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    FoundAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Stage = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 80, nullable: false),
                    Scanner = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    PatternId = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    Location = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Confidence = table.Column<double>(type: "REAL", nullable: false),
                    Excerpt = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Review = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    ReviewedBy = table.Column<string>(type: "TEXT", maxLength: 450, nullable: true),
                    ReviewedByName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    ReviewedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    ReviewNote = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    Version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_GuardrailFindings", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "HousekeepingRuns",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    StartedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    FinishedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Detail = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_HousekeepingRuns", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Incidents",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    ContainmentId = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Type = table.Column<string>(type: "TEXT", maxLength: 24, nullable: false),
                    RunbookKey = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Title = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false),
                    Scope = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    Target = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    TargetLabel = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    AgentId = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    AgentOwnerId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: true),
                    TrippedBy = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    TrippedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    OpenedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    DetectedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    DetectionKind = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true),
                    DetectionReference = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    DetectionSummary = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    OwnerId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    OwnerName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    State = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    WhatHappened = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    RootCause = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    Actions = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    ReviewedById = table.Column<string>(type: "TEXT", maxLength: 450, nullable: true),
                    ReviewedByName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    ClosedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Incidents", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Notifications",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Subject = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Payload = table.Column<string>(type: "TEXT", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    NextAttemptAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    DeliveredAt = table.Column<long>(type: "INTEGER", nullable: true),
                    AbandonedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    LastError = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    FannedOutAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Notifications", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "OpenIddictApplications",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", nullable: false),
                    ApplicationType = table.Column<string>(type: "TEXT", maxLength: 50, nullable: true),
                    ClientId = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    ClientSecret = table.Column<string>(type: "TEXT", nullable: true),
                    ClientType = table.Column<string>(type: "TEXT", maxLength: 50, nullable: true),
                    ConcurrencyToken = table.Column<string>(type: "TEXT", maxLength: 50, nullable: true),
                    ConsentType = table.Column<string>(type: "TEXT", maxLength: 50, nullable: true),
                    DisplayName = table.Column<string>(type: "TEXT", nullable: true),
                    DisplayNames = table.Column<string>(type: "TEXT", nullable: true),
                    JsonWebKeySet = table.Column<string>(type: "TEXT", nullable: true),
                    Permissions = table.Column<string>(type: "TEXT", nullable: true),
                    PostLogoutRedirectUris = table.Column<string>(type: "TEXT", nullable: true),
                    Properties = table.Column<string>(type: "TEXT", nullable: true),
                    RedirectUris = table.Column<string>(type: "TEXT", nullable: true),
                    Requirements = table.Column<string>(type: "TEXT", nullable: true),
                    Settings = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_OpenIddictApplications", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "OpenIddictScopes",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", nullable: false),
                    ConcurrencyToken = table.Column<string>(type: "TEXT", maxLength: 50, nullable: true),
                    Description = table.Column<string>(type: "TEXT", nullable: true),
                    Descriptions = table.Column<string>(type: "TEXT", nullable: true),
                    DisplayName = table.Column<string>(type: "TEXT", nullable: true),
                    DisplayNames = table.Column<string>(type: "TEXT", nullable: true),
                    Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    Properties = table.Column<string>(type: "TEXT", nullable: true),
                    Resources = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_OpenIddictScopes", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "PolicyVersions",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Label = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Content = table.Column<string>(type: "TEXT", nullable: false),
                    ContentHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    AuthorId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    AuthorName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    SavedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Comment = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    Problems = table.Column<int>(type: "INTEGER", nullable: false),
                    TestsPassed = table.Column<int>(type: "INTEGER", nullable: false),
                    TestsFailed = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PolicyVersions", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "PreviousClientSecrets",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    AgentId = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    SecretHash = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false),
                    ValidUntil = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PreviousClientSecrets", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "PromotionRequests",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    AgentId = table.Column<string>(type: "TEXT", maxLength: 30, nullable: false),
                    FromLevel = table.Column<int>(type: "INTEGER", nullable: false),
                    ToLevel = table.Column<int>(type: "INTEGER", nullable: false),
                    RequestedBy = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    RequestedByName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    RequestedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ExpiresAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Criteria = table.Column<string>(type: "TEXT", nullable: false),
                    CriteriaMet = table.Column<bool>(type: "INTEGER", nullable: false),
                    Justification = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    State = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    DecidedBy = table.Column<string>(type: "TEXT", maxLength: 450, nullable: true),
                    DecidedByName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    DecidedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    DecisionReason = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    Version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PromotionRequests", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "RedTeamCases",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Category = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Title = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Expect = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Tool = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Operation = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Resource = table.Column<string>(type: "TEXT", maxLength: 512, nullable: true),
                    Parameters = table.Column<string>(type: "TEXT", maxLength: 16000, nullable: true),
                    Justification = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    Records = table.Column<int>(type: "INTEGER", nullable: true),
                    Amount = table.Column<decimal>(type: "TEXT", nullable: true),
                    Currency = table.Column<string>(type: "TEXT", maxLength: 3, nullable: true),
                    CreatedBy = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    CreatedByName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RedTeamCases", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "RedTeamDrills",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    AgentId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    AgentName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    AtLevel = table.Column<int>(type: "INTEGER", nullable: false),
                    CompletedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    CorpusVersion = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    PolicyVersion = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    RunBy = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Passed = table.Column<int>(type: "INTEGER", nullable: false),
                    Total = table.Column<int>(type: "INTEGER", nullable: false),
                    Score = table.Column<double>(type: "REAL", nullable: false),
                    Outcomes = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RedTeamDrills", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Rollbacks",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    DecisionId = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    AgentId = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Tool = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Route = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    State = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    Attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    RequestedBy = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    RequestedByName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    RequestedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    StartedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    FinishedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    AnswerStatus = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true),
                    AnswerHttpStatus = table.Column<int>(type: "INTEGER", nullable: true),
                    AnswerExcerpt = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    AnswerDetail = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    Version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Rollbacks", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "StateChanges",
                columns: table => new
                {
                    Epoch = table.Column<long>(type: "INTEGER", nullable: false),
                    Changed = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false),
                    ChangedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_StateChanges", x => x.Epoch);
                });

            migrationBuilder.CreateTable(
                name: "StoredKeys",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Purpose = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Material = table.Column<byte[]>(type: "BLOB", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    RetiredAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_StoredKeys", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "TabletopExercises",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Title = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    RunbookKey = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    ScheduledFor = table.Column<long>(type: "INTEGER", nullable: false),
                    ScheduledById = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    ScheduledByName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    State = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    Participants = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    Findings = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    CompletedByName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    CompletedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TabletopExercises", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "TokenIssuances",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    AgentId = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    IssuedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    TokenId = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    ExpiresAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ClientAuthenticationMethod = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TokenIssuances", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "ToolHooks",
                columns: table => new
                {
                    Tool = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Preview = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    PreviewUrl = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    CompensationUrl = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    CompensationGatewayTool = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ToolHooks", x => x.Tool);
                });

            migrationBuilder.CreateTable(
                name: "UsedClientAssertions",
                columns: table => new
                {
                    Jti = table.Column<string>(type: "TEXT", maxLength: 260, nullable: false),
                    AgentId = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    ExpiresAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_UsedClientAssertions", x => x.Jti);
                });

            migrationBuilder.CreateTable(
                name: "ViolationReviews",
                columns: table => new
                {
                    DecisionId = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    AgentId = table.Column<string>(type: "TEXT", maxLength: 30, nullable: false),
                    FalsePositive = table.Column<bool>(type: "INTEGER", nullable: false),
                    ReviewedBy = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    ReviewedByName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    ReviewedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Note = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ViolationReviews", x => x.DecisionId);
                });

            migrationBuilder.CreateTable(
                name: "ApprovalVotes",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    VoterId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    VoterMailbox = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    VoterName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Verdict = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    CastAt = table.Column<long>(type: "INTEGER", nullable: false),
                    PreviewDigest = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    VoidedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    RequestId = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ApprovalVotes", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ApprovalVotes_ApprovalRequests_RequestId",
                        column: x => x.RequestId,
                        principalTable: "ApprovalRequests",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "AspNetRoleClaims",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    RoleId = table.Column<string>(type: "TEXT", nullable: false),
                    ClaimType = table.Column<string>(type: "TEXT", nullable: true),
                    ClaimValue = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AspNetRoleClaims", x => x.Id);
                    table.ForeignKey(
                        name: "FK_AspNetRoleClaims_AspNetRoles_RoleId",
                        column: x => x.RoleId,
                        principalTable: "AspNetRoles",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "AspNetUserClaims",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    UserId = table.Column<string>(type: "TEXT", nullable: false),
                    ClaimType = table.Column<string>(type: "TEXT", nullable: true),
                    ClaimValue = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AspNetUserClaims", x => x.Id);
                    table.ForeignKey(
                        name: "FK_AspNetUserClaims_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "AspNetUserLogins",
                columns: table => new
                {
                    LoginProvider = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    ProviderKey = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    ProviderDisplayName = table.Column<string>(type: "TEXT", nullable: true),
                    UserId = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AspNetUserLogins", x => new { x.LoginProvider, x.ProviderKey });
                    table.ForeignKey(
                        name: "FK_AspNetUserLogins_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "AspNetUserPasskeys",
                columns: table => new
                {
                    CredentialId = table.Column<byte[]>(type: "BLOB", maxLength: 1024, nullable: false),
                    UserId = table.Column<string>(type: "TEXT", nullable: false),
                    Data = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AspNetUserPasskeys", x => x.CredentialId);
                    table.ForeignKey(
                        name: "FK_AspNetUserPasskeys_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "AspNetUserRoles",
                columns: table => new
                {
                    UserId = table.Column<string>(type: "TEXT", nullable: false),
                    RoleId = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AspNetUserRoles", x => new { x.UserId, x.RoleId });
                    table.ForeignKey(
                        name: "FK_AspNetUserRoles_AspNetRoles_RoleId",
                        column: x => x.RoleId,
                        principalTable: "AspNetRoles",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_AspNetUserRoles_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "AspNetUserTokens",
                columns: table => new
                {
                    UserId = table.Column<string>(type: "TEXT", nullable: false),
                    LoginProvider = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    Value = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AspNetUserTokens", x => new { x.UserId, x.LoginProvider, x.Name });
                    table.ForeignKey(
                        name: "FK_AspNetUserTokens_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "ContainmentReleaseApprovals",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    OfficerId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    OfficerMailbox = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    OfficerName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    At = table.Column<long>(type: "INTEGER", nullable: false),
                    ContainmentId = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ContainmentReleaseApprovals", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ContainmentReleaseApprovals_Containments_ContainmentId",
                        column: x => x.ContainmentId,
                        principalTable: "Containments",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "EvidenceFileChunks",
                columns: table => new
                {
                    PackId = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    FileName = table.Column<string>(type: "TEXT", maxLength: 60, nullable: false),
                    Index = table.Column<int>(type: "INTEGER", nullable: false),
                    Content = table.Column<byte[]>(type: "BLOB", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_EvidenceFileChunks", x => new { x.PackId, x.FileName, x.Index });
                    table.ForeignKey(
                        name: "FK_EvidenceFileChunks_EvidencePacks_PackId",
                        column: x => x.PackId,
                        principalTable: "EvidencePacks",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "IncidentNotes",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Index = table.Column<int>(type: "INTEGER", nullable: false),
                    ById = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    ByName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    At = table.Column<long>(type: "INTEGER", nullable: false),
                    Text = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    IncidentId = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_IncidentNotes", x => x.Id);
                    table.ForeignKey(
                        name: "FK_IncidentNotes_Incidents_IncidentId",
                        column: x => x.IncidentId,
                        principalTable: "Incidents",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "IncidentSteps",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Index = table.Column<int>(type: "INTEGER", nullable: false),
                    Text = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false),
                    DoneById = table.Column<string>(type: "TEXT", maxLength: 450, nullable: true),
                    DoneByName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    DoneAt = table.Column<long>(type: "INTEGER", nullable: true),
                    IncidentId = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_IncidentSteps", x => x.Id);
                    table.ForeignKey(
                        name: "FK_IncidentSteps_Incidents_IncidentId",
                        column: x => x.IncidentId,
                        principalTable: "Incidents",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "OpenIddictAuthorizations",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", nullable: false),
                    ApplicationId = table.Column<string>(type: "TEXT", nullable: true),
                    ConcurrencyToken = table.Column<string>(type: "TEXT", maxLength: 50, nullable: true),
                    CreationDate = table.Column<DateTime>(type: "TEXT", nullable: true),
                    Properties = table.Column<string>(type: "TEXT", nullable: true),
                    Scopes = table.Column<string>(type: "TEXT", nullable: true),
                    Status = table.Column<string>(type: "TEXT", maxLength: 50, nullable: true),
                    Subject = table.Column<string>(type: "TEXT", maxLength: 400, nullable: true),
                    Type = table.Column<string>(type: "TEXT", maxLength: 50, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_OpenIddictAuthorizations", x => x.Id);
                    table.ForeignKey(
                        name: "FK_OpenIddictAuthorizations_OpenIddictApplications_ApplicationId",
                        column: x => x.ApplicationId,
                        principalTable: "OpenIddictApplications",
                        principalColumn: "Id");
                });

            migrationBuilder.CreateTable(
                name: "PolicyPublications",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    VersionId = table.Column<int>(type: "INTEGER", nullable: false),
                    State = table.Column<string>(type: "TEXT", maxLength: 24, nullable: false),
                    RequestedBy = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    RequestedByName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    RequestedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    Widened = table.Column<int>(type: "INTEGER", nullable: false),
                    Narrowed = table.Column<int>(type: "INTEGER", nullable: false),
                    Replayed = table.Column<int>(type: "INTEGER", nullable: false),
                    SecondOfficerId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: true),
                    SecondOfficerName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    PublishedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    RejectionReason = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    Version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PolicyPublications", x => x.Id);
                    table.ForeignKey(
                        name: "FK_PolicyPublications_PolicyVersions_VersionId",
                        column: x => x.VersionId,
                        principalTable: "PolicyVersions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "PolicyReplays",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    VersionId = table.Column<int>(type: "INTEGER", nullable: false),
                    VersionLabel = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    From = table.Column<long>(type: "INTEGER", nullable: false),
                    To = table.Column<long>(type: "INTEGER", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Progress = table.Column<int>(type: "INTEGER", nullable: false),
                    Total = table.Column<int>(type: "INTEGER", nullable: true),
                    BaselinePublicationId = table.Column<int>(type: "INTEGER", nullable: true),
                    BaselineLabel = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    RequestedBy = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    RequestedByName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    RequestedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    StartedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    FinishedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Result = table.Column<string>(type: "TEXT", nullable: true),
                    Error = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PolicyReplays", x => x.Id);
                    table.ForeignKey(
                        name: "FK_PolicyReplays_PolicyVersions_VersionId",
                        column: x => x.VersionId,
                        principalTable: "PolicyVersions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "TabletopSteps",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Index = table.Column<int>(type: "INTEGER", nullable: false),
                    Text = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false),
                    DoneById = table.Column<string>(type: "TEXT", maxLength: 450, nullable: true),
                    DoneByName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    DoneAt = table.Column<long>(type: "INTEGER", nullable: true),
                    ExerciseId = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TabletopSteps", x => x.Id);
                    table.ForeignKey(
                        name: "FK_TabletopSteps_TabletopExercises_ExerciseId",
                        column: x => x.ExerciseId,
                        principalTable: "TabletopExercises",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "OpenIddictTokens",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", nullable: false),
                    ApplicationId = table.Column<string>(type: "TEXT", nullable: true),
                    AuthorizationId = table.Column<string>(type: "TEXT", nullable: true),
                    ConcurrencyToken = table.Column<string>(type: "TEXT", maxLength: 50, nullable: true),
                    CreationDate = table.Column<DateTime>(type: "TEXT", nullable: true),
                    ExpirationDate = table.Column<DateTime>(type: "TEXT", nullable: true),
                    Payload = table.Column<string>(type: "TEXT", nullable: true),
                    Properties = table.Column<string>(type: "TEXT", nullable: true),
                    RedemptionDate = table.Column<DateTime>(type: "TEXT", nullable: true),
                    ReferenceId = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    Status = table.Column<string>(type: "TEXT", maxLength: 50, nullable: true),
                    Subject = table.Column<string>(type: "TEXT", maxLength: 400, nullable: true),
                    Type = table.Column<string>(type: "TEXT", maxLength: 150, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_OpenIddictTokens", x => x.Id);
                    table.ForeignKey(
                        name: "FK_OpenIddictTokens_OpenIddictApplications_ApplicationId",
                        column: x => x.ApplicationId,
                        principalTable: "OpenIddictApplications",
                        principalColumn: "Id");
                    table.ForeignKey(
                        name: "FK_OpenIddictTokens_OpenIddictAuthorizations_AuthorizationId",
                        column: x => x.AuthorizationId,
                        principalTable: "OpenIddictAuthorizations",
                        principalColumn: "Id");
                });

            migrationBuilder.CreateIndex(
                name: "IX_ActionReviews_AgentId_State",
                table: "ActionReviews",
                columns: new[] { "AgentId", "State" });

            migrationBuilder.CreateIndex(
                name: "IX_ActionReviews_State_OpenedAt",
                table: "ActionReviews",
                columns: new[] { "State", "OpenedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_AgentChangeRequests_AgentId",
                table: "AgentChangeRequests",
                column: "AgentId",
                unique: true,
                filter: "\"State\" = 'Pending'");

            migrationBuilder.CreateIndex(
                name: "IX_AgentChangeRequests_AgentId_RequestedAt",
                table: "AgentChangeRequests",
                columns: new[] { "AgentId", "RequestedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_AgentChangeRequests_State_RequestedAt",
                table: "AgentChangeRequests",
                columns: new[] { "State", "RequestedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_AgentChanges_AgentId_At",
                table: "AgentChanges",
                columns: new[] { "AgentId", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_Agents_AutonomyLevel_Id",
                table: "Agents",
                columns: new[] { "AutonomyLevel", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Agents_BackupOwnerId",
                table: "Agents",
                column: "BackupOwnerId");

            migrationBuilder.CreateIndex(
                name: "IX_Agents_HighestRisk_Id",
                table: "Agents",
                columns: new[] { "HighestRisk", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Agents_LastAttestedAt_Id",
                table: "Agents",
                columns: new[] { "LastAttestedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Agents_Name_Id",
                table: "Agents",
                columns: new[] { "Name", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Agents_NormalizedName",
                table: "Agents",
                column: "NormalizedName",
                unique: true,
                filter: "\"Status\" <> 'Retired'");

            migrationBuilder.CreateIndex(
                name: "IX_Agents_OrphanedSince",
                table: "Agents",
                column: "OrphanedSince");

            migrationBuilder.CreateIndex(
                name: "IX_Agents_OwnerId",
                table: "Agents",
                column: "OwnerId");

            migrationBuilder.CreateIndex(
                name: "IX_Agents_PendingOwnerId",
                table: "Agents",
                column: "PendingOwnerId");

            migrationBuilder.CreateIndex(
                name: "IX_Agents_RegisteredAt_Id",
                table: "Agents",
                columns: new[] { "RegisteredAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Agents_Segment_Id",
                table: "Agents",
                columns: new[] { "Segment", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Agents_Status_Id",
                table: "Agents",
                columns: new[] { "Status", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_AlertDeliveries_DeliveredAt_AbandonedAt_NextAttemptAt",
                table: "AlertDeliveries",
                columns: new[] { "DeliveredAt", "AbandonedAt", "NextAttemptAt" });

            migrationBuilder.CreateIndex(
                name: "IX_AlertDeliveries_NotificationId_Channel_Recipient",
                table: "AlertDeliveries",
                columns: new[] { "NotificationId", "Channel", "Recipient" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_AnomalyAlerts_AgentId_DetectedAt",
                table: "AnomalyAlerts",
                columns: new[] { "AgentId", "DetectedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_AnomalyAlerts_DecisionId",
                table: "AnomalyAlerts",
                column: "DecisionId");

            migrationBuilder.CreateIndex(
                name: "IX_AnomalyAlerts_DetectedAt",
                table: "AnomalyAlerts",
                column: "DetectedAt");

            migrationBuilder.CreateIndex(
                name: "IX_ApprovalRequests_AgentId_OpenedAt",
                table: "ApprovalRequests",
                columns: new[] { "AgentId", "OpenedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_ApprovalRequests_DecisionId",
                table: "ApprovalRequests",
                column: "DecisionId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ApprovalRequests_OpenedAt",
                table: "ApprovalRequests",
                column: "OpenedAt");

            migrationBuilder.CreateIndex(
                name: "IX_ApprovalRequests_State_ExpiresAt",
                table: "ApprovalRequests",
                columns: new[] { "State", "ExpiresAt" });

            migrationBuilder.CreateIndex(
                name: "IX_ApprovalVotes_RequestId",
                table: "ApprovalVotes",
                column: "RequestId");

            migrationBuilder.CreateIndex(
                name: "IX_ApprovalVotes_VoterId_CastAt",
                table: "ApprovalVotes",
                columns: new[] { "VoterId", "CastAt" });

            migrationBuilder.CreateIndex(
                name: "IX_AspNetRoleClaims_RoleId",
                table: "AspNetRoleClaims",
                column: "RoleId");

            migrationBuilder.CreateIndex(
                name: "RoleNameIndex",
                table: "AspNetRoles",
                column: "NormalizedName",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_AspNetUserClaims_UserId",
                table: "AspNetUserClaims",
                column: "UserId");

            migrationBuilder.CreateIndex(
                name: "IX_AspNetUserLogins_UserId",
                table: "AspNetUserLogins",
                column: "UserId");

            migrationBuilder.CreateIndex(
                name: "IX_AspNetUserPasskeys_UserId",
                table: "AspNetUserPasskeys",
                column: "UserId");

            migrationBuilder.CreateIndex(
                name: "IX_AspNetUserRoles_RoleId",
                table: "AspNetUserRoles",
                column: "RoleId");

            migrationBuilder.CreateIndex(
                name: "EmailIndex",
                table: "AspNetUsers",
                column: "NormalizedEmail");

            migrationBuilder.CreateIndex(
                name: "IX_AspNetUsers_IsDisabled",
                table: "AspNetUsers",
                column: "IsDisabled");

            migrationBuilder.CreateIndex(
                name: "UserNameIndex",
                table: "AspNetUsers",
                column: "NormalizedUserName",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_AuditEvents_ActorId_Sequence",
                table: "AuditEvents",
                columns: new[] { "ActorId", "Sequence" });

            migrationBuilder.CreateIndex(
                name: "IX_AuditEvents_ActorName_Sequence",
                table: "AuditEvents",
                columns: new[] { "ActorName", "Sequence" });

            migrationBuilder.CreateIndex(
                name: "IX_AuditEvents_At",
                table: "AuditEvents",
                column: "At");

            migrationBuilder.CreateIndex(
                name: "IX_AuditEvents_Kind_Sequence",
                table: "AuditEvents",
                columns: new[] { "Kind", "Sequence" });

            migrationBuilder.CreateIndex(
                name: "IX_AuditEvents_Subject_Sequence",
                table: "AuditEvents",
                columns: new[] { "Subject", "Sequence" });

            migrationBuilder.CreateIndex(
                name: "IX_ContainmentReleaseApprovals_ContainmentId",
                table: "ContainmentReleaseApprovals",
                column: "ContainmentId");

            migrationBuilder.CreateIndex(
                name: "IX_Containments_ReleasedAt",
                table: "Containments",
                column: "ReleasedAt");

            migrationBuilder.CreateIndex(
                name: "IX_Containments_TrippedAt",
                table: "Containments",
                column: "TrippedAt");

            migrationBuilder.CreateIndex(
                name: "IX_Decisions_AgentId_DecidedAt",
                table: "Decisions",
                columns: new[] { "AgentId", "DecidedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Decisions_AgentId_IdempotencyKey",
                table: "Decisions",
                columns: new[] { "AgentId", "IdempotencyKey" },
                unique: true,
                filter: "\"IdempotencyKey\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_Decisions_AgentId_ViolationSeverity_DecidedAt",
                table: "Decisions",
                columns: new[] { "AgentId", "ViolationSeverity", "DecidedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Decisions_State_ExpiresAt",
                table: "Decisions",
                columns: new[] { "State", "ExpiresAt" });

            migrationBuilder.CreateIndex(
                name: "IX_EvidencePacks_DefinitionId_PeriodStart",
                table: "EvidencePacks",
                columns: new[] { "DefinitionId", "PeriodStart" });

            migrationBuilder.CreateIndex(
                name: "IX_EvidencePacks_Key",
                table: "EvidencePacks",
                column: "Key",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_EvidencePacks_RequestedAt",
                table: "EvidencePacks",
                column: "RequestedAt");

            migrationBuilder.CreateIndex(
                name: "IX_GatewayUpstreams_Name",
                table: "GatewayUpstreams",
                column: "Name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_GuardrailFindings_AgentId_FoundAt",
                table: "GuardrailFindings",
                columns: new[] { "AgentId", "FoundAt" });

            migrationBuilder.CreateIndex(
                name: "IX_GuardrailFindings_DecisionId",
                table: "GuardrailFindings",
                column: "DecisionId");

            migrationBuilder.CreateIndex(
                name: "IX_GuardrailFindings_Review_FoundAt",
                table: "GuardrailFindings",
                columns: new[] { "Review", "FoundAt" });

            migrationBuilder.CreateIndex(
                name: "IX_GuardrailFindings_Scanner_PatternId",
                table: "GuardrailFindings",
                columns: new[] { "Scanner", "PatternId" });

            migrationBuilder.CreateIndex(
                name: "IX_HousekeepingRuns_StartedAt",
                table: "HousekeepingRuns",
                column: "StartedAt");

            migrationBuilder.CreateIndex(
                name: "IX_IncidentNotes_IncidentId",
                table: "IncidentNotes",
                column: "IncidentId");

            migrationBuilder.CreateIndex(
                name: "IX_Incidents_AgentOwnerId_OpenedAt",
                table: "Incidents",
                columns: new[] { "AgentOwnerId", "OpenedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Incidents_ContainmentId",
                table: "Incidents",
                column: "ContainmentId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Incidents_State_OpenedAt",
                table: "Incidents",
                columns: new[] { "State", "OpenedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_IncidentSteps_IncidentId",
                table: "IncidentSteps",
                column: "IncidentId");

            migrationBuilder.CreateIndex(
                name: "IX_Notifications_DeliveredAt_AbandonedAt_NextAttemptAt",
                table: "Notifications",
                columns: new[] { "DeliveredAt", "AbandonedAt", "NextAttemptAt" });

            migrationBuilder.CreateIndex(
                name: "IX_OpenIddictApplications_ClientId",
                table: "OpenIddictApplications",
                column: "ClientId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_OpenIddictAuthorizations_ApplicationId_Status_Subject_Type",
                table: "OpenIddictAuthorizations",
                columns: new[] { "ApplicationId", "Status", "Subject", "Type" });

            migrationBuilder.CreateIndex(
                name: "IX_OpenIddictScopes_Name",
                table: "OpenIddictScopes",
                column: "Name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_OpenIddictTokens_ApplicationId_Status_Subject_Type",
                table: "OpenIddictTokens",
                columns: new[] { "ApplicationId", "Status", "Subject", "Type" });

            migrationBuilder.CreateIndex(
                name: "IX_OpenIddictTokens_AuthorizationId",
                table: "OpenIddictTokens",
                column: "AuthorizationId");

            migrationBuilder.CreateIndex(
                name: "IX_OpenIddictTokens_ReferenceId",
                table: "OpenIddictTokens",
                column: "ReferenceId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_PolicyPublications_State_PublishedAt",
                table: "PolicyPublications",
                columns: new[] { "State", "PublishedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_PolicyPublications_VersionId",
                table: "PolicyPublications",
                column: "VersionId");

            migrationBuilder.CreateIndex(
                name: "IX_PolicyReplays_VersionId_Status",
                table: "PolicyReplays",
                columns: new[] { "VersionId", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_PolicyVersions_SavedAt",
                table: "PolicyVersions",
                column: "SavedAt");

            migrationBuilder.CreateIndex(
                name: "IX_PreviousClientSecrets_AgentId",
                table: "PreviousClientSecrets",
                column: "AgentId");

            migrationBuilder.CreateIndex(
                name: "IX_PromotionRequests_AgentId",
                table: "PromotionRequests",
                column: "AgentId",
                unique: true,
                filter: "\"State\" = 'Open'");

            migrationBuilder.CreateIndex(
                name: "IX_PromotionRequests_AgentId_RequestedAt",
                table: "PromotionRequests",
                columns: new[] { "AgentId", "RequestedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_PromotionRequests_State_ExpiresAt",
                table: "PromotionRequests",
                columns: new[] { "State", "ExpiresAt" });

            migrationBuilder.CreateIndex(
                name: "IX_RedTeamDrills_AgentId_CompletedAt",
                table: "RedTeamDrills",
                columns: new[] { "AgentId", "CompletedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Rollbacks_AgentId_RequestedAt",
                table: "Rollbacks",
                columns: new[] { "AgentId", "RequestedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Rollbacks_DecisionId",
                table: "Rollbacks",
                column: "DecisionId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_StoredKeys_Name",
                table: "StoredKeys",
                column: "Name",
                unique: true,
                filter: "\"RetiredAt\" IS NULL");

            migrationBuilder.CreateIndex(
                name: "IX_TabletopExercises_ScheduledFor",
                table: "TabletopExercises",
                column: "ScheduledFor");

            migrationBuilder.CreateIndex(
                name: "IX_TabletopSteps_ExerciseId",
                table: "TabletopSteps",
                column: "ExerciseId");

            migrationBuilder.CreateIndex(
                name: "IX_TokenIssuances_AgentId_IssuedAt",
                table: "TokenIssuances",
                columns: new[] { "AgentId", "IssuedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_UsedClientAssertions_ExpiresAt",
                table: "UsedClientAssertions",
                column: "ExpiresAt");

            migrationBuilder.CreateIndex(
                name: "IX_ViolationReviews_AgentId_FalsePositive",
                table: "ViolationReviews",
                columns: new[] { "AgentId", "FalsePositive" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ActionReviews");

            migrationBuilder.DropTable(
                name: "AgentBaselines");

            migrationBuilder.DropTable(
                name: "AgentChangeRequests");

            migrationBuilder.DropTable(
                name: "AgentChanges");

            migrationBuilder.DropTable(
                name: "AgentCredentials");

            migrationBuilder.DropTable(
                name: "Agents");

            migrationBuilder.DropTable(
                name: "AgentUsage");

            migrationBuilder.DropTable(
                name: "AlertCursors");

            migrationBuilder.DropTable(
                name: "AlertDeliveries");

            migrationBuilder.DropTable(
                name: "AlertPreferences");

            migrationBuilder.DropTable(
                name: "AnomalyAlerts");

            migrationBuilder.DropTable(
                name: "ApprovalVotes");

            migrationBuilder.DropTable(
                name: "AspNetRoleClaims");

            migrationBuilder.DropTable(
                name: "AspNetUserClaims");

            migrationBuilder.DropTable(
                name: "AspNetUserLogins");

            migrationBuilder.DropTable(
                name: "AspNetUserPasskeys");

            migrationBuilder.DropTable(
                name: "AspNetUserRoles");

            migrationBuilder.DropTable(
                name: "AspNetUserTokens");

            migrationBuilder.DropTable(
                name: "AuditCheckpoints");

            migrationBuilder.DropTable(
                name: "AuditEvents");

            migrationBuilder.DropTable(
                name: "AuditStreamCursors");

            migrationBuilder.DropTable(
                name: "AutomationClients");

            migrationBuilder.DropTable(
                name: "ContainmentReleaseApprovals");

            migrationBuilder.DropTable(
                name: "DataProtectionKeys");

            migrationBuilder.DropTable(
                name: "Decisions");

            migrationBuilder.DropTable(
                name: "EvidenceDefinitions");

            migrationBuilder.DropTable(
                name: "EvidenceFileChunks");

            migrationBuilder.DropTable(
                name: "GatewayUpstreams");

            migrationBuilder.DropTable(
                name: "GuardrailFindings");

            migrationBuilder.DropTable(
                name: "HousekeepingRuns");

            migrationBuilder.DropTable(
                name: "IncidentNotes");

            migrationBuilder.DropTable(
                name: "IncidentSteps");

            migrationBuilder.DropTable(
                name: "Notifications");

            migrationBuilder.DropTable(
                name: "OpenIddictScopes");

            migrationBuilder.DropTable(
                name: "OpenIddictTokens");

            migrationBuilder.DropTable(
                name: "PolicyPublications");

            migrationBuilder.DropTable(
                name: "PolicyReplays");

            migrationBuilder.DropTable(
                name: "PreviousClientSecrets");

            migrationBuilder.DropTable(
                name: "PromotionRequests");

            migrationBuilder.DropTable(
                name: "RedTeamCases");

            migrationBuilder.DropTable(
                name: "RedTeamDrills");

            migrationBuilder.DropTable(
                name: "Rollbacks");

            migrationBuilder.DropTable(
                name: "StateChanges");

            migrationBuilder.DropTable(
                name: "StoredKeys");

            migrationBuilder.DropTable(
                name: "TabletopSteps");

            migrationBuilder.DropTable(
                name: "TokenIssuances");

            migrationBuilder.DropTable(
                name: "ToolHooks");

            migrationBuilder.DropTable(
                name: "UsedClientAssertions");

            migrationBuilder.DropTable(
                name: "ViolationReviews");

            migrationBuilder.DropTable(
                name: "ApprovalRequests");

            migrationBuilder.DropTable(
                name: "AspNetRoles");

            migrationBuilder.DropTable(
                name: "AspNetUsers");

            migrationBuilder.DropTable(
                name: "Containments");

            migrationBuilder.DropTable(
                name: "EvidencePacks");

            migrationBuilder.DropTable(
                name: "Incidents");

            migrationBuilder.DropTable(
                name: "OpenIddictAuthorizations");

            migrationBuilder.DropTable(
                name: "PolicyVersions");

            migrationBuilder.DropTable(
                name: "TabletopExercises");

            migrationBuilder.DropTable(
                name: "OpenIddictApplications");
        }
    }
}
