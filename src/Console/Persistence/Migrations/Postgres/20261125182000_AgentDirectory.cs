using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Warden.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class AgentDirectory : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "AgentChanges",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    AgentId = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    At = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ActorId = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: true),
                    ActorName = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    Kind = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Reason = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    Before = table.Column<string>(type: "text", nullable: true),
                    After = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AgentChanges", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Agents",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    Name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    NormalizedName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Purpose = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    Segment = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    Tags = table.Column<string[]>(type: "text[]", nullable: false),
                    Tools = table.Column<string>(type: "text", nullable: false),
                    Scopes = table.Column<string>(type: "text", nullable: false),
                    RateLimitPerMinute = table.Column<int>(type: "integer", nullable: false),
                    HighestRisk = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    OwnerId = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: false),
                    BackupOwnerId = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: true),
                    PendingOwnerId = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: true),
                    AutonomyLevel = table.Column<int>(type: "integer", nullable: false),
                    Status = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    StatusReason = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    StatusBeforeContainment = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: true),
                    RegisteredAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    LastAttestedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    OrphanedSince = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Version = table.Column<int>(type: "integer", nullable: false),
                    Caps_Currency = table.Column<string>(type: "character varying(3)", maxLength: 3, nullable: true),
                    Caps_DailyAmountBudget = table.Column<decimal>(type: "numeric(18,4)", precision: 18, scale: 4, nullable: true),
                    Caps_DailyRecordBudget = table.Column<long>(type: "bigint", nullable: true),
                    Caps_MaxAmountPerAction = table.Column<decimal>(type: "numeric(18,4)", precision: 18, scale: 4, nullable: true),
                    Caps_MaxRecordsPerAction = table.Column<int>(type: "integer", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Agents", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_AgentChanges_AgentId_At",
                table: "AgentChanges",
                columns: new[] { "AgentId", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_Agents_AutonomyLevel",
                table: "Agents",
                column: "AutonomyLevel");

            migrationBuilder.CreateIndex(
                name: "IX_Agents_BackupOwnerId",
                table: "Agents",
                column: "BackupOwnerId");

            migrationBuilder.CreateIndex(
                name: "IX_Agents_HighestRisk",
                table: "Agents",
                column: "HighestRisk");

            migrationBuilder.CreateIndex(
                name: "IX_Agents_LastAttestedAt",
                table: "Agents",
                column: "LastAttestedAt");

            migrationBuilder.CreateIndex(
                name: "IX_Agents_Name",
                table: "Agents",
                column: "Name");

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
                name: "IX_Agents_RegisteredAt",
                table: "Agents",
                column: "RegisteredAt");

            migrationBuilder.CreateIndex(
                name: "IX_Agents_Segment",
                table: "Agents",
                column: "Segment");

            migrationBuilder.CreateIndex(
                name: "IX_Agents_Status",
                table: "Agents",
                column: "Status");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "AgentChanges");

            migrationBuilder.DropTable(
                name: "Agents");
        }
    }
}
