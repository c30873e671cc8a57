using Pgrant.Core.Access;
using Spectre.Console;

namespace Pgrant.Cli.Rendering;

/// <summary>`who-can` and `can` answers as text (a Spectre table / a few lines) and as the JSON contract.</summary>
internal static class AccessRenderer
{
    /// <summary>JSON of who-can: {"object","kind","privilege","roles":[{"role","how","path","grantable","usable"}]}.</summary>
    public sealed record WhoCanJson(string Object, string Kind, string Privilege, IReadOnlyList<WhoCanRoleJson> Roles);

    public sealed record WhoCanRoleJson(string Role, string How, IReadOnlyList<string> Path, bool Grantable, bool Usable);

    /// <summary>JSON of can: {"role","privilege","object","allowed","usable","path","missing"}.</summary>
    public sealed record CanJson(string Role, string Privilege, string Object, bool Allowed, bool Usable, IReadOnlyList<string> Path, IReadOnlyList<string> Missing);

    public static WhoCanJson Json(WhoCanAnswer a) =>
        new(a.Object, a.Kind, a.Privilege, [.. a.Roles.Select(r => new WhoCanRoleJson(r.Role, r.How, r.Path, r.Grantable, r.Usable))]);

    public static CanJson Json(CanAnswer a) => new(a.Role, a.Privilege, a.Object, a.Allowed, a.Usable, a.Path, a.Missing);

    public static void Text(IAnsiConsole console, WhoCanAnswer a)
    {
        console.MarkupLine($"[bold]{Markup.Escape(a.Privilege)}[/] on {Markup.Escape(a.Kind)} [bold]{Markup.Escape(a.Object)}[/]: {a.Roles.Length} role(s)");
        if (a.Roles.IsEmpty)
        {
            console.MarkupLine("[yellow]No role holds it (only superusers could use it, and there are none).[/]");
            return;
        }
        var table = new Table().Border(TableBorder.Rounded);
        foreach (var column in new[] { "role", "login", "how", "path", "grantable", "usable" }) table.AddColumn(column);
        foreach (var r in a.Roles)
            table.AddRow(
                new Markup(Markup.Escape(r.Role)),
                new Markup(r.Login ? "[green]login[/]" : ""),
                new Markup(Markup.Escape(r.How)),
                new Markup(Markup.Escape(string.Join(" → ", r.Path))),
                new Markup(r.Grantable ? "yes" : "no"),
                new Markup(r.Usable ? "yes" : "[red]no[/]"));
        console.Write(table);
        if (a.Roles.Any(r => !r.Usable))
            console.MarkupLine("[dim]usable no: the role lacks USAGE on the schema or CONNECT on the database, so it cannot reach the object.[/]");
    }

    public static void Text(IAnsiConsole console, CanAnswer a)
    {
        var verdict = a.Yes ? "[bold green]yes[/]" : "[bold red]no[/]";
        console.MarkupLine($"{verdict}: {Markup.Escape(a.Role)} {(a.Yes ? "can" : "cannot")} use {Markup.Escape(a.Privilege)} on {Markup.Escape(a.Kind)} {Markup.Escape(a.Object)}");
        console.MarkupLine(Markup.Escape(a.Decision.Explanation()));
        if (!a.Path.IsEmpty) console.MarkupLine($"[bold]path[/]     {Markup.Escape(string.Join(" → ", a.Path))}");
        foreach (var m in a.Missing) console.MarkupLine($"[bold]missing[/]  {Markup.Escape(m)}");
    }
}
