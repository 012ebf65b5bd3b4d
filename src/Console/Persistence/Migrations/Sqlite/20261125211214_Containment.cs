using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Warden.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Containment : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
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
                    ReleasedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    ReleaseReason = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    Version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Containments", x => x.Id);
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
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "AutomationClients");

            migrationBuilder.DropTable(
                name: "ContainmentReleaseApprovals");

            migrationBuilder.DropTable(
                name: "Containments");
        }
    }
}
