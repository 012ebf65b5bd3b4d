using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Warden.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AgentTags : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "AgentTags",
                columns: table => new
                {
                    AgentId = table.Column<string>(type: "TEXT", maxLength: 30, nullable: false),
                    Tag = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false)
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
                name: "IX_AgentTags_AgentId",
                table: "AgentTags",
                column: "AgentId");

            // The agents registered before this table: one row per tag of each, from the tag list it keeps.
            migrationBuilder.Sql("""
                INSERT INTO "AgentTags" ("Tag", "AgentId") SELECT DISTINCT tag.value, agent."Id" FROM "Agents" AS agent, json_each(agent."Tags") AS tag
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "AgentTags");
        }
    }
}
