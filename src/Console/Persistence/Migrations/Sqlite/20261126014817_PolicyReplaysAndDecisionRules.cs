using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Warden.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class PolicyReplaysAndDecisionRules : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "OtherRuleIds",
                table: "Decisions",
                type: "TEXT",
                maxLength: 210,
                nullable: true);

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

            migrationBuilder.CreateIndex(
                name: "IX_PolicyReplays_VersionId_Status",
                table: "PolicyReplays",
                columns: new[] { "VersionId", "Status" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "PolicyReplays");

            migrationBuilder.DropColumn(
                name: "OtherRuleIds",
                table: "Decisions");
        }
    }
}
