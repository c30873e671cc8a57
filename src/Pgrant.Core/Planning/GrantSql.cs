using Pgrant.Core.Sql;
using System.Collections.Immutable;
using Pgrant.Core.Acl;
using Pgrant.Core.Catalog;

namespace Pgrant.Core.Planning;

/// <summary>
/// Writes GRANT / ALTER DEFAULT PRIVILEGES / role statements. Names always go through
/// <see cref="Sql"/>; privileges are listed in the server's order, never as ALL.
/// </summary>
public static class GrantSql
{
    /// <summary>The SQL object-type keyword used in GRANT … ON &lt;keyword&gt;.</summary>
    public static string OnKeyword(ObjectKind kind) => kind switch
    {
        ObjectKind.Table or ObjectKind.View or ObjectKind.MaterializedView or ObjectKind.ForeignTable
            or ObjectKind.PartitionedTable => "TABLE",
        ObjectKind.Sequence => "SEQUENCE",
        ObjectKind.Schema => "SCHEMA",
        ObjectKind.Database => "DATABASE",
        ObjectKind.Function or ObjectKind.Aggregate => "FUNCTION",
        ObjectKind.Procedure => "PROCEDURE",
        ObjectKind.Type => "TYPE",
        ObjectKind.Domain => "DOMAIN",
        ObjectKind.Language => "LANGUAGE",
        ObjectKind.Tablespace => "TABLESPACE",
        ObjectKind.ForeignDataWrapper => "FOREIGN DATA WRAPPER",
        ObjectKind.ForeignServer => "FOREIGN SERVER",
        ObjectKind.LargeObject => "LARGE OBJECT",
        ObjectKind.Parameter => "PARAMETER",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    public static string PrivilegeList(Privilege privileges) =>
        string.Join(", ", Privileges.Split(privileges).Select(Privileges.SqlName));

    /// <summary>GRANT privs ON KIND target TO grantee; <paramref name="target"/> is already quoted SQL.</summary>
    public static string Grant(Privilege privileges, ObjectKind kind, string target, string? grantee) =>
        $"GRANT {PrivilegeList(privileges)} ON {OnKeyword(kind)} {target} TO {SqlNames.Grantee(grantee)};";

    /// <summary>GRANT privs (col, …) ON TABLE target TO grantee: column-level grant.</summary>
    public static string GrantColumns(Privilege privileges, string table, IEnumerable<string> columns, string? grantee) =>
        $"GRANT {string.Join(", ", Privileges.Split(privileges).Select(p => $"{Privileges.SqlName(p)} ({string.Join(", ", columns.Select(SqlNames.Ident))})"))} ON TABLE {table} TO {SqlNames.Grantee(grantee)};";

    public static string GrantRole(string role, string member, bool setOptionSyntax) =>
        setOptionSyntax
            ? $"GRANT {SqlNames.Ident(role)} TO {SqlNames.Ident(member)} WITH INHERIT TRUE, SET TRUE;"
            : $"GRANT {SqlNames.Ident(role)} TO {SqlNames.Ident(member)};";

    /// <summary>ALTER DEFAULT PRIVILEGES FOR ROLE creator [IN SCHEMA s] GRANT privs ON TABLES|SEQUENCES|… TO grantee.</summary>
    public static string AlterDefault(string creator, string? schema, Privilege privileges, char objectType, string? grantee)
    {
        var on = objectType switch
        {
            'r' => "TABLES",
            'S' => "SEQUENCES",
            'f' => "FUNCTIONS",
            'T' => "TYPES",
            'n' => "SCHEMAS",
            'L' => "LARGE OBJECTS",
            _ => throw new ArgumentOutOfRangeException(nameof(objectType), objectType, null),
        };
        var inSchema = schema is null ? "" : $" IN SCHEMA {SqlNames.Ident(schema)}";
        return $"ALTER DEFAULT PRIVILEGES FOR ROLE {SqlNames.Ident(creator)}{inSchema} GRANT {PrivilegeList(privileges)} ON {on} TO {SqlNames.Grantee(grantee)};";
    }

    /// <summary>The quoted, schema-qualified name of a relation / function / type in a snapshot.</summary>
    public static string Target(CatalogSnapshot snapshot, ISecurable obj) => obj switch
    {
        Relation r => SqlNames.Qualified(snapshot.SchemaName(r.Schema), r.Name),
        Function f => SqlNames.Qualified(snapshot.SchemaName(f.Schema), f.Name) + "(" + f.IdentityArguments + ")",
        TypeInfo t => SqlNames.Qualified(snapshot.SchemaName(t.Schema), t.Name),
        Schema s => SqlNames.Ident(s.Name),
        Database d => SqlNames.Ident(d.Name),
        Language l => SqlNames.Ident(l.Name),
        _ => throw new ArgumentOutOfRangeException(nameof(obj)),
    };

    /// <summary>
    /// Converts a serial column to an identity column that continues exactly where the sequence
    /// would have: the old sequence is detached (OWNED BY NONE, so pg_get_serial_sequence finds only
    /// the new one) and renamed aside, the identity's sequence is set from one more
    /// nextval() of the old one (so the next value is unchanged), then the old one is dropped.
    /// All in one transaction with the table locked, so no insert can slip in between.
    /// </summary>
    public static ImmutableArray<string> SerialToIdentity(string schema, string table, string column, string sequence, Sequence seq)
    {
        var qTable = SqlNames.Qualified(schema, table);
        var oldName = AsideName(sequence);
        var qOld = SqlNames.Qualified(schema, oldName);
        var options = $"INCREMENT BY {seq.Increment} MINVALUE {seq.Min} MAXVALUE {seq.Max}{(seq.Cycle ? " CYCLE" : "")}";
        return
        [
            "BEGIN;",
            $"LOCK TABLE {qTable} IN ACCESS EXCLUSIVE MODE;",
            $"ALTER TABLE {qTable} ALTER COLUMN {SqlNames.Ident(column)} DROP DEFAULT;",
            $"ALTER SEQUENCE {SqlNames.Qualified(schema, sequence)} OWNED BY NONE;",
            $"ALTER SEQUENCE {SqlNames.Qualified(schema, sequence)} RENAME TO {SqlNames.Ident(oldName)};",
            $"ALTER TABLE {qTable} ALTER COLUMN {SqlNames.Ident(column)} ADD GENERATED BY DEFAULT AS IDENTITY ({options});",
            $"SELECT setval(pg_get_serial_sequence({SqlNames.Literal(qTable)}, {SqlNames.Literal(column)}), nextval({SqlNames.Literal(qOld)}::regclass), false);",
            $"DROP SEQUENCE {qOld};",
            "COMMIT;",
        ];
    }

    /// <summary>"name_old", cut so it stays within the 63-byte identifier limit (whole UTF-8 characters).</summary>
    private static string AsideName(string name)
    {
        const string suffix = "_old";
        var baseName = name;
        while (System.Text.Encoding.UTF8.GetByteCount(baseName) + suffix.Length > 63)
            baseName = baseName[..^(char.IsLowSurrogate(baseName[^1]) ? 2 : 1)];
        return baseName + suffix;
    }
}
