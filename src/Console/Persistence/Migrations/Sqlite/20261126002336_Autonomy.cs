using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Warden.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Autonomy : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "ViolationSeverity",
                table: "Decisions",
                type: "TEXT",
                maxLength: 10,
                nullable: true);

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

            migrationBuilder.CreateIndex(
                name: "IX_Decisions_AgentId_ViolationSeverity_DecidedAt",
                table: "Decisions",
                columns: new[] { "AgentId", "ViolationSeverity", "DecidedAt" });

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
                name: "IX_ViolationReviews_AgentId_FalsePositive",
                table: "ViolationReviews",
                columns: new[] { "AgentId", "FalsePositive" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "PromotionRequests");

            migrationBuilder.DropTable(
                name: "ViolationReviews");

            migrationBuilder.DropIndex(
                name: "IX_Decisions_AgentId_ViolationSeverity_DecidedAt",
                table: "Decisions");

            migrationBuilder.DropColumn(
                name: "ViolationSeverity",
                table: "Decisions");
        }
    }
}
