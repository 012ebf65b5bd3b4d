using Warden.Domain.Decisions;
using Warden.Domain.Guardrails;
using Warden.Domain.Guardrails.Commands;

namespace Warden.Tests.Guardrails.Commands;

public sealed class DestructiveCommandScannerTests
{
    private static readonly DestructiveCommandScanner Scanner = new();

    [Theory]
    [InlineData("DROP TABLE customers; --")]
    [InlineData("drop table if exists public.orders;")]
    [InlineData("DROP DATABASE warden")]
    [InlineData("DROP SCHEMA billing CASCADE")]
    [InlineData("TRUNCATE TABLE invoices;")]
    [InlineData("truncate audit_events")]
    [InlineData("DELETE FROM users;")]
    [InlineData("delete from \"public\".\"sessions\"")]
    [InlineData("ALTER TABLE accounts DROP COLUMN balance")]
    [InlineData("DROP\tTABLE\ncustomers;")]
    [InlineData("SELECT 1; DROP TABLE students; -- Robert')")]
    public void Sql_ThatDropsOrEmptiesATable_IsFound(string text)
    {
        var finding = Scans.Run(Scanner, text).ShouldHaveSingleItem();

        finding.Kind.ShouldBe(FindingKinds.DestructiveSql);
        finding.Family.ShouldBe(FindingKinds.DestructiveFamily);
        finding.Severity.ShouldBe(FindingSeverity.High);
    }

    [Theory]
    [InlineData("rm -rf / --no-preserve-root")]
    [InlineData("rm -rf /")]
    [InlineData("sudo rm -fr /*")]
    [InlineData("rm -r -f ~")]
    [InlineData("rm --recursive --force $HOME/")]
    [InlineData("cd /srv/app && rm -rf *")]
    [InlineData("rm -Rf /etc")]
    [InlineData("mkfs.ext4 /dev/sda1")]
    [InlineData("dd if=/dev/zero of=/dev/sda bs=1M")]
    [InlineData(":(){ :|:& };:")]
    [InlineData("format c: /q")]
    [InlineData("rd /s /q C:\\")]
    [InlineData("del /s /q /f C:\\*.*")]
    [InlineData("Remove-Item C:\\ -Recurse -Force")]
    [InlineData("git push --force origin main")]
    [InlineData("git push -f origin HEAD:master")]
    [InlineData("rm\n-rf /")]
    [InlineData("rm\t-rf\t~")]
    [InlineData(":(){:|:&};:")]
    public void Shell_ThatWipesAFileSystemOrADisk_IsFound(string text)
    {
        Scans.Kinds(Scanner, text).ShouldContain(FindingKinds.DestructiveShell);
        Scans.Kinds(Scanner, text).ShouldNotContain(FindingKinds.DestructiveSql);
    }

    [Theory]
    [InlineData("rm -rf build/ node_modules")]
    [InlineData("rm -rf ./dist")]
    [InlineData("rm notes.txt")]
    [InlineData("DELETE FROM sessions WHERE expires_at < now();")]
    [InlineData("UPDATE accounts SET active = false WHERE id = 7")]
    [InlineData("SELECT * FROM drop_points WHERE region = 'north'")]
    [InlineData("Please drop the table of contents from the report and truncate the summary to one page.")]
    [InlineData("We deleted from the archive everything older than a year, as agreed.")]
    [InlineData("git push origin feature/login")]
    [InlineData("git push --force-with-lease origin feature/login")]
    [InlineData("dd if=disk.img of=backup.img")]
    [InlineData("The format of the file is CSV.")]
    [InlineData("Delete the draft and push the fix.")]
    public void EverydayCommandsAndProse_AreNotFound(string text) =>
        Scans.Run(Scanner, text).ShouldBeEmpty();

    [Fact]
    public void SqlInCapitalsOrEndedBySemicolon_IsSurerThanTheSameWordsInLowerCase()
    {
        var written = Scans.Run(Scanner, "DROP TABLE customers").ShouldHaveSingleItem();
        var prose = Scans.Run(Scanner, "then drop table customers and go home").ShouldHaveSingleItem();

        written.Confidence.ShouldBeGreaterThan(prose.Confidence);
    }

    [Fact]
    public void TheScannerIsBuiltIn_AndItsFindingsAreNeverMasked()
    {
        var scanner = GuardrailScanner.Default;
        scanner.Scanners.ShouldContain(s => s is DestructiveCommandScanner);
        scanner.ForMasking().Scanners.ShouldNotContain(s => s is DestructiveCommandScanner);
    }
}
