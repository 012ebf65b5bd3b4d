using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Warden.Persistence.Migrations.Postgres
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
                    Id = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Scopes = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    CreatedById = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    RevokedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AutomationClients", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Containments",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Scope = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    Target = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: false),
                    TargetLabel = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Reason = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    Source = table.Column<string>(type: "character varying(12)", maxLength: 12, nullable: false),
                    TrippedById = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: true),
                    TrippedByMailbox = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    TrippedByName = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    TrippedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    AgentsContained = table.Column<int>(type: "integer", nullable: false),
                    CommittedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    CredentialsRevokedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    FirstRefusedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    ReleasedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    ReleaseReason = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    Version = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Containments", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "ContainmentReleaseApprovals",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    OfficerId = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: false),
                    OfficerMailbox = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    OfficerName = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Reason = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    At = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ContainmentId = table.Column<string>(type: "character varying(40)", nullable: false)
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
