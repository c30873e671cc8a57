namespace Pgrant.IntegrationTests.WhoCan;

/// <summary>Runs `pgrant who-can` / `pgrant can` in-process through the real command tree.</summary>
internal static class AccessCli
{
    public static Task<(int Exit, string Output)> RunAsync(string connectionString, params string[] args) =>
        InProcessCli.RunAgainstAsync(connectionString, args);
}
