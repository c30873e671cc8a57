using System.Collections.Immutable;
using Pgrant.Core.Acl;
using Spectre.Console;

namespace Pgrant.Cli.Commands;

/// <summary>Renders ACL explanations for people. Every name is escaped before it reaches markup.</summary>
internal static class AclTextRenderer
{
    public static void Render(IAnsiConsole console, ImmutableArray<AclListing> listings, ObjectKind? on, int major)
    {
        var first = true;
        foreach (var listing in listings)
        {
            if (!first) console.WriteLine();
            first = false;
            var kind = listing.Kind ?? on;
            if (listing.Object is not null || listing.KindLabel is not null)
            {
                var label = listing.KindLabel is null ? "" : $" [dim]({Markup.Escape(listing.KindLabel)})[/]";
                var owner = listing.Owner is null || listing.IsDefaultPrivileges ? "" : $" [dim]owner {Markup.Escape(listing.Owner)}[/]";
                console.MarkupLine($"[bold]{Markup.Escape(listing.Object ?? "")}[/]{label}{owner}");
            }
            switch (listing.State)
            {
                case AclState.Default:
                    Line(console, AclExplainer.ExplainDefault(kind ?? ObjectKind.Table, listing.Owner, major).Summary);
                    continue;
                case AclState.DefaultOrEmpty:
                    Line(console, AclExplainer.ExplainBlankCell(kind, listing.Owner, major).Summary);
                    continue;
                case AclState.Empty:
                    Line(console, AclExplainer.ExplainEmpty(kind, listing.IsDefaultPrivileges).Summary);
                    continue;
            }
            foreach (var item in listing.Items) RenderItem(console, AclExplainer.Explain(item, kind));
        }
    }

    private static void RenderItem(IAnsiConsole console, AclItemExplanation e)
    {
        var who = e.IsPublic ? "[yellow]PUBLIC[/] [dim](every role)[/]" : $"[cyan]{Markup.Escape(e.Grantee)}[/]";
        var by = e.Grantor is null ? "" : $" [dim]granted by[/] {Markup.Escape(e.Grantor)}";
        console.MarkupLine($"  {Markup.Escape(e.Item.ToString())}  →  {who}{by}");
        foreach (var p in e.Privileges)
        {
            var option = p.Grantable ? " [green](with grant option)[/]" : "";
            console.MarkupLine($"    {p.Letter}  [bold]{Markup.Escape(p.Name),-12}[/] {Markup.Escape(p.Meaning)}{option}");
        }
        foreach (var note in e.Notes) console.MarkupLine($"    [dim]note: {Markup.Escape(note)}[/]");
    }

    private static void Line(IAnsiConsole console, string text) => console.MarkupLine($"  {Markup.Escape(text)}");
}
