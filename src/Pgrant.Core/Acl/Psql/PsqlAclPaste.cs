using Pgrant.Core.Sql;
using System.Collections.Immutable;
using Pgrant.Core.Planning;

namespace Pgrant.Core.Acl.Psql;

/// <summary>
/// Reads ACLs out of pasted psql output: \l (databases; column sets of psql 13–18), \dp and \z
/// (relations, with the "Column privileges" cell), \ddp (default privileges), and any other
/// listing with an "Access privileges" column (\dn+, \db+, \df+, \dT+, \dL …, kind from its title).
/// Malformed items raise <see cref="AclFormatException"/> pointing into the pasted text.
/// </summary>
internal static class PsqlAclPaste
{
    /// <summary>True when the text holds at least one psql aligned table (a dashed header separator).</summary>
    public static bool LooksLikePsql(string text) =>
        PsqlAlignedTable.ReadAll(Lines(Normalize(text))).Length > 0;

    /// <summary>Every object of every listing with an "Access privileges" column, in paste order.</summary>
    public static ImmutableArray<AclListing> Parse(string text)
    {
        var normalized = Normalize(text);
        var lines = Lines(normalized);
        var lineStarts = new int[lines.Length];
        for (int i = 1, at = 0; i < lines.Length; i++) { at += lines[i - 1].Length + 1; lineStarts[i] = at; }
        var result = ImmutableArray.CreateBuilder<AclListing>();
        foreach (var table in PsqlAlignedTable.ReadAll(lines))
        {
            var acl = IndexOf(table, "Access privileges");
            if (acl < 0) continue;
            var reader = new CellReader(normalized, lineStarts);
            if (IndexOf(table, "Column privileges") >= 0) ReadPrivileges(table, acl, reader, result);
            else if (IndexOf(table, "Name") < 0 && IndexOf(table, "Type") >= 0) ReadDefaultPrivileges(table, acl, reader, result);
            else ReadNamed(table, acl, reader, result);
        }
        return result.ToImmutable();
    }

    // \dp / \z: Schema | Name | Type | Access privileges | Column privileges | Policies
    private static void ReadPrivileges(PsqlTable table, int acl, CellReader reader, ImmutableArray<AclListing>.Builder result)
    {
        int schema = IndexOf(table, "Schema"), name = IndexOf(table, "Name"), type = IndexOf(table, "Type"),
            columns = IndexOf(table, "Column privileges");
        foreach (var row in table.Rows)
        {
            var relation = SqlNames.Qualified(row.Cells[schema].Text, row.Cells[name].Text);
            var label = row.Cells[type].Text;
            var kind = KindWords.Parse(label);
            result.Add(reader.Listing(row.Cells[acl], relation, label, kind, owner: null, defaultPrivileges: false));
            foreach (var (column, items) in reader.ColumnCell(row.Cells[columns]))
                result.Add(new AclListing($"{relation}.{SqlNames.Ident(column)}", "column", ObjectKind.Column, null,
                    items.IsEmpty ? AclState.Empty : AclState.Items, items));
        }
    }

    // \ddp: Owner | Schema | Type | Access privileges
    private static void ReadDefaultPrivileges(PsqlTable table, int acl, CellReader reader, ImmutableArray<AclListing>.Builder result)
    {
        int owner = IndexOf(table, "Owner"), schema = IndexOf(table, "Schema"), type = IndexOf(table, "Type");
        foreach (var row in table.Rows)
        {
            var role = owner >= 0 ? row.Cells[owner].Text : null;
            var nsp = schema >= 0 ? row.Cells[schema].Text : "";
            var typeText = row.Cells[type].Text;
            var kind = KindWords.Parse(typeText);
            var target = role is null ? "" : $"FOR ROLE {SqlNames.Ident(role)}";
            var scope = nsp.Length == 0 ? $"{target} (all schemas)" : $"{target} IN SCHEMA {SqlNames.Ident(nsp)}";
            var label = $"default privileges for {(kind is null ? typeText : KindWords.Plural(kind.Value))}";
            result.Add(reader.Listing(row.Cells[acl], scope.Trim(), label, kind, role, defaultPrivileges: true));
        }
    }

    // \l and the other "Name | Owner | … | Access privileges" listings.
    private static void ReadNamed(PsqlTable table, int acl, CellReader reader, ImmutableArray<AclListing>.Builder result)
    {
        int name = IndexOf(table, "Name"), owner = IndexOf(table, "Owner"), schema = IndexOf(table, "Schema");
        var kind = IndexOf(table, "Encoding") >= 0 ? ObjectKind.Database : KindFromTitle(table.Title);
        foreach (var row in table.Rows)
        {
            var objectName = name < 0 ? null
                : schema >= 0 ? SqlNames.Qualified(row.Cells[schema].Text, row.Cells[name].Text)
                : SqlNames.Ident(row.Cells[name].Text);
            var label = kind is null ? null : KindWords.Singular(kind.Value);
            result.Add(reader.Listing(row.Cells[acl], objectName, label, kind,
                owner >= 0 ? row.Cells[owner].Text : null, defaultPrivileges: false));
        }
    }

    private static ObjectKind? KindFromTitle(string? title) => title switch
    {
        "List of databases" => ObjectKind.Database,
        "List of schemas" => ObjectKind.Schema,
        "List of tablespaces" => ObjectKind.Tablespace,
        "List of languages" => ObjectKind.Language,
        "List of functions" => ObjectKind.Function,
        "List of data types" => ObjectKind.Type,
        "List of domains" => ObjectKind.Domain,
        "List of foreign servers" => ObjectKind.ForeignServer,
        "List of foreign-data wrappers" => ObjectKind.ForeignDataWrapper,
        "Large objects" => ObjectKind.LargeObject,
        "List of configuration parameters" or "List of parameters" => ObjectKind.Parameter,
        _ => null,
    };

    private static int IndexOf(PsqlTable table, string header) => table.Headers.IndexOf(header);

    private static string Normalize(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');

    private static string[] Lines(string normalized) => normalized.Split('\n');
}
