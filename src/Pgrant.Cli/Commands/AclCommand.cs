using System.Collections.Immutable;
using System.CommandLine;
using Pgrant.Cli.Output;
using Pgrant.Core;
using Pgrant.Core.Acl;
using Spectre.Console;

namespace Pgrant.Cli.Commands;

/// <summary>
/// `pgrant acl TEXT [--on KIND] [--server-version N] [--format text|json]`: explains aclitems,
/// aclitem[] literals or pasted psql \l / \dp / \ddp output, offline.
/// </summary>
internal static class AclCommand
{
    private static readonly Argument<string> Text = new("TEXT")
    {
        Description = "An aclitem (sdc=arwdDxt/Stephen), an aclitem[] literal ({…}), or - to read stdin "
            + "(items, arrays, or pasted psql \\l, \\dp, \\z, \\ddp output).",
    };

    private static readonly Option<string?> On = new("--on")
    {
        Description = $"The kind of object the ACL belongs to, for meanings and letter checks: {KindWords.Accepted}.",
        HelpName = "KIND",
    };

    private static readonly Option<int> ServerVersion = new("--server-version")
    {
        Description = "PostgreSQL major version (13–18) whose letters are legal (s/A need 15, m needs 17).",
        DefaultValueFactory = _ => AclValidation.NewestMajor,
        HelpName = "N",
    };

    private static readonly Option<OutputFormat> Format = OutputOptions.CreateFormat();

    public static Command Create()
    {
        var command = new Command("acl", "Explain PostgreSQL ACLs (aclitem text, arrays, pasted psql output) in plain words, offline.");
        command.Arguments.Add(Text);
        command.Options.Add(On);
        command.Options.Add(ServerVersion);
        command.Options.Add(Format);
        command.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            var request = new AclRequest(parse.GetRequiredValue(Text), parse.GetValue(On), parse.GetValue(ServerVersion), parse.GetValue(Format));
            return Execute(request, Console.In, output, ConsoleFactory.Create(output));
        });
        return command;
    }

    /// <summary>The testable entry: reads, checks, renders; throws PgrantException for bad input (exit 2).</summary>
    public static int Execute(AclRequest request, TextReader stdin, TextWriter output, IAnsiConsole console)
    {
        if (request.ServerVersion is < AclValidation.OldestMajor or > AclValidation.NewestMajor)
            throw new PgrantException($"--server-version must be between {AclValidation.OldestMajor} and {AclValidation.NewestMajor}, not {request.ServerVersion}.");
        ObjectKind? on = null;
        if (request.On is not null)
            on = KindWords.Parse(request.On)
                ?? throw new PgrantException($"unknown object kind '{request.On}' for --on.", $"use one of: {KindWords.Accepted}.");

        var text = request.Text == "-" ? stdin.ReadToEnd() : request.Text;
        ImmutableArray<AclListing> listings;
        try
        {
            listings = AclInput.Read(text);
        }
        catch (AclFormatException e)
        {
            throw new PgrantException(e.Message,
                "an item looks like grantee=privileges/grantor (e.g. sdc=arwdDxt/Stephen; PUBLIC has an empty grantee: =r/Stephen); "
                + "quote it for the shell, and double-quote role names with special characters: '\"a b\"=r/postgres'.");
        }

        CheckLetters(listings, on, request.ServerVersion);
        if (request.Format == OutputFormat.Json) JsonOutput.Write(output, ToJson(listings));
        else AclTextRenderer.Render(console, listings, on, request.ServerVersion);
        return ExitCodes.Ok;
    }

    private static void CheckLetters(ImmutableArray<AclListing> listings, ObjectKind? on, int major)
    {
        foreach (var listing in listings)
        {
            var kind = listing.Kind ?? on;
            if (kind is null) continue;
            foreach (var item in listing.Items)
            {
                var problem = AclValidation.Check(item, kind.Value, major).FirstOrDefault();
                if (problem is null) continue;
                var where = listing.Object is null ? "" : $" on {listing.Object}";
                throw new PgrantException($"{item}{where}: {problem.Reason}.",
                    listing.Kind is null ? "check --on (the kind of object) and --server-version." : "check --server-version.");
            }
        }
    }

    internal static IReadOnlyList<AclJsonEntry> ToJson(ImmutableArray<AclListing> listings) =>
        listings.SelectMany(l => l.Items.Select(i => new AclJsonEntry(
            i.Grantee ?? "PUBLIC",
            i.Grantor,
            Privileges.Split(i.Privileges | i.Grantable)
                .Select(p => new AclJsonPrivilege(Privileges.SqlName(p), Privileges.Letter(p).ToString(), (i.Grantable & p) != 0))
                .ToList(),
            l.Object,
            l.KindLabel))).ToList();
}

/// <summary>The parsed arguments of `pgrant acl`.</summary>
internal sealed record AclRequest(string Text, string? On, int ServerVersion, OutputFormat Format);
