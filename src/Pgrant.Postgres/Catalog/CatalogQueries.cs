using System.Collections.Immutable;
using Pgrant.Core.Catalog;

namespace Pgrant.Postgres.Catalog;

/// <summary>One catalog query of the snapshot batch; <see cref="Name"/> says which result set it is.</summary>
public sealed record CatalogQuery(string Name, string Sql);

/// <summary>
/// The exact SQL the <see cref="CatalogReader"/> sends, by server version. The reader sends
/// <see cref="Begin"/>, <see cref="Header"/>, <see cref="PinSearchPath"/>, the queries of
/// <see cref="For"/> in order and <see cref="Commit"/> as one batch (one round trip); a benchmark
/// replays <see cref="Script"/> with psql to measure the cost of the raw catalog read.
/// </summary>
public static class CatalogQueries
{
    public const string Begin = "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY";
    public const string Commit = "COMMIT";

    /// <summary>Read before the search_path is pinned, so it reports the caller's own search_path.</summary>
    public const string Header =
        "SELECT current_setting('server_version_num')::int, current_database()::text, current_user::text, current_setting('search_path'),\n" +
        "       current_setting('max_locks_per_transaction')::int";

    /// <summary>
    /// Every later query names catalog objects unqualified; pinning the path (transaction-local)
    /// stops a user-created table, function or operator from shadowing a catalog one.
    /// </summary>
    public const string PinSearchPath = "SET LOCAL search_path = pg_catalog, pg_temp";

    // Schemas never read: TOAST and every session's temporary schemas.
    private const string NamespaceFilter = "n.nspname <> 'pg_toast' AND n.nspname !~ '^pg_(toast_)?temp_'";

    public static readonly CatalogQuery Roles = new("roles", """
        SELECT r.oid, r.rolname::text, r.rolsuper, r.rolcanlogin, r.rolinherit, r.rolcreaterole, r.rolcreatedb, r.rolbypassrls
        FROM pg_roles r
        """);

    private static readonly CatalogQuery Memberships13 = new("memberships", """
        SELECT m.roleid, m.member, m.grantor, m.admin_option, NULL::bool, NULL::bool
        FROM pg_auth_members m
        """);

    private static readonly CatalogQuery Memberships16 = new("memberships", """
        SELECT m.roleid, m.member, m.grantor, m.admin_option, m.inherit_option, m.set_option
        FROM pg_auth_members m
        """);

    public static readonly CatalogQuery Databases = new("databases", """
        SELECT d.oid, d.datname::text, d.datdba, d.datacl::text, d.datallowconn, d.datistemplate
        FROM pg_database d
        """);

    public static readonly CatalogQuery Schemas = new("schemas", $"""
        SELECT n.oid, n.nspname::text, n.nspowner, n.nspacl::text
        FROM pg_namespace n
        WHERE {NamespaceFilter}
        """);

    // security_invoker exists from 15; the option text goes through the server's own bool parser.
    private static string Relations(string securityInvoker) => $"""
        SELECT c.oid, c.relnamespace, c.relname::text, c.relkind, c.relowner, c.relacl::text,
               c.relrowsecurity, c.relforcerowsecurity, {securityInvoker}
        FROM pg_class c
        JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S') AND {NamespaceFilter}
        """;

    private const string SecurityInvoker15 = """
        CASE WHEN c.relkind = 'v' AND c.reloptions IS NOT NULL
                 THEN coalesce((SELECT o.option_value::bool FROM pg_options_to_table(c.reloptions) o
                                WHERE o.option_name = 'security_invoker'), false)
                 ELSE false END
        """;

    // pg_attrdef also holds generation expressions: Default then is the generation expression.
    public static readonly CatalogQuery Columns = new("columns", $"""
        SELECT a.attrelid, a.attnum, a.attname::text, format_type(a.atttypid, a.atttypmod), a.attnotnull,
               pg_get_expr(ad.adbin, ad.adrelid), a.attidentity, a.attgenerated, a.attacl::text
        FROM pg_attribute a
        JOIN pg_class c ON c.oid = a.attrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
        WHERE a.attnum > 0 AND NOT a.attisdropped
          AND c.relkind IN ('r', 'p', 'v', 'm', 'f') AND {NamespaceFilter}
        """);

    /// <summary>
    /// Reading last_value (pg_sequence_last_value) takes a lock on each sequence that is held until the
    /// end of the transaction: tens of thousands of sequences exhaust the shared lock table
    /// ("out of shared memory") and could make other sessions fail. So it is read only for sequences the
    /// user may read (SELECT or USAGE, what pg_sequences checks; 14–17 raise otherwise) and only when
    /// they are at most half of max_locks_per_transaction. State: r read, p no privilege, l over the
    /// lock budget, u unlogged on a standby (its data is not there).
    /// </summary>
    public static readonly CatalogQuery Sequences = new("sequences", $"""
        SELECT s.seqrelid, format_type(s.seqtypid, NULL), s.seqstart, s.seqincrement, s.seqmin, s.seqmax, s.seqcycle,
               x.state,
               CASE WHEN x.state = 'r' THEN pg_sequence_last_value(s.seqrelid) END,
               dep.refobjid, dep.refobjsubid, dep.deptype
        FROM pg_sequence s
        JOIN pg_class c ON c.oid = s.seqrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        CROSS JOIN (SELECT count(*) <= current_setting('max_locks_per_transaction')::int / 2 AS ok
                    FROM pg_sequence s2
                    WHERE has_sequence_privilege(s2.seqrelid, 'SELECT,USAGE')) budget
        CROSS JOIN LATERAL (SELECT CASE
                 WHEN NOT has_sequence_privilege(s.seqrelid, 'SELECT,USAGE') THEN 'p'
                 WHEN c.relpersistence = 'u' AND pg_is_in_recovery() THEN 'u'
                 WHEN NOT budget.ok THEN 'l'
                 ELSE 'r' END::"char" AS state) x
        LEFT JOIN pg_depend dep ON dep.classid = 'pg_class'::regclass AND dep.objid = s.seqrelid AND dep.objsubid = 0
             AND dep.refclassid = 'pg_class'::regclass AND dep.refobjsubid > 0 AND dep.deptype IN ('a', 'i')
        WHERE c.relkind = 'S' AND {NamespaceFilter}
        """);

    /// <summary>Columns whose DEFAULT references a sequence (the regclass constant of nextval('…')), from pg_depend.</summary>
    public static readonly CatalogQuery SequenceDefaults = new("sequence_defaults", $"""
        SELECT dep.refobjid, ad.adrelid, ad.adnum
        FROM pg_depend dep
        JOIN pg_attrdef ad ON ad.oid = dep.objid
        JOIN pg_class seq ON seq.oid = dep.refobjid AND seq.relkind = 'S'
        JOIN pg_class c ON c.oid = ad.adrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE dep.classid = 'pg_attrdef'::regclass AND dep.refclassid = 'pg_class'::regclass
          AND dep.deptype = 'n' AND {NamespaceFilter}
        """);

    /// <summary>
    /// What each view and materialized view reads: the pg_depend rows of its _RETURN rule on pg_class
    /// (deptype 'n'; the rule's rows on the view itself are left out). A column number &gt; 0 is a
    /// column the query names, 0 the whole relation (only recorded when no column of it is named).
    /// </summary>
    public static readonly CatalogQuery ViewReferences = new("view_references", $"""
        SELECT DISTINCT rw.ev_class, dep.refobjid, dep.refobjsubid
        FROM pg_rewrite rw
        JOIN pg_class c ON c.oid = rw.ev_class
        JOIN pg_namespace n ON n.oid = c.relnamespace
        JOIN pg_depend dep ON dep.classid = 'pg_rewrite'::regclass AND dep.objid = rw.oid
        WHERE rw.rulename = '_RETURN' AND c.relkind IN ('v', 'm')
          AND dep.refclassid = 'pg_class'::regclass AND dep.deptype = 'n' AND dep.refobjid <> rw.ev_class
          AND {NamespaceFilter}
        """);

    /// <summary>Row-level security policies (pg_policy is readable by every role); polroles holds 0 for PUBLIC.</summary>
    public static readonly CatalogQuery Policies = new("policies", $"""
        SELECT p.polrelid, p.polname::text, p.polcmd, p.polpermissive, p.polroles
        FROM pg_policy p
        JOIN pg_class c ON c.oid = p.polrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE {NamespaceFilter}
        """);

    /// <summary>
    /// Functions of user schemas, plus the system ones whose ACL is not the default (pg_read_file,
    /// pg_ls_dir…): only those can deny EXECUTE, and skipping the ~3000 others keeps the read small.
    /// </summary>
    public static readonly CatalogQuery Functions = new("functions", $"""
        SELECT p.oid, p.pronamespace, p.proname::text, pg_get_function_identity_arguments(p.oid), p.prokind,
               p.proowner, p.proacl::text, p.prosecdef, p.proconfig, l.lanname::text
        FROM pg_proc p
        JOIN pg_namespace n ON n.oid = p.pronamespace
        JOIN pg_language l ON l.oid = p.prolang
        WHERE p.prokind IN ('f', 'p', 'a', 'w') AND {NamespaceFilter}
          AND (n.nspname NOT IN ('pg_catalog', 'information_schema') OR p.proacl IS NOT NULL)
        """);

    /// <summary>
    /// Types of user schemas: no array types, no row types of tables (only standalone composites).
    /// The last column is a multirange's range type on 17+ (0 otherwise): from 17 the server judges a
    /// multirange by its range's ACL and owner; on 14–16 a multirange keeps its own (checked on 14.23, 15.18, 16.14).
    /// </summary>
    private static CatalogQuery Types(PgVersion version) => new("types", $"""
        SELECT t.oid, t.typnamespace, t.typname::text, t.typtype, t.typowner, t.typacl::text,
               {(version.AtLeast(17) ? "COALESCE((SELECT rg.rngtypid FROM pg_range rg WHERE rg.rngmultitypid = t.oid), 0)" : "0::oid")}
        FROM pg_type t
        JOIN pg_namespace n ON n.oid = t.typnamespace
        LEFT JOIN pg_class rel ON rel.oid = t.typrelid
        LEFT JOIN pg_type elem ON elem.oid = t.typelem
        WHERE t.typtype IN ('b', 'c', 'd', 'e', 'r', 'm') AND {NamespaceFilter}
          AND n.nspname NOT IN ('pg_catalog', 'information_schema')
          AND (t.typrelid = 0 OR rel.relkind = 'c')
          AND (elem.oid IS NULL OR elem.typarray <> t.oid)
        """);

    public static readonly CatalogQuery Languages = new("languages", """
        SELECT l.oid, l.lanname::text, l.lanowner, l.lanacl::text, l.lanpltrusted
        FROM pg_language l
        """);

    public static readonly CatalogQuery DefaultAcls = new("default_acls", """
        SELECT d.defaclrole, d.defaclnamespace, d.defaclobjtype, d.defaclacl::text
        FROM pg_default_acl d
        """);

    /// <summary>The data queries for a server version, in the order the reader consumes their result sets.</summary>
    public static ImmutableArray<CatalogQuery> For(PgVersion version)
    {
        if (version.Major < 13)
            throw new ArgumentOutOfRangeException(nameof(version), version, "PostgreSQL 13 or later is required");
        return
        [
            Roles,
            version.AtLeast(16) ? Memberships16 : Memberships13,
            Databases,
            Schemas,
            new CatalogQuery("relations", Relations(version.AtLeast(15) ? SecurityInvoker15 : "false")),
            Columns,
            Sequences,
            SequenceDefaults,
            ViewReferences,
            Policies,
            Functions,
            Types(version),
            Languages,
            DefaultAcls,
        ];
    }

    /// <summary>Every statement of the batch, in order, as the reader sends it.</summary>
    public static ImmutableArray<string> Statements(PgVersion version) =>
        [Begin, Header, PinSearchPath, .. For(version).Select(q => q.Sql), Commit];

    /// <summary>The whole batch as one psql script (statements separated by ";").</summary>
    public static string Script(PgVersion version) =>
        string.Join(";\n", Statements(version)) + ";\n";
}
