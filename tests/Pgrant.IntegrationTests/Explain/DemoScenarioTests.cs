using Pgrant.Cli.Commands;
using Pgrant.Cli.Output;

namespace Pgrant.IntegrationTests.Explain;

/// <summary>`pgrant demo` end to end on its own throwaway cluster: the seed's real error, the least-privilege fix, the insert.</summary>
public sealed class DemoScenarioTests
{
    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task DemoShowsTheRealErrorFixesItAndInserts(int major)
    {
        var output = new StringWriter();
        var exit = await DemoCommand.RunAsync(ConsoleFactory.Create(output, false, null), major, keep: false, CancellationToken.None);
        var text = output.ToString().Replace("\r\n", "\n");
        Assert.Equal(0, exit);
        Assert.Contains("    ERROR:  permission denied for sequence descriptions_id_seq   (SQLSTATE 42501)\n", text);
        Assert.Contains("\nmissing   USAGE on sequence public.descriptions_id_seq (nextval() needs USAGE or UPDATE on the sequence; USAGE is the least)\n", text);
        Assert.Contains("\nfix (least privilege)\n  GRANT USAGE ON SEQUENCE public.descriptions_id_seq TO sdc;\n", text);
        Assert.Contains("\n    GRANT USAGE ON SEQUENCE public.descriptions_id_seq TO sdc;\n", text);
        Assert.Contains("    INSERT 0 1\n", text);
        Assert.DoesNotContain("GRANT ALL ON SEQUENCE", text);
        // The insert after the fix is the demo's second one (product 2), yet it gets id 1: the refused
        // nextval() of the first insert drew no value.
        Assert.Matches(@"│ id\s*│ product_id\s*│ product_name\s*│ features\s*│ tech_specs\s*│", text);
        Assert.Matches(@"│ 1\s*│ 2\s*│ Widget 2\s*│ sturdy, blue\s*│ 10 cm\s*│", text);
    }
}
