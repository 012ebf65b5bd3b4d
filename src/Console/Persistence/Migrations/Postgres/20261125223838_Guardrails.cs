using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Warden.Persistence.Migrations.Postgres
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
                type: "character varying(40)",
                maxLength: 40,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "GuardrailFindings",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    DecisionId = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    AgentId = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    FoundAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Stage = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    Kind = table.Column<string>(type: "character varying(80)", maxLength: 80, nullable: false),
                    Scanner = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    PatternId = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    Location = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Confidence = table.Column<double>(type: "double precision", nullable: false),
                    Excerpt = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Review = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    ReviewedBy = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: true),
                    ReviewedByName = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    ReviewedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    ReviewNote = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    Version = table.Column<int>(type: "integer", nullable: false)
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
