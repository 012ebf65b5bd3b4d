using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Warden.Persistence.Migrations.Sqlite
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
                    Status = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    StatusReason = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    StatusBeforeContainment = table.Column<string>(type: "TEXT", maxLength: 10, nullable: true),
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
