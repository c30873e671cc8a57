using System.Collections.Immutable;
using Pgrant.Core.Catalog;

namespace Pgrant.Postgres.Catalog;

/// <summary>One catalog query of the snapshot batch; <see cref="Name"/> says which result set it is.</summary>
/// <param name="Name">The result set's name (roles, relations …).</param>
/// <param name="Sql">The query text.</param>
public sealed record CatalogQuery(string Name, string Sql);

/// <summary>
/// The exact SQL the <see cref="CatalogReader"/> sends, by server version. The reader sends
/// <see cref="Begin"/>, <see cref="Header"/>, <see cref="PinSearchPath"/>, <see cref="NoJit"/>, the queries of
/// <see cref="For"/> in order and <see cref="Commit"/> as one batch (one round trip); a benchmark
/// replays <see cref="Script"/> with psql to measure the cost of the raw catalog read.
/// </summary>
public static class CatalogQueries
{
    /// <summary>
    /// Parameter prefixes of a scoped read: each category has PREFIX_names and PREFIX_schemas, parallel
    /// text[] (a NULL schema: the name in any schema).
    /// </summary>
    public const string RelationsParameter = "relation", FunctionsParameter = "function", TypesParameter = "type";

    /// <summary>The parameter of a scoped read that names large objects: an oid[] of their OIDs.</summary>
    public const string LargeObjectsParameter = "largeobject_oids";

    // A name of the scope: the name index narrows, the (schema, name) pairs decide.
    private static string NameFilter(string prefix, string nameColumn, string schemaColumn) =>
        $"{nameColumn} = ANY(@{prefix}_names::name[]) AND EXISTS (SELECT FROM unnest(@{prefix}_schemas::name[], @{prefix}_names::name[]) AS x(s, o)\n" +
        $"      WHERE x.o = {nameColumn} AND (x.s IS NULL OR x.s = {schemaColumn}))";

    /// <summary>One read-only REPEATABLE READ transaction: every query of the batch sees the same catalog state.</summary>
    public const string Begin = "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY";

    /// <summary>Ends the read (and releases the locks the sequence reads took).</summary>
    public const string Commit = "COMMIT";

    /// <summary>Read before the search_path is pinned, so it reports the caller's own search_path.</summary>
    public const string Header =
        "SELECT current_setting('server_version_num')::int, current_database()::text, current_user::text, current_setting('search_path'),\n" +
        "       current_setting('max_locks_per_transaction')::int, current_setting('lo_compat_privileges')::bool";

    /// <summary>
    /// Every later query names catalog objects unqualified; pinning the path (transaction-local)
    /// stops a user-created table, function or operator from shadowing a catalog one.
    /// </summary>
    public const string PinSearchPath = "SET LOCAL search_path = pg_catalog, pg_temp";

    /// <summary>
    /// Catalog queries are short, index-driven (scoped) or plain scans (whole): compiling them with JIT
    /// (when their cost estimate passes jit_above_cost) cost ~80 ms per scoped query at 100,000 tables
    /// and gains nothing. Transaction-local like the search_path.
    /// </summary>
    public const string NoJit = "SET LOCAL jit = off";

    // Every "char" column is sent as its code (::int): the connection does not load server types
    // (see NpgsqlSettings), and a number needs no string per row.
    // Schemas never read: TOAST and every session's temporary schemas.
    private const string NamespaceFilter = "n.nspname <> 'pg_toast' AND n.nspname !~ '^pg_(toast_)?temp_'";

    /// <summary>
    /// A scoped read's relations: those the relation parameters name, what views among them read
    /// (transitively), the sequences their tables own or call in a DEFAULT, and every table that owns
    /// or calls a sequence of that set — so a sequence in scope comes with all of its users. Every step
    /// follows an index of pg_class, pg_rewrite, pg_attrdef or pg_depend from the few named OIDs.
    /// Names arrive as parameters; nothing is concatenated into the SQL. Computed once per read by
    /// <see cref="ScopeStatement"/>, which keeps the OIDs in a transaction-local setting the later queries read.
    /// </summary>
    private static readonly string ScopeCte = $"""
        WITH RECURSIVE named(oid) AS (
            SELECT c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE {NameFilter(RelationsParameter, "c.relname", "n.nspname")} AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
          UNION
            SELECT dep.refobjid FROM named v
            JOIN pg_rewrite rw ON rw.ev_class = v.oid AND rw.rulename = '_RETURN'
            JOIN pg_depend dep ON dep.classid = 'pg_rewrite'::regclass AND dep.objid = rw.oid
            WHERE dep.refclassid = 'pg_class'::regclass AND dep.deptype = 'n'
        ), step(oid) AS (
            SELECT oid FROM named
          UNION
            SELECT dep.objid FROM named x
            JOIN pg_depend dep ON dep.refclassid = 'pg_class'::regclass AND dep.refobjid = x.oid
            WHERE dep.classid = 'pg_class'::regclass AND dep.objsubid = 0 AND dep.refobjsubid > 0 AND dep.deptype IN ('a', 'i')
          UNION
            SELECT dep.refobjid FROM named x
            JOIN pg_attrdef ad ON ad.adrelid = x.oid
            JOIN pg_depend dep ON dep.classid = 'pg_attrdef'::regclass AND dep.objid = ad.oid
            WHERE dep.refclassid = 'pg_class'::regclass AND dep.deptype = 'n'
        ), scope(oid) AS (
            SELECT oid FROM step
          UNION
            SELECT dep.refobjid FROM step x
            JOIN pg_depend dep ON dep.classid = 'pg_class'::regclass AND dep.objid = x.oid AND dep.objsubid = 0
            WHERE dep.refclassid = 'pg_class'::regclass AND dep.refobjsubid > 0 AND dep.deptype IN ('a', 'i')
          UNION
            SELECT ad.adrelid FROM step x
            JOIN pg_depend dep ON dep.refclassid = 'pg_class'::regclass AND dep.refobjid = x.oid AND dep.classid = 'pg_attrdef'::regclass
            JOIN pg_attrdef ad ON ad.oid = dep.objid
            WHERE dep.deptype = 'n'
        )
        """;

    /// <summary>The custom setting (transaction-local) that holds the scope's relation OIDs during a scoped read.</summary>
    public const string ScopeSetting = "pgrant.scope";

    /// <summary>A scoped read's first statement: the scope's relation OIDs, once, into <see cref="ScopeSetting"/> (returns one row).</summary>
    public static readonly string ScopeStatement = ScopeCte +
        $"\nSELECT set_config('{ScopeSetting}', coalesce(array_agg(oid)::text, '{{}}'), true) FROM scope";

    private static string InScope(bool scoped, string oid) => scoped ? $"\n  AND {oid} IN (SELECT unnest(current_setting('{ScopeSetting}')::oid[]))" : "";

    /// <summary>Every role of the cluster and its attributes (pg_roles, readable by every role).</summary>
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

    /// <summary>Every database of the cluster with its owner, ACL and connection flags.</summary>
    public static readonly CatalogQuery Databases = new("databases", """
        SELECT d.oid, d.datname::text, d.datdba, d.datacl::text, d.datallowconn, d.datistemplate
        FROM pg_database d
        """);

    /// <summary>The schemas of the current database, without pg_toast and temporary schemas.</summary>
    public static readonly CatalogQuery Schemas = new("schemas", $"""
        SELECT n.oid, n.nspname::text, n.nspowner, n.nspacl::text
        FROM pg_namespace n
        WHERE {NamespaceFilter}
        """);

    // security_invoker exists from 15; the option text goes through the server's own bool parser.
    private static string Relations(string securityInvoker, bool scoped) => $"""
        SELECT c.oid, c.relnamespace, c.relname::text, c.relkind::int, c.relowner, c.relacl::text,
               c.relrowsecurity, c.relforcerowsecurity, {securityInvoker}
        FROM pg_class c
        JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S') AND {NamespaceFilter}
        """ + InScope(scoped, "c.oid");

    private const string SecurityInvoker15 = """
        CASE WHEN c.relkind = 'v' AND c.reloptions IS NOT NULL
                 THEN coalesce((SELECT o.option_value::bool FROM pg_options_to_table(c.reloptions) o
                                WHERE o.option_name = 'security_invoker'), false)
                 ELSE false END
        """;

    // atthasdef, not pg_get_expr(adbin): deparsing every default cost 5 of the 7 s of this query at
    // 100,000 tables, and only whether one exists is used (it is also set for generation expressions).
    // System columns (attnum < 0, six per table) only when they carry a column grant (attacl not NULL):
    // the rest are the same everywhere and built in (SystemColumns). The scan of pg_attribute reads their
    // rows either way; only its filter changes, and the plan stays the same. Sequences stay out: letting
    // them in for their system columns' grants put 100,000 more rows into the join's hash and 300,000
    // sequence columns through it at 100,000 tables (the hash spilled to two batches).
    private static CatalogQuery Columns(bool scoped) => new("columns", $"""
        SELECT a.attrelid, a.attnum, a.attname::text, format_type(a.atttypid, a.atttypmod), a.attnotnull,
               a.atthasdef, a.attidentity::int, a.attgenerated::int, a.attacl::text
        FROM pg_attribute a
        JOIN pg_class c ON c.oid = a.attrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE (a.attnum > 0 OR a.attacl IS NOT NULL) AND NOT a.attisdropped
          AND c.relkind IN ('r', 'p', 'v', 'm', 'f') AND {NamespaceFilter}
        """ + InScope(scoped, "a.attrelid"));

    /// <summary>
    /// Reading last_value (pg_sequence_last_value) takes a lock on each sequence that is held until the
    /// end of the transaction: tens of thousands of sequences exhaust the shared lock table
    /// ("out of shared memory") and could make other sessions fail. So it is read only for sequences the
    /// user may read (SELECT or USAGE, what pg_sequences checks; 14–17 raise otherwise) and only when
    /// they are at most half of max_locks_per_transaction. State: r read, p no privilege, l over the
    /// lock budget, u unlogged on a standby (its data is not there). The privilege is checked once per
    /// sequence (materialized), and the budget counts the sequences this query reads — the ones it would lock.
    /// </summary>
    private static CatalogQuery Sequences(bool scoped) => new("sequences", $"""
        WITH seqs AS MATERIALIZED (
            SELECT s.*, c.relpersistence, has_sequence_privilege(s.seqrelid, 'SELECT,USAGE') AS readable
            FROM pg_sequence s
            JOIN pg_class c ON c.oid = s.seqrelid
            JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind = 'S' AND {NamespaceFilter}{InScope(scoped, "s.seqrelid")}
        ), budget AS (
            SELECT count(*) FILTER (WHERE readable) <= current_setting('max_locks_per_transaction')::int / 2 AS ok FROM seqs
        )
        SELECT s.seqrelid, format_type(s.seqtypid, NULL), s.seqstart, s.seqincrement, s.seqmin, s.seqmax, s.seqcycle,
               x.state::int,
               CASE WHEN x.state = 'r' THEN pg_sequence_last_value(s.seqrelid) END,
               dep.refobjid, dep.refobjsubid, dep.deptype::int
        FROM seqs s
        CROSS JOIN budget
        CROSS JOIN LATERAL (SELECT CASE
                 WHEN NOT s.readable THEN 'p'
                 WHEN s.relpersistence = 'u' AND pg_is_in_recovery() THEN 'u'
                 WHEN NOT budget.ok THEN 'l'
                 ELSE 'r' END::"char" AS state) x
        LEFT JOIN pg_depend dep ON dep.classid = 'pg_class'::regclass AND dep.objid = s.seqrelid AND dep.objsubid = 0
             AND dep.refclassid = 'pg_class'::regclass AND dep.refobjsubid > 0 AND dep.deptype IN ('a', 'i')
        """);

    /// <summary>Columns whose DEFAULT references a sequence (the regclass constant of nextval('…')), from pg_depend.</summary>
    private static CatalogQuery SequenceDefaults(bool scoped) => new("sequence_defaults", $"""
        SELECT dep.refobjid, ad.adrelid, ad.adnum
        FROM pg_depend dep
        JOIN pg_attrdef ad ON ad.oid = dep.objid
        JOIN pg_class seq ON seq.oid = dep.refobjid AND seq.relkind = 'S'
        JOIN pg_class c ON c.oid = ad.adrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE dep.classid = 'pg_attrdef'::regclass AND dep.refclassid = 'pg_class'::regclass
          AND dep.deptype = 'n' AND {NamespaceFilter}
        """ + InScope(scoped, "dep.refobjid"));

    /// <summary>
    /// What each view and materialized view reads: the pg_depend rows of its _RETURN rule on pg_class
    /// (deptype 'n'; the rule's rows on the view itself are left out). A column number &gt; 0 is a
    /// column the query names, 0 the whole relation (only recorded when no column of it is named).
    /// </summary>
    private static CatalogQuery ViewReferences(bool scoped) => new("view_references", $"""
        SELECT DISTINCT rw.ev_class, dep.refobjid, dep.refobjsubid
        FROM pg_rewrite rw
        JOIN pg_class c ON c.oid = rw.ev_class
        JOIN pg_namespace n ON n.oid = c.relnamespace
        JOIN pg_depend dep ON dep.classid = 'pg_rewrite'::regclass AND dep.objid = rw.oid
        WHERE rw.rulename = '_RETURN' AND c.relkind IN ('v', 'm')
          AND dep.refclassid = 'pg_class'::regclass AND dep.deptype = 'n' AND dep.refobjid <> rw.ev_class
          AND {NamespaceFilter}
        """ + InScope(scoped, "rw.ev_class"));

    /// <summary>Row-level security policies (pg_policy is readable by every role); polroles holds 0 for PUBLIC.</summary>
    private static CatalogQuery Policies(bool scoped) => new("policies", $"""
        SELECT p.polrelid, p.polname::text, p.polcmd::int, p.polpermissive, p.polroles
        FROM pg_policy p
        JOIN pg_class c ON c.oid = p.polrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE {NamespaceFilter}
        """ + InScope(scoped, "p.polrelid"));

    /// <summary>
    /// Functions of user schemas, plus the system ones whose ACL is not the default (pg_read_file,
    /// pg_ls_dir…): only those can deny EXECUTE, and skipping the ~3000 others keeps the read small.
    /// </summary>
    private static CatalogQuery Functions(bool scoped) => new("functions", $"""
        SELECT p.oid, p.pronamespace, p.proname::text, pg_get_function_identity_arguments(p.oid), p.prokind::int,
               p.proowner, p.proacl::text, p.prosecdef, p.proconfig, l.lanname::text
        FROM pg_proc p
        JOIN pg_namespace n ON n.oid = p.pronamespace
        JOIN pg_language l ON l.oid = p.prolang
        WHERE p.prokind IN ('f', 'p', 'a', 'w') AND {NamespaceFilter}
          AND (n.nspname NOT IN ('pg_catalog', 'information_schema') OR p.proacl IS NOT NULL)
        """ + (scoped ? "\n  AND " + NameFilter(FunctionsParameter, "p.proname", "n.nspname") : ""));

    /// <summary>
    /// Types of user schemas. A whole read leaves out array types and row types of tables (only standalone
    /// composites): every table has both, so at 100,000 tables they are 200,000 rows nobody names. They are
    /// dropped by two hashed subplans: the OIDs of standalone composite relations (relkind 'c'), and the OIDs
    /// some type names as its typarray; a lookup per row (correlated subqueries, as psql's \dT has them) cost
    /// 0.69 s to return no row, the two hashes 0.34 s.
    /// A scoped read keeps every type its names match, implicit ones included (a table's row type, <c>_name</c>),
    /// and adds what deciding about them needs: the element type of a true array (the server judges an array by
    /// its element), the array type of each named type (how <c>name[]</c> is found), and on 17+ the range type of
    /// every multirange among them (judged by its range); all by index from the few named OIDs.
    /// Columns after the ACL: a multirange's range type on 17+ (0 otherwise; on 14–16 a multirange keeps its own
    /// ACL and owner, checked on 14.23, 15.18, 16.14), the element type of a true array (13: typelem with
    /// typlen -1; 14+: typsubscript array_subscript_handler, what the server's IsTrueArrayType tests), the
    /// relation of a table's row type, and typarray.
    /// </summary>
    private static CatalogQuery Types(PgVersion version, bool scoped)
    {
        var rangeOf = version.AtLeast(17) ? "COALESCE((SELECT rg.rngtypid FROM pg_range rg WHERE rg.rngmultitypid = t.oid), 0)" : "0::oid";
        var trueArray = version.AtLeast(14)
            ? "t.typelem <> 0 AND t.typsubscript = 'array_subscript_handler'::regproc"
            : "t.typelem <> 0 AND t.typlen = -1";
        var columns = $"""
            SELECT t.oid, t.typnamespace, t.typname::text, t.typtype::int, t.typowner, t.typacl::text,
                   {rangeOf},
            """;
        if (!scoped)
            return new("types", columns + $"""

                   0::oid, 0::oid, t.typarray
            FROM pg_type t
            JOIN pg_namespace n ON n.oid = t.typnamespace
            WHERE t.typtype IN ('b', 'c', 'd', 'e', 'r', 'm') AND {NamespaceFilter}
              AND n.nspname NOT IN ('pg_catalog', 'information_schema')
              AND (t.typrelid = 0 OR t.typrelid IN (SELECT rel.oid FROM pg_class rel WHERE rel.relkind = 'c'))
              AND t.oid NOT IN (SELECT elem.typarray FROM pg_type elem)
            """);
        return new("types", $"""
            WITH named AS MATERIALIZED (
                SELECT t.oid FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
                WHERE {NameFilter(TypesParameter, "t.typname", "n.nspname")}
                  AND {NamespaceFilter} AND n.nspname NOT IN ('pg_catalog', 'information_schema')
            ), related AS MATERIALIZED (
                SELECT oid FROM named
              UNION
                SELECT t.typelem FROM named x JOIN pg_type t ON t.oid = x.oid WHERE {trueArray}
              UNION
                SELECT t.typarray FROM named x JOIN pg_type t ON t.oid = x.oid WHERE t.typarray <> 0
            ), wanted AS (
                SELECT oid FROM related{(version.AtLeast(17) ? """

              UNION
                SELECT rg.rngtypid FROM related x JOIN pg_range rg ON rg.rngmultitypid = x.oid
            """ : "")}
            )
            """ + "\n" + columns + $"""

                   CASE WHEN {trueArray} THEN t.typelem ELSE 0::oid END,
                   CASE WHEN t.typrelid <> 0 AND (SELECT rel.relkind FROM pg_class rel WHERE rel.oid = t.typrelid) <> 'c' THEN t.typrelid ELSE 0::oid END,
                   t.typarray
            FROM pg_type t
            JOIN pg_namespace n ON n.oid = t.typnamespace
            WHERE t.oid IN (SELECT oid FROM wanted) AND t.typtype IN ('b', 'c', 'd', 'e', 'r', 'm') AND {NamespaceFilter}
              AND n.nspname NOT IN ('pg_catalog', 'information_schema')
            """);
    }

    /// <summary>
    /// The large objects a scoped read names, by OID (pg_largeobject_metadata is readable by every role; the data
    /// in pg_largeobject is not, and is not touched). Only in a scoped batch: a database may hold millions of
    /// large objects, and no whole-catalog consumer needs them.
    /// </summary>
    private static readonly CatalogQuery LargeObjects = new("large_objects", $"""
        SELECT l.oid, l.lomowner, l.lomacl::text
        FROM pg_largeobject_metadata l
        WHERE l.oid = ANY(@{LargeObjectsParameter}::oid[])
        """);

    /// <summary>The procedural languages of the current database, with their ACLs and whether they are trusted.</summary>
    public static readonly CatalogQuery Languages = new("languages", """
        SELECT l.oid, l.lanname::text, l.lanowner, l.lanacl::text, l.lanpltrusted
        FROM pg_language l
        """);

    /// <summary>The default privileges of the current database (pg_default_acl).</summary>
    public static readonly CatalogQuery DefaultAcls = new("default_acls", """
        SELECT d.defaclrole, d.defaclnamespace, d.defaclobjtype::int, d.defaclacl::text
        FROM pg_default_acl d
        """);

    /// <summary>
    /// Session defaults that apply in this database (ALTER ROLE/DATABASE … SET): explain resolves names with
    /// the search_path of the role that hit the error. Every role may read pg_db_role_setting.
    /// </summary>
    public static readonly CatalogQuery RoleSettings = new("role_settings", """
        SELECT s.setrole, s.setdatabase, s.setconfig
        FROM pg_db_role_setting s
        WHERE s.setdatabase IN (0, (SELECT d.oid FROM pg_database d WHERE d.datname = current_database()))
        """);

    /// <summary>
    /// What each role owns and is granted (pg_shdepend, cluster-wide): counts, and up to five owned objects of
    /// this database (or shared ones) described, so a diagnosis can say what membership in the role hands over.
    /// </summary>
    public static readonly CatalogQuery Footprints = new("footprints", """
        SELECT s.refobjid,
               count(*) FILTER (WHERE s.deptype = 'o')::int,
               count(*) FILTER (WHERE s.deptype = 'o' AND s.dbid IN (0, db.oid))::int,
               count(*) FILTER (WHERE s.deptype = 'a')::int,
               ARRAY(SELECT pg_describe_object(x.classid, x.objid, x.objsubid) FROM pg_shdepend x
                     WHERE x.refclassid = 'pg_authid'::regclass AND x.refobjid = s.refobjid AND x.deptype = 'o' AND x.dbid IN (0, db.oid)
                     ORDER BY x.classid, x.objid LIMIT 5)
        FROM pg_shdepend s CROSS JOIN (SELECT d.oid FROM pg_database d WHERE d.datname = current_database()) db
        WHERE s.refclassid = 'pg_authid'::regclass AND s.deptype IN ('o', 'a')
        GROUP BY s.refobjid, db.oid
        """);

    /// <summary>
    /// Foreign-data wrappers, foreign servers and, on 15+, parameters with an ACL: kind code, OID, name, owner,
    /// ACL. (Large objects are read only by OID, in a scoped read: <see cref="LargeObjects"/>.)
    /// </summary>
    private static string OtherObjects(PgVersion version) => $"""
        SELECT 'w', w.oid, w.fdwname::text, w.fdwowner, w.fdwacl::text FROM pg_foreign_data_wrapper w
        UNION ALL SELECT 's', s.oid, s.srvname::text, s.srvowner, s.srvacl::text FROM pg_foreign_server s
        {(version.AtLeast(15) ? "UNION ALL SELECT 'p', p.oid, p.parname::text, 10::oid, p.paracl::text FROM pg_parameter_acl p" : "")}
        """;

    // The user-defined triggers of the relations read (tgisinternal marks the triggers behind foreign keys and
    // deferred constraints: four per foreign key, which a catalog with many of them has by the hundred thousand).
    // A row trigger of a partitioned table is cloned onto each partition (tgparentid); 13 and 14 mark the clones
    // internal, 15+ do not (checked on 13.23, 14.23, 15, 18.4): they are read on every major, so an INSERT straight
    // into a partition is judged alike. Clones of foreign-key triggers name their constraint and stay out.
    private static string TriggersOf(bool scoped) => $"""
        FROM pg_trigger t
        JOIN pg_class c ON c.oid = t.tgrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE (NOT t.tgisinternal OR (t.tgparentid <> 0 AND t.tgconstraint = 0)) AND c.relkind IN ('r', 'p', 'v', 'f') AND {NamespaceFilter}
        """ + InScope(scoped, "t.tgrelid");

    /// <summary>The user-defined triggers (pg_trigger is readable by every role) of the relations read, by relation and name (their firing order).</summary>
    private static CatalogQuery Triggers(bool scoped) => new("triggers", $"""
        SELECT t.oid, t.tgrelid, t.tgname::text, t.tgfoid, t.tgtype::int, t.tgenabled::int
        {TriggersOf(scoped)}
        ORDER BY t.tgrelid, t.tgname
        """);

    /// <summary>
    /// The source and language of the functions those triggers call, each once — never every routine's body:
    /// the sources of a large catalog's functions would outweigh everything else the read returns.
    /// </summary>
    private static CatalogQuery TriggerFunctions(bool scoped) => new("trigger_functions", $"""
        SELECT p.oid, l.lanname::text, p.prosrc
        FROM pg_proc p
        JOIN pg_language l ON l.oid = p.prolang
        WHERE p.oid IN (SELECT t.tgfoid
        {TriggersOf(scoped)})
        """);

    /// <summary>
    /// The data queries for a server version, in the order the reader consumes their result sets.
    /// <paramref name="scoped"/>: the relation, routine and type queries keep only a scope's objects, named by
    /// the parameters <see cref="RelationsParameter"/>, <see cref="FunctionsParameter"/> and <see cref="TypesParameter"/>.
    /// </summary>
    public static ImmutableArray<CatalogQuery> For(PgVersion version, bool scoped = false)
    {
        if (version.Major < 13)
            throw new ArgumentOutOfRangeException(nameof(version), version, "PostgreSQL 13 or later is required");
        return
        [
            Roles,
            version.AtLeast(16) ? Memberships16 : Memberships13,
            Databases,
            Schemas,
            new CatalogQuery("relations", Relations(version.AtLeast(15) ? SecurityInvoker15 : "false", scoped)),
            // Everything a relation is built from comes first, so the reader can assemble relations
            // while the server computes the sequences (the two most expensive queries at scale).
            Columns(scoped),
            ViewReferences(scoped),
            Policies(scoped),
            Sequences(scoped),
            SequenceDefaults(scoped),
            Functions(scoped),
            Types(version, scoped),
            Languages,
            DefaultAcls,
            RoleSettings,
            .. (scoped ? [LargeObjects] : Array.Empty<CatalogQuery>()),
            Footprints,
            new CatalogQuery("other_objects", OtherObjects(version)),
            Triggers(scoped),
            TriggerFunctions(scoped),
        ];
    }

    /// <summary>Every statement of the batch, in order, as the reader sends it.</summary>
    public static ImmutableArray<string> Statements(PgVersion version, bool scoped = false) =>
        [Begin, Header, PinSearchPath, NoJit, .. (scoped ? [ScopeStatement] : Array.Empty<string>()), .. For(version, scoped).Select(q => q.Sql), Commit];

    /// <summary>The whole batch as one psql script (statements separated by ";").</summary>
    public static string Script(PgVersion version) =>
        string.Join(";\n", Statements(version)) + ";\n";

    /// <summary>
    /// The scoped batch as a psql script: each parameter becomes the psql variable of the same name
    /// (set each to an array literal: <c>psql -v relation_names='{t1}' -v relation_schemas='{NULL}' …
    /// -v largeobject_oids='{}'</c>).
    /// </summary>
    public static string ScopedScript(PgVersion version)
    {
        var script = string.Join(";\n", Statements(version, scoped: true)) + ";\n";
        foreach (var prefix in new[] { RelationsParameter, FunctionsParameter, TypesParameter })
            foreach (var part in new[] { "_names", "_schemas" })
                script = script.Replace("@" + prefix + part, ":'" + prefix + part + "'", StringComparison.Ordinal);
        return script.Replace("@" + LargeObjectsParameter, ":'" + LargeObjectsParameter + "'", StringComparison.Ordinal);
    }
}
