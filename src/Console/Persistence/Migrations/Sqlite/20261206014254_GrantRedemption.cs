using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Warden.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class GrantRedemption : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "GrantRedeemedAt",
                table: "Decisions",
                type: "INTEGER",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "GrantRedeemedAt",
                table: "Decisions");
        }
    }
}
