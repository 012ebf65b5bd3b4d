using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Warden.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class AgentTagsAndHistoryIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Decisions_AgentId_DecidedAt",
                table: "Decisions");

            migrationBuilder.DropIndex(
                name: "IX_ApprovalVotes_VoterId_CastAt",
                table: "ApprovalVotes");

            migrationBuilder.DropIndex(
                name: "IX_ApprovalRequests_AgentId_OpenedAt",
                table: "ApprovalRequests");

            migrationBuilder.DropIndex(
                name: "IX_ApprovalRequests_OpenedAt",
                table: "ApprovalRequests");

            migrationBuilder.CreateTable(
                name: "AgentTags",
                columns: table => new
                {
                    AgentId = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    Tag = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AgentTags", x => new { x.Tag, x.AgentId });
                    table.ForeignKey(
                        name: "FK_AgentTags_Agents_AgentId",
                        column: x => x.AgentId,
                        principalTable: "Agents",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Decisions_AgentId_DecidedAt_Outcome",
                table: "Decisions",
                columns: new[] { "AgentId", "DecidedAt", "Outcome" });

            migrationBuilder.CreateIndex(
                name: "IX_Decisions_AgentId_DecidedAt_ReviewOf_Outcome",
                table: "Decisions",
                columns: new[] { "AgentId", "DecidedAt", "ReviewOf", "Outcome" },
                filter: "\"ReviewOf\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_ApprovalVotes_VoterId_RequestId",
                table: "ApprovalVotes",
                columns: new[] { "VoterId", "RequestId" });

            migrationBuilder.CreateIndex(
                name: "IX_ApprovalRequests_AgentId_OpenedAt_Id",
                table: "ApprovalRequests",
                columns: new[] { "AgentId", "OpenedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_ApprovalRequests_OpenedAt_Id",
                table: "ApprovalRequests",
                columns: new[] { "OpenedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_ApprovalRequests_State_OpenedAt_Id",
                table: "ApprovalRequests",
                columns: new[] { "State", "OpenedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_AgentTags_AgentId",
                table: "AgentTags",
                column: "AgentId");

            // The agents registered before this table: one row per tag of each, from the tag list it keeps.
            migrationBuilder.Sql("""
                INSERT INTO "AgentTags" ("Tag", "AgentId") SELECT DISTINCT tag, agent."Id" FROM "Agents" AS agent, unnest(agent."Tags") AS tag
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "AgentTags");

            migrationBuilder.DropIndex(
                name: "IX_Decisions_AgentId_DecidedAt_Outcome",
                table: "Decisions");

            migrationBuilder.DropIndex(
                name: "IX_Decisions_AgentId_DecidedAt_ReviewOf_Outcome",
                table: "Decisions");

            migrationBuilder.DropIndex(
                name: "IX_ApprovalVotes_VoterId_RequestId",
                table: "ApprovalVotes");

            migrationBuilder.DropIndex(
                name: "IX_ApprovalRequests_AgentId_OpenedAt_Id",
                table: "ApprovalRequests");

            migrationBuilder.DropIndex(
                name: "IX_ApprovalRequests_OpenedAt_Id",
                table: "ApprovalRequests");

            migrationBuilder.DropIndex(
                name: "IX_ApprovalRequests_State_OpenedAt_Id",
                table: "ApprovalRequests");

            migrationBuilder.CreateIndex(
                name: "IX_Decisions_AgentId_DecidedAt",
                table: "Decisions",
                columns: new[] { "AgentId", "DecidedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_ApprovalVotes_VoterId_CastAt",
                table: "ApprovalVotes",
                columns: new[] { "VoterId", "CastAt" });

            migrationBuilder.CreateIndex(
                name: "IX_ApprovalRequests_AgentId_OpenedAt",
                table: "ApprovalRequests",
                columns: new[] { "AgentId", "OpenedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_ApprovalRequests_OpenedAt",
                table: "ApprovalRequests",
                column: "OpenedAt");
        }
    }
}
