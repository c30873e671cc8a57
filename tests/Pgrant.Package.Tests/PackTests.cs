using System.IO.Compression;
using System.Text.Json;
using System.Xml.Linq;

namespace Pgrant.Package.Tests;

/// <summary>
/// `dotnet pack` of the solution (built by ./test before the tests run) makes exactly the tool and the three
/// libraries, each with its metadata, readme and (libraries) XML docs; the tool installs from that folder with
/// `dotnet tool install` and runs.
/// </summary>
public sealed class PackTests : IClassFixture<PackTests.Packed>
{
    private readonly Packed _packed;

    public PackTests(Packed packed) => _packed = packed;

    /// <summary>The packages of one `dotnet pack`, made once for the class, in a folder deleted afterwards.</summary>
    public sealed class Packed : IAsyncLifetime
    {
        public string Folder { get; } = Directory.CreateTempSubdirectory("pgrant-pack-").FullName;

        public string Version { get; private set; } = "";

        public async Task InitializeAsync()
        {
            var (exit, output) = await Repository.RunAsync("dotnet", ["pack", "Pgrant.slnx", "-c", "Release", "--no-build", "-o", Folder, "-v", "q", "-nologo"]);
            Assert.True(exit == 0, $"dotnet pack failed:\n{output}");
            Version = typeof(Core.Sql.SqlWriter).Assembly.GetName().Version!.ToString(3);
        }

        public Task DisposeAsync()
        {
            Directory.Delete(Folder, recursive: true);
            return Task.CompletedTask;
        }
    }

    [Fact]
    public void Pack_makes_the_tool_and_the_three_libraries_and_nothing_else()
    {
        var packages = Directory.GetFiles(_packed.Folder, "*.nupkg").Select(Path.GetFileName).Order(StringComparer.Ordinal);
        Assert.Equal(
            [$"Pgrant.Core.{_packed.Version}.nupkg", $"Pgrant.Npgsql.{_packed.Version}.nupkg", $"Pgrant.Postgres.{_packed.Version}.nupkg", $"pgrant.{_packed.Version}.nupkg"],
            packages);
    }

    [Theory]
    [InlineData("pgrant", false)]
    [InlineData("Pgrant.Core", true)]
    [InlineData("Pgrant.Postgres", true)]
    [InlineData("Pgrant.Npgsql", true)]
    public void Every_package_carries_real_metadata_its_readme_and_docs(string id, bool library)
    {
        using var zip = ZipFile.OpenRead(Path.Combine(_packed.Folder, $"{id}.{_packed.Version}.nupkg"));
        var nuspec = XDocument.Load(zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open());
        var ns = nuspec.Root!.Name.Namespace;
        var metadata = nuspec.Root.Element(ns + "metadata")!;
        string Field(string name) => metadata.Element(ns + name)?.Value ?? "";

        Assert.Equal(id, Field("id"));
        Assert.True(Field("description").Length > 40 && Field("description") != "Package Description", $"{id}: description '{Field("description")}'");
        Assert.Equal("MIT", Field("license"));
        Assert.Equal("expression", metadata.Element(ns + "license")!.Attribute("type")!.Value);
        Assert.NotEmpty(Field("tags"));
        Assert.Equal("https://github.com/pgrant/pgrant", metadata.Element(ns + "repository")!.Attribute("url")!.Value);
        var readme = Field("readme");
        Assert.Equal("README.md", readme);
        Assert.Contains(zip.Entries, e => e.FullName == readme);
        if (library)
            Assert.Contains(zip.Entries, e => e.FullName == $"lib/net10.0/{id}.xml");
        else
            Assert.Equal("DotnetTool", metadata.Element(ns + "packageTypes")!.Element(ns + "packageType")!.Attribute("name")!.Value);
    }

    [Fact]
    public async Task The_tool_installs_from_the_packed_folder_and_runs()
    {
        var tools = Path.Combine(_packed.Folder, "tools");
        var (exit, output) = await Repository.RunAsync("dotnet",
            ["tool", "install", "pgrant", "--tool-path", tools, "--add-source", _packed.Folder, "--version", _packed.Version], _packed.Folder);
        Assert.True(exit == 0, $"dotnet tool install failed:\n{output}");

        var pgrant = Path.Combine(tools, "pgrant");
        var (aclExit, json) = await Repository.RunAsync(pgrant, ["acl", "sdc=U/Stephen", "--on", "sequence", "--format", "json"], _packed.Folder);
        Assert.True(aclExit == 0, json);
        var entry = Assert.Single(JsonDocument.Parse(json).RootElement.EnumerateArray());
        Assert.Equal("sdc", entry.GetProperty("grantee").GetString());
        Assert.Equal("USAGE", Assert.Single(entry.GetProperty("privileges").EnumerateArray()).GetProperty("privilege").GetString());

        var (helpExit, help) = await Repository.RunAsync(pgrant, ["--help"], _packed.Folder);
        Assert.Equal(0, helpExit);
        Assert.Contains("explain", help);
    }
}
