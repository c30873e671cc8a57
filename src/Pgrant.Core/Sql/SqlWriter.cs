using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using Pgrant.Core.Acl;

namespace Pgrant.Core.Sql;

/// <summary>
/// The one writer of SQL text: every <see cref="SqlStatement"/> becomes the statements (each ending
/// in ';') that carry it out. Names go through <see cref="SqlNames"/>; privileges are listed in the
/// server's order and never as ALL. Nothing else composes SQL from strings.
/// </summary>
public static class SqlWriter
{
    /// <summary>
    /// The SQL statements that carry out <paramref name="statement"/>, in order: one for most, a
    /// SET ROLE / statement / RESET ROLE triple when it must run as a grantor, several for a
    /// <see cref="SerialToIdentity"/> conversion (see <see cref="NeedsTransaction"/>).
    /// </summary>
    public static ImmutableArray<string> Lines(SqlStatement statement)
    {
        ArgumentNullException.ThrowIfNull(statement);
        return statement switch
        {
            GrantPrivileges g => AsRole(g.Grantor, Grant(g)),
            RevokePrivileges r => AsRole(r.Grantor, Revoke(r)),
            GrantRole g => [GrantRoleText(g)],
            RevokeRole r => [RevokeRoleText(r)],
            GrantDefaultPrivileges d => [DefaultPrefix(d.Creator, d.Schema, d.On) +
                $"GRANT {PrivilegeList(d.Privileges)} ON {DefaultKeyword(d.On)} TO {Grantees(d.Grantees)}{(d.WithGrantOption ? " WITH GRANT OPTION" : "")};"],
            RevokeDefaultPrivileges d => [DefaultPrefix(d.Creator, d.Schema, d.On) +
                $"REVOKE {(d.GrantOptionOnly ? "GRANT OPTION FOR " : "")}{PrivilegeList(d.Privileges)} ON {DefaultKeyword(d.On)} FROM {Grantees(d.Grantees)};"],
            CreateRole c => [$"CREATE ROLE {SqlNames.Ident(c.Role)}{Attributes(c.Attributes ?? RoleAttributes.None)};"],
            AlterRoleAttributes a => [$"ALTER ROLE {SqlNames.Ident(a.Role)}{Attributes(a.Attributes)};"],
            SetRoleParameter p => [$"ALTER ROLE {SqlNames.Ident(p.Role)}{(p.Database is null ? "" : $" IN DATABASE {SqlNames.Ident(p.Database)}")} {Setting(p.Parameter, p.Values)};"],
            SetRoutineParameter p => [$"ALTER {AlterKeyword(p.Routine.Kind)} {Name(p.Routine)} {Setting(p.Parameter, p.Values)};"],
            AlterOwner o => [$"ALTER {AlterKeyword(o.Object.Kind)} {Name(o.Object)} OWNER TO {SqlNames.Ident(o.NewOwner)};"],
            RenameObject r => [$"ALTER {AlterKeyword(r.Object.Kind)} {Name(r.Object)} RENAME TO {SqlNames.Ident(r.NewName)};"],
            SerialToIdentity s => SerialToIdentityLines(s),
            AlterColumnType a => [$"ALTER TABLE {Name(a.Table)} ALTER COLUMN {SqlNames.Ident(a.Column)} TYPE {TypeName(a.Type)};"],
            AlterSequence a => [$"ALTER SEQUENCE {Name(a.Sequence)} {SequenceChangeText(a.Change)};"],
            CreatePolicy p => [PolicyText(p)],
            SetRowLevelSecurity s => [$"ALTER TABLE {Name(s.Table)} {(s.Enabled ? "ENABLE" : "DISABLE")} ROW LEVEL SECURITY;"],
            CreateCommandFunction f => [CommandFunctionText(f)],
            _ => throw new ArgumentOutOfRangeException(nameof(statement), statement.GetType().Name, "a statement the writer does not know"),
        };
    }

    /// <summary>The statement's SQL: its <see cref="Lines"/> joined by line breaks.</summary>
    public static string Text(SqlStatement statement) => string.Join("\n", Lines(statement));

    /// <summary>
    /// True when the statement's lines only make sense inside one transaction (a lock held until the
    /// end, several steps that must all happen). An applier runs everything in one transaction anyway;
    /// shown on its own, such a statement is wrapped in BEGIN / COMMIT (<see cref="Standalone"/>).
    /// </summary>
    public static bool NeedsTransaction(SqlStatement statement) => statement is SerialToIdentity;

    /// <summary>The statement as one piece to copy and run on its own: wrapped in BEGIN / COMMIT when it needs a transaction.</summary>
    public static string Standalone(SqlStatement statement) =>
        NeedsTransaction(statement) ? string.Join("\n", ["BEGIN;", .. Lines(statement), "COMMIT;"]) : Text(statement);

    /// <summary>The object's name as SQL writes it: <c>schema.name</c>, <c>schema.f(args)</c>, a bare name, or a large object's OID.</summary>
    public static string Name(SqlObject obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        if (obj.Kind == ObjectKind.LargeObject)
        {
            // A large object is named by its OID: digits, never quoted.
            if (obj.Name.Length == 0 || !obj.Name.All(char.IsAsciiDigit))
                throw new ArgumentException($"a large object is named by its OID, not \"{obj.Name}\"", nameof(obj));
            return obj.Name;
        }
        // A parameter's name is one identifier or, for a custom one, two (extension.setting).
        if (obj.Kind == ObjectKind.Parameter) return ParameterName(obj.Name);
        var name = obj.Schema is null ? SqlNames.Ident(obj.Name) : SqlNames.Qualified(obj.Schema, obj.Name);
        return obj.Arguments is null ? name : $"{name}({obj.Arguments})";
    }

    /// <summary>Privileges in the server's order, comma-separated: <c>SELECT, INSERT</c> is written <c>INSERT, SELECT</c>.</summary>
    public static string PrivilegeList(Privilege privileges)
    {
        if (privileges == Privilege.None) throw new ArgumentException("a statement needs at least one privilege", nameof(privileges));
        return string.Join(", ", Privileges.Split(privileges).Select(Privileges.SqlName));
    }

    /// <summary>The object-type keyword of GRANT … ON &lt;keyword&gt;.</summary>
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
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "no GRANT … ON keyword"),
    };

    /// <summary>The object-type keyword of ALTER &lt;keyword&gt; … (OWNER TO, RENAME TO, SET).</summary>
    public static string AlterKeyword(ObjectKind kind) => kind switch
    {
        ObjectKind.Table or ObjectKind.PartitionedTable => "TABLE",
        ObjectKind.View => "VIEW",
        ObjectKind.MaterializedView => "MATERIALIZED VIEW",
        ObjectKind.ForeignTable => "FOREIGN TABLE",
        ObjectKind.Sequence => "SEQUENCE",
        ObjectKind.Function => "FUNCTION",
        ObjectKind.Procedure => "PROCEDURE",
        ObjectKind.Aggregate => "AGGREGATE",
        ObjectKind.Type => "TYPE",
        ObjectKind.Domain => "DOMAIN",
        ObjectKind.Schema => "SCHEMA",
        ObjectKind.Database => "DATABASE",
        ObjectKind.Language => "LANGUAGE",
        ObjectKind.Tablespace => "TABLESPACE",
        ObjectKind.ForeignDataWrapper => "FOREIGN DATA WRAPPER",
        ObjectKind.ForeignServer => "SERVER",
        ObjectKind.LargeObject => "LARGE OBJECT",
        ObjectKind.Role => "ROLE",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "no ALTER keyword"),
    };

    /// <summary>The pg_default_acl.defaclobjtype code of a default object type.</summary>
    public static char DefaultObjectCode(DefaultObjectType type) => type switch
    {
        DefaultObjectType.Tables => 'r',
        DefaultObjectType.Sequences => 'S',
        DefaultObjectType.Functions => 'f',
        DefaultObjectType.Types => 'T',
        DefaultObjectType.Schemas => 'n',
        DefaultObjectType.LargeObjects => 'L',
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    /// <summary>The default object type of a pg_default_acl.defaclobjtype code.</summary>
    public static DefaultObjectType DefaultObjectTypeOf(char code) => code switch
    {
        'r' => DefaultObjectType.Tables,
        'S' => DefaultObjectType.Sequences,
        'f' => DefaultObjectType.Functions,
        'T' => DefaultObjectType.Types,
        'n' => DefaultObjectType.Schemas,
        'L' => DefaultObjectType.LargeObjects,
        _ => throw new ArgumentOutOfRangeException(nameof(code), code, "not a pg_default_acl object type"),
    };

    private static ImmutableArray<string> AsRole(string? role, string statement) =>
        role is null ? [statement] : [$"SET ROLE {SqlNames.Ident(role)};", statement, "RESET ROLE;"];

    private static string Grant(GrantPrivileges g) =>
        $"GRANT {PrivilegesOn(g.Privileges, g.Objects, g.Columns)} TO {Grantees(g.Grantees)}{(g.WithGrantOption ? " WITH GRANT OPTION" : "")};";

    private static string Revoke(RevokePrivileges r) =>
        $"REVOKE {(r.GrantOptionOnly ? "GRANT OPTION FOR " : "")}{PrivilegesOn(r.Privileges, r.Objects, r.Columns)} FROM {Grantees(r.Grantees)}{(r.Cascade ? " CASCADE" : "")};";

    // "SELECT, INSERT ON TABLE a, b" or, for columns, "SELECT (x, y), INSERT (x, y) ON TABLE a".
    private static string PrivilegesOn(Privilege privileges, ValueList<SqlObject> objects, ValueList<string> columns)
    {
        if (objects.IsEmpty) throw new ArgumentException("a privilege statement needs at least one object", nameof(objects));
        var keyword = OnKeyword(objects[0].Kind);
        foreach (var o in objects)
            if (OnKeyword(o.Kind) != keyword)
                throw new ArgumentException($"one statement cannot name a {KindWords.Singular(objects[0].Kind)} and a {KindWords.Singular(o.Kind)}", nameof(objects));
        string list;
        if (columns.IsEmpty) list = PrivilegeList(privileges);
        else
        {
            if (objects.Count != 1) throw new ArgumentException("a column grant names one table", nameof(objects));
            var names = string.Join(", ", columns.Select(SqlNames.Ident));
            list = string.Join(", ", Privileges.Split(privileges).Select(p => $"{Privileges.SqlName(p)} ({names})"));
        }
        return $"{list} ON {keyword} {string.Join(", ", objects.Select(Name))}";
    }

    private static string Grantees(ValueList<Grantee> grantees)
    {
        if (grantees.IsEmpty) throw new ArgumentException("a statement needs at least one grantee", nameof(grantees));
        return string.Join(", ", grantees.Select(g => g.ToString()));
    }

    private static string GrantRoleText(GrantRole g)
    {
        var options = g.Options ?? MembershipOptions.None;
        var with = "";
        if (options.NeedsOptionSyntax)
        {
            // 16+: WITH ADMIN x, INHERIT y, SET z (each only when named).
            var parts = new List<string>(3);
            if (options.Admin is { } admin) parts.Add($"ADMIN {Bool(admin)}");
            if (options.Inherit is { } inherit) parts.Add($"INHERIT {Bool(inherit)}");
            if (options.Set is { } set) parts.Add($"SET {Bool(set)}");
            with = " WITH " + string.Join(", ", parts);
        }
        else if (options.Admin == true)
        {
            with = " WITH ADMIN OPTION";   // every supported version
        }
        var by = g.GrantedBy is null ? "" : $" GRANTED BY {SqlNames.Ident(g.GrantedBy)}";
        return $"GRANT {SqlNames.Ident(g.Role)} TO {SqlNames.Ident(g.Member)}{with}{by};";
    }

    private static string RevokeRoleText(RevokeRole r)
    {
        var option = r.OptionOnly switch
        {
            null => "",
            MembershipOption.Admin => "ADMIN OPTION FOR ",
            MembershipOption.Inherit => "INHERIT OPTION FOR ",
            MembershipOption.Set => "SET OPTION FOR ",
            _ => throw new ArgumentOutOfRangeException(nameof(r), r.OptionOnly, null),
        };
        var by = r.GrantedBy is null ? "" : $" GRANTED BY {SqlNames.Ident(r.GrantedBy)}";
        return $"REVOKE {option}{SqlNames.Ident(r.Role)} FROM {SqlNames.Ident(r.Member)}{by}{(r.Cascade ? " CASCADE" : "")};";
    }

    private static string DefaultPrefix(string creator, string? schema, DefaultObjectType on)
    {
        if (schema is not null && on is DefaultObjectType.Schemas or DefaultObjectType.LargeObjects)
            throw new ArgumentException($"default privileges on {DefaultKeyword(on)} cannot be limited to a schema", nameof(schema));
        var inSchema = schema is null ? "" : $" IN SCHEMA {SqlNames.Ident(schema)}";
        return $"ALTER DEFAULT PRIVILEGES FOR ROLE {SqlNames.Ident(creator)}{inSchema} ";
    }

    private static string DefaultKeyword(DefaultObjectType on) => on switch
    {
        DefaultObjectType.Tables => "TABLES",
        DefaultObjectType.Sequences => "SEQUENCES",
        DefaultObjectType.Functions => "FUNCTIONS",
        DefaultObjectType.Types => "TYPES",
        DefaultObjectType.Schemas => "SCHEMAS",
        DefaultObjectType.LargeObjects => "LARGE OBJECTS",
        _ => throw new ArgumentOutOfRangeException(nameof(on), on, null),
    };

    private static string Attributes(RoleAttributes a)
    {
        var sb = new StringBuilder();
        void Flag(bool? value, string word)
        {
            if (value is { } v) sb.Append(' ').Append(v ? word : "NO" + word);
        }
        Flag(a.Superuser, "SUPERUSER");
        Flag(a.CreateDb, "CREATEDB");
        Flag(a.CreateRole, "CREATEROLE");
        Flag(a.Inherit, "INHERIT");
        Flag(a.Login, "LOGIN");
        Flag(a.Replication, "REPLICATION");
        Flag(a.BypassRls, "BYPASSRLS");
        if (a.ConnectionLimit is { } limit) sb.Append(" CONNECTION LIMIT ").Append(limit.ToString(CultureInfo.InvariantCulture));
        return sb.ToString();
    }

    // search_path and other lists of names are stored as quote_ident()ed names: written as identifiers they
    // are stored exactly so; every other parameter takes its values as string literals.
    private static string Setting(string parameter, ValueList<string>? values)
    {
        var name = ParameterName(parameter);
        if (values is not { } list) return $"RESET {name}";
        if (list.IsEmpty) throw new ArgumentException($"SET {parameter} needs a value", nameof(values));
        var names = parameter is "search_path" or "temp_tablespaces";
        var text = string.Join(", ", list.Select(v => names ? SqlNames.Ident(v) : SqlNames.Literal(v)));
        return $"SET {name} = {text}";
    }

    // A custom parameter (extension.setting) is written as its two identifiers.
    private static string ParameterName(string parameter) => string.Join(".", parameter.Split('.').Select(SqlNames.Ident));

    private static ImmutableArray<string> SerialToIdentityLines(SerialToIdentity s)
    {
        var table = Name(s.Table);
        var column = SqlNames.Ident(s.Column);
        var schema = s.Sequence.Schema ?? throw new ArgumentException("a sequence has a schema", nameof(s));
        var oldName = AsideName(s.Sequence.Name);
        var old = SqlNames.Qualified(schema, oldName);
        var settings = s.Settings;
        var options = string.Create(CultureInfo.InvariantCulture,
            $"INCREMENT BY {settings.Increment} MINVALUE {settings.Min} MAXVALUE {settings.Max}{(settings.Cycle ? " CYCLE" : "")}");
        return
        [
            $"LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE;",
            $"ALTER TABLE {table} ALTER COLUMN {column} DROP DEFAULT;",
            $"ALTER SEQUENCE {Name(s.Sequence)} OWNED BY NONE;",
            $"ALTER SEQUENCE {Name(s.Sequence)} RENAME TO {SqlNames.Ident(oldName)};",
            $"ALTER TABLE {table} ALTER COLUMN {column} ADD GENERATED BY DEFAULT AS IDENTITY ({options});",
            $"SELECT setval(pg_get_serial_sequence({SqlNames.Literal(table)}, {SqlNames.Literal(s.Column)}), nextval({SqlNames.Literal(old)}::regclass), false);",
            $"DROP SEQUENCE {old};",
        ];
    }

    /// <summary>"name_old", cut so it stays within the 63-byte identifier limit (whole UTF-8 characters).</summary>
    private static string AsideName(string name)
    {
        const string suffix = "_old";
        var baseName = name;
        while (Encoding.UTF8.GetByteCount(baseName) + suffix.Length > 63)
            baseName = baseName[..^(char.IsLowSurrogate(baseName[^1]) ? 2 : 1)];
        return baseName + suffix;
    }

    private static string TypeName(IntegerType type) => type switch
    {
        IntegerType.SmallInt => "smallint",
        IntegerType.Integer => "integer",
        IntegerType.BigInt => "bigint",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    private static string SequenceChangeText(SequenceChange change) => change switch
    {
        SequenceChange.AsBigInt => "AS bigint",
        SequenceChange.NoMaxValue => "NO MAXVALUE",
        SequenceChange.NoMinValue => "NO MINVALUE",
        _ => throw new ArgumentOutOfRangeException(nameof(change), change, null),
    };

    private static string PolicyText(CreatePolicy p)
    {
        var command = p.Command.ToString().ToUpperInvariant();
        var sb = new StringBuilder($"CREATE POLICY {SqlNames.Ident(p.Name)} ON {Name(p.Table)} FOR {command} TO {Grantees(p.Roles)}");
        if (p.Using is not null) sb.Append(" USING (").Append(p.Using).Append(')');
        if (p.WithCheck is not null) sb.Append(" WITH CHECK (").Append(p.WithCheck).Append(')');
        return sb.Append(';').ToString();
    }

    private static string CommandFunctionText(CreateCommandFunction f)
    {
        if (f.Function.Schema is null) throw new ArgumentException("a SECURITY DEFINER function is created in a named schema", nameof(f));
        var command = f.Command switch
        {
            OwnerCommand.RefreshMaterializedView => "REFRESH MATERIALIZED VIEW",
            OwnerCommand.Analyze => "ANALYZE",
            OwnerCommand.Reindex => "REINDEX TABLE",
            OwnerCommand.Cluster => "CLUSTER",
            _ => throw new ArgumentOutOfRangeException(nameof(f), f.Command, null),
        };
        // The body is a string literal (no dollar quote a name could close); the target is schema-qualified.
        var body = SqlNames.Literal($"{command} {Name(f.Target)}");
        return $"CREATE FUNCTION {SqlNames.Qualified(f.Function.Schema, f.Function.Name)}() RETURNS void LANGUAGE sql SECURITY DEFINER " +
               $"SET search_path = pg_catalog, pg_temp AS {body};";
    }

    private static string Bool(bool value) => value ? "TRUE" : "FALSE";
}
