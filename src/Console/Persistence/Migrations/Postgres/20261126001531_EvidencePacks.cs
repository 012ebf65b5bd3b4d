using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Warden.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class EvidencePacks : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "EvidenceDefinitions",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Name = table.Column<string>(type: "character varying(120)", maxLength: 120, nullable: false),
                    Scope = table.Column<string>(type: "character varying(12)", maxLength: 12, nullable: false),
                    ScopeTarget = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: true),
                    Period = table.Column<string>(type: "character varying(12)", maxLength: 12, nullable: false),
                    CustomStart = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    CustomEnd = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    Cron = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    TimeZone = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    RecipientRoles = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    RetentionDays = table.Column<int>(type: "integer", nullable: false),
                    CreatedBy = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_EvidenceDefinitions", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "EvidencePacks",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Key = table.Column<string>(type: "character varying(600)", maxLength: 600, nullable: false),
                    DefinitionId = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    Title = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    Scope = table.Column<string>(type: "character varying(12)", maxLength: 12, nullable: false),
                    ScopeTarget = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: true),
                    PeriodStart = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    PeriodEnd = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    RecipientRoles = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Status = table.Column<string>(type: "character varying(12)", maxLength: 12, nullable: false),
                    RequestedBy = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    RequestedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    StartedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    CompletedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    AssemblyMilliseconds = table.Column<long>(type: "bigint", nullable: false),
                    PdfBytes = table.Column<long>(type: "bigint", nullable: false),
                    ExportBytes = table.Column<long>(type: "bigint", nullable: false),
                    PdfSha256 = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    EventCount = table.Column<long>(type: "bigint", nullable: false),
                    Completeness = table.Column<int>(type: "integer", nullable: false),
                    CompletenessNotes = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    Error = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    Attempts = table.Column<int>(type: "integer", nullable: false),
                    ExpiresAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_EvidencePacks", x => x.Id);
                });

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
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "EvidenceDefinitions");

            migrationBuilder.DropTable(
                name: "EvidencePacks");
        }
    }
}
