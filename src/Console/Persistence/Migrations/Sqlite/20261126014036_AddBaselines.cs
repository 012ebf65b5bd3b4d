using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Warden.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AddBaselines : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
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
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "AgentBaselines");

            migrationBuilder.DropTable(
                name: "AnomalyAlerts");
        }
    }
}
