using System.CommandLine;
using System.Diagnostics;
using Npgsql;
using Pgrant.Cli.Output;
using Pgrant.Cli.Rendering;
using Pgrant.Core;
using Pgrant.Core.Acl;
using Pgrant.Core.Diagnosis;
using Pgrant.Core.Sql;
using Pgrant.Postgres;
using Pgrant.Clusters;
using Pgrant.Demo;
using Spectre.Console;

namespace Pgrant.Cli.Commands;

/// <summary>
/// `pgrant demo [--pg-version N] [--keep]`: the classic sequence story end to end on a throwaway cluster —
/// the real error, \l and \dp decoded, the diagnosis, the least-privilege fix applied, the insert
/// succeeding, and the ACLs after.
/// </summary>
internal static class DemoCommand
{
    private static readonly Option<int?> Version = new("--pg-version")
    {
        Description = "PostgreSQL major version to run (13–18; others are installed from npm). Default: the installed server.",
        HelpName = "N",
    };

    private static readonly Option<bool> Keep = new("--keep")
    {
        Description = "Leave the cluster running afterwards and print how to connect.",
    };

    public static Command Create()
    {
        var command = new Command("demo", "Reproduce the classic \"permission denied for sequence\" story on a throwaway local cluster, and fix it.");
        command.Options.Add(Version);
        command.Options.Add(Keep);
        command.SetAction(async (parse, ct) =>
        {
            var output = parse.InvocationConfiguration.Output;
            return await RunAsync(ConsoleFactory.Create(output), parse.GetValue(Version), parse.GetValue(Keep), ct);
        });
        return command;
    }

    public static async Task<int> RunAsync(IAnsiConsole console, int? major, bool keep, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        void Step(string text) => console.MarkupLine($"\n[bold blue]==>[/] [bold]{Markup.Escape(text)}[/]");
        void Log(string text) => console.MarkupLine($"[dim]    {Markup.Escape(text)}[/]");

        Step("Starting a throwaway PostgreSQL cluster");
        var cluster = await LocalCluster.StartAsync(new LocalClusterOptions { Major = major, Keep = keep, Log = Log }, ct);
        try
        {
            Log($"PostgreSQL {cluster.ServerVersion} on {cluster.Host}:{cluster.Port}");
            var story = new SequenceStory(cluster);

            Step("Rebuilding the story's world as superuser \"Stephen\"");
            await story.SetUpAsync(ct);
            ShowSql(console, $"""
                CREATE ROLE "Stephen" SUPERUSER LOGIN PASSWORD '…';
                CREATE ROLE sdc LOGIN PASSWORD '…';
                CREATE DATABASE sdc OWNER "Stephen";
                GRANT ALL ON DATABASE sdc TO sdc;
                CREATE TABLE descriptions (id serial PRIMARY KEY, product_id integer, product_name text, features text, tech_specs text);
                GRANT ALL ON descriptions TO sdc;
                """);

            Step("As sdc, the app's INSERT … RETURNING *");
            ShowSql(console, SequenceStory.InsertSql);
            var first = await story.InsertAsAppAsync(1, ct);
            if (first.Succeeded)
                throw new PgrantException("the story's INSERT unexpectedly succeeded; the demo cannot show the error");
            var serverError = first.Error!;
            console.MarkupLine($"    [red]ERROR:  {Markup.Escape(serverError.MessageText)}[/]   [dim](SQLSTATE {serverError.SqlState})[/]");

            Step("What \\l and \\dp show, decoded");
            await ShowDecodedAsync(console, cluster, story, @"\l sdc", ct);
            await ShowDecodedAsync(console, cluster, story, @"\dp descriptions*", ct);

            Step($"pgrant explain \"{serverError.MessageText}\" --role sdc --statement \"…\"");
            var error = PermissionErrorParser.Parse($"{{ error: {serverError.MessageText} ...}}");
            // The same road as `pgrant explain -d … --role sdc --statement … --apply`, as the superuser.
            await using (var session = PgrantSession.Create(NpgsqlDataSource.Create(story.StephenConnectionString), ownsDataSource: true))
            {
                var result = await session.ExplainAsync(error, SequenceStory.AppRole, SequenceStory.InsertSql, ct);
                DiagnosisRenderer.Text(console, error, result.Diagnosis);
                if (result.Gate != ApplyGate.Allowed)
                    throw new PgrantException("the diagnosis found nothing the demo's superuser may apply; the demo cannot continue");

                Step("Applying the least-privilege fix as \"Stephen\" (one transaction, lock_timeout)");
                ShowSql(console, string.Join("\n", result.Diagnosis.Fix.Select(SqlWriter.Standalone)));
                await session.ApplyFixAsync(result, ct: ct);
            }

            Step("As sdc, the same INSERT again");
            var second = await story.InsertAsAppAsync(2, ct);
            if (!second.Succeeded)
                throw new PgrantException($"the INSERT still fails after the fix: {second.Error!.MessageText}");
            var table = new Table().Border(TableBorder.Rounded);
            foreach (var (column, _) in second.Row) table.AddColumn(Markup.Escape(column));
            table.AddRow(second.Row.Select(kv => Markup.Escape(kv.Value)).ToArray());
            console.MarkupLine("    [green]INSERT 0 1[/]");
            console.Write(table);

            Step("The ACLs after");
            await ShowDecodedAsync(console, cluster, story, @"\dp descriptions*", ct);

            console.MarkupLine($"\n[green]Done in {clock.Elapsed.TotalSeconds:0.0} s.[/] The fix was USAGE on the sequence — not ALL, which would also let sdc setval() and wreck ids.");
            if (keep)
            {
                console.MarkupLine("\nThe cluster keeps running. Connect with:");
                console.MarkupLine($"  [bold]{Markup.Escape(cluster.PsqlCommand(SequenceStory.Database, SequenceStory.Superuser))}[/]");
                console.MarkupLine($"Stop it with: [bold]pg_ctl stop -D {Markup.Escape(cluster.DataDirectory)}[/] (as {Markup.Escape(cluster.ServerOsUserName ?? "the server's OS user")})");
            }
            return ExitCodes.Ok;
        }
        finally
        {
            if (!keep)
            {
                await cluster.DisposeAsync();
            }
        }
    }

    private static void ShowSql(IAnsiConsole console, string sql)
    {
        foreach (var line in sql.Split('\n'))
            console.MarkupLine($"    [cyan]{Markup.Escape(line)}[/]");
    }

    /// <summary>Runs a psql meta-command as Stephen, prints its output, and explains the ACLs in it.</summary>
    private static async Task ShowDecodedAsync(IAnsiConsole console, LocalCluster cluster, SequenceStory story, string meta, CancellationToken ct)
    {
        var text = await Psql.RunAsync(cluster, SequenceStory.Database, SequenceStory.Superuser, story.StephenPassword, meta, ct);
        if (text is null)
        {
            console.MarkupLine($"    [dim](no psql client found to run {Markup.Escape(meta)}; skipped)[/]");
            return;
        }
        console.MarkupLine($"    [dim]sdc=# {Markup.Escape(meta)}[/]");
        foreach (var line in text.TrimEnd().Split('\n'))
            console.MarkupLine($"    [dim]{Markup.Escape(line)}[/]");
        var listings = AclInput.Read(text);
        AclTextRenderer.Render(console, listings, null, cluster.Major);
    }
}
