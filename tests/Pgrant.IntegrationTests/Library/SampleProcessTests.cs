using Pgrant.Core.Acl;
using Pgrant.Demo;
using Pgrant.Postgres;

namespace Pgrant.IntegrationTests.Library;

/// <summary>
/// samples/SequenceStory run as a developer runs it: the built dll, a child process, against the classic world
/// itself (Stephen, sdc, database sdc). The story's role names are fixed and cluster-wide, so each version gets a
/// dedicated cluster.
/// </summary>
[Collection(DedicatedClusters.Collection)]
public sealed class SampleProcessTests
{
    private const string Fix = "GRANT USAGE ON SEQUENCE public.descriptions_id_seq TO sdc;";

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task The_sample_prints_the_fix_in_one_call_and_inserts_once_it_is_applied(int major)
    {
        var sample = SampleDll();
        await using var cluster = await LocalCluster.StartAsync(ClusterPool.SharedOptions(major));
        var story = new SequenceStory(cluster);
        await story.SetUpAsync();

        // The connection string from the environment.
        var failed = await CliProcess.DllAsync(sample, new Dictionary<string, string> { ["SEQUENCE_STORY_CONNECTION"] = story.AppConnectionString }, null);
        Assert.Equal("", failed.Err);
        Assert.Equal(1, failed.Exit);
        var lines = failed.Out.Split('\n');
        Assert.Contains("statement " + SequenceStory.InsertSql, lines);
        Assert.Contains("missing   USAGE on sequence public.descriptions_id_seq (the default of column id calls nextval() when the INSERT leaves it out)", lines);
        Assert.Contains("failed: 42501: permission denied for sequence descriptions_id_seq", lines);
        Assert.Contains("missing   USAGE on sequence public.descriptions_id_seq (nextval() needs USAGE or UPDATE on the sequence; USAGE is the least)", lines);
        Assert.Equal(2, lines.Count(l => l == "  " + Fix));   // the start-up check's fix, then the diagnosis'
        Assert.DoesNotContain(story.AppPassword, failed.Out);

        // A DBA applies it; the connection string as an argument this time.
        await using (var session = PgrantSession.Create(NpgsqlDataSource.Create(story.StephenConnectionString), ownsDataSource: true))
        {
            GrantPrivileges grant = new(Privilege.Usage, new SqlObject(ObjectKind.Sequence, "public", SequenceStory.Sequence), SequenceStory.AppRole, "the sample's fix");
            Assert.Equal(Fix, SqlWriter.Standalone(grant));
            await session.ApplyAsync([grant]);
        }
        var inserted = await CliProcess.DllAsync(sample, null, null, story.AppConnectionString);
        Assert.Equal("", inserted.Err);
        Assert.Equal(0, inserted.Exit);
        Assert.Equal(
            "Start-up check of what the application runs:\n" +
            "role      sdc\n" +
            "database  sdc\n" +
            "sdc holds everything the 1 requirement needs; nothing to fix.\n" +
            "\n" +
            $"The application's INSERT: {SequenceStory.InsertSql}\n" +
            "INSERT 0 1: id=1, product_id=1, product_name=Widget 1, features=sturdy, blue, tech_specs=10 cm\n", inserted.Out);
    }

    [Fact]
    public async Task Without_a_connection_string_the_sample_says_how_to_run_it()
    {
        var run = await CliProcess.DllAsync(SampleDll(), null, null);
        Assert.Equal(2, run.Exit);
        Assert.Equal("", run.Out);
        Assert.Equal("usage: SequenceStory CONNECTION_STRING (or set SEQUENCE_STORY_CONNECTION): the application role's connection, " +
            "e.g. \"Host=localhost;Database=sdc;Username=sdc;Password=…\"\n", run.Err);
    }

    /// <summary>The sample as `dotnet build Pgrant.slnx` leaves it, in this test run's configuration.</summary>
    private static string SampleDll()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Pgrant.slnx"))) root = root.Parent;
        Assert.True(root is not null, $"no Pgrant.slnx above {AppContext.BaseDirectory}");
        // The tests run from tests/Pgrant.IntegrationTests/bin/<configuration>/<framework>/.
        var framework = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var dll = Path.Combine(root.FullName, "samples", "SequenceStory", "bin", framework.Parent!.Name, framework.Name, "SequenceStory.dll");
        Assert.True(File.Exists(dll), $"{dll} is missing: build the solution first (dotnet build Pgrant.slnx -c {framework.Parent.Name})");
        return dll;
    }
}
