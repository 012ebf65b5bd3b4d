using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Warden.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Guardrails : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "ReviewOf",
                table: "Decisions",
                type: "TEXT",
                maxLength: 40,
                nullable: true);

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
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "GuardrailFindings");

            migrationBuilder.DropColumn(
                name: "ReviewOf",
                table: "Decisions");
        }
    }
}
