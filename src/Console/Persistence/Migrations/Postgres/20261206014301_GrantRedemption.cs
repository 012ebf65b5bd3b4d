using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Warden.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class GrantRedemption : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "GrantRedeemedAt",
                table: "Decisions",
                type: "timestamp with time zone",
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
