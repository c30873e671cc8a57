using Pgrant.Core.Acl;
using Pgrant.IntegrationTests.Explain;
using Pgrant.Postgres;

namespace Pgrant.IntegrationTests.Sql;

/// <summary>
/// Every form the one SQL writer produces, run on real servers (through the session's applier, as
/// `--apply` runs fixes) on objects and roles with hostile names, and checked by what the server then
/// says (has_*_privilege, aclexplode, the catalogs) — not by the text alone.
/// </summary>
public sealed class StatementServerTests
{
    // A schema, table, column and function whose names need every kind of quoting.
    private const string SchemaName = "We\"ird schema=/,ü";
    private const string TableName = "select";
    private const string ColumnName = "a b";

    private static readonly SqlObject Schema = SqlObject.Bare(ObjectKind.Schema, SchemaName);
    private static readonly SqlObject Table = new(ObjectKind.Table, SchemaName, TableName);
    private static readonly SqlObject View = new(ObjectKind.View, SchemaName, "v,w");
    private static readonly SqlObject Seq = new(ObjectKind.Sequence, SchemaName, "select_id_seq");
    private static readonly SqlObject Other = new(ObjectKind.Sequence, SchemaName, "other seq");
    private static readonly SqlObject Func = new(ObjectKind.Function, SchemaName, "f,n", "a integer, b text");
    // has_function_privilege and regprocedure take the argument types without their names.
    private static readonly SqlObject FuncSignature = Func with { Arguments = "integer, text" };
    private static readonly SqlObject Proc = new(ObjectKind.Procedure, SchemaName, "do it", "");
    private static readonly SqlObject Domain = new(ObjectKind.Domain, SchemaName, "e mail");
    // 63 bytes: the longest name the server keeps.
    private static readonly SqlObject Long = new(ObjectKind.Table, SchemaName, new string('t', 61) + "é");

    private sealed class World(ExplainWorld w, PgrantSession session) : IAsyncDisposable
    {
        public ExplainWorld W { get; } = w;

        public Task ApplyAsync(params SqlStatement[] statements) => session.ApplyAsync(statements);

        public async Task<T> ScalarAsync<T>(string sql, params object[] parameters)
        {
            await using var conn = await W.Db.OpenAsync();
            await using var cmd = new NpgsqlCommand(sql, conn);
            foreach (var p in parameters) cmd.Parameters.AddWithValue(p);
            return (T)(await cmd.ExecuteScalarAsync())!;
        }

        public Task<bool> HasAsync(string function, string role, SqlObject obj, string privilege) =>
            ScalarAsync<bool>($"SELECT {function}($1, $2, $3)", role, SqlWriter.Name(obj), privilege);

        public async ValueTask DisposeAsync()
        {
            await session.DisposeAsync();
            await W.DisposeAsync();
        }
    }

    private static async Task<(World World, string App, string Mid, string Owner)> CreateAsync(int major, string test)
    {
        var w = await ExplainWorld.CreateAsync(major, test);
        var app = await w.RoleAsync("app \"q=/,ü");
        var mid = await w.RoleAsync("mid level");
        var owner = await w.RoleAsync("owner");
        await w.SqlAsync($"""
            CREATE SCHEMA {SqlWriter.Name(Schema)} AUTHORIZATION {SqlNames.Ident(owner)};
            SET ROLE {SqlNames.Ident(owner)};
            CREATE TABLE {SqlWriter.Name(Table)} (id serial, {SqlNames.Ident(ColumnName)} integer, note text);
            CREATE VIEW {SqlWriter.Name(View)} AS SELECT id, note FROM {SqlWriter.Name(Table)};
            CREATE SEQUENCE {SqlWriter.Name(Other)} AS integer;
            CREATE TABLE {SqlWriter.Name(Long)} (id integer);
            CREATE FUNCTION {SqlWriter.Name(Func)} RETURNS integer LANGUAGE sql AS 'SELECT a';
            CREATE PROCEDURE {SqlWriter.Name(Proc)} LANGUAGE sql AS 'SELECT 1';
            CREATE DOMAIN {SqlWriter.Name(Domain)} AS text;
            RESET ROLE;
            """);
        var session = PgrantSession.Create(NpgsqlDataSource.Create(w.Db.ConnectionString()), ownsDataSource: true);
        return (new World(w, session), app, mid, owner);
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task Object_grants_and_revokes_do_what_they_say(int major)
    {
        var (world, app, _, _) = await CreateAsync(major, nameof(Object_grants_and_revokes_do_what_they_say));
        await using var _ = world;

        await world.ApplyAsync(
            new GrantPrivileges(Privilege.Usage, Schema, app, "r"),
            new GrantPrivileges(Privilege.Select | Privilege.Insert, [Table, View, Long], [app, Grantee.Public], "r"),
            new GrantPrivileges(Privilege.Update, [Table], [app], "r", Columns: [ColumnName]),
            new RevokePrivileges(Privilege.Execute, [Func], [Grantee.Public], "r"),
            new RevokePrivileges(Privilege.Execute, [Proc], [Grantee.Public], "r"),
            new RevokePrivileges(Privilege.Usage, [Domain], [Grantee.Public], "r"),
            new GrantPrivileges(Privilege.Execute, Func, app, "r"),
            new GrantPrivileges(Privilege.Execute, Proc, app, "r"),
            new GrantPrivileges(Privilege.Usage, Domain, app, "r"),
            new GrantPrivileges(Privilege.Temporary, SqlObject.Bare(ObjectKind.Database, world.W.Db.Name), app, "r"));

        // has_schema_privilege takes the schema's name, not SQL that names it.
        Assert.True(await world.ScalarAsync<bool>("SELECT has_schema_privilege($1, $2, 'USAGE')", app, SchemaName));
        foreach (var t in (SqlObject[])[Table, View, Long])
            Assert.True(await world.HasAsync("has_table_privilege", app, t, "SELECT, INSERT"));
        Assert.True(await world.ScalarAsync<bool>("SELECT has_table_privilege('public', $1, 'INSERT')", SqlWriter.Name(View)));
        Assert.False(await world.HasAsync("has_table_privilege", app, Table, "UPDATE"));
        Assert.True(await world.ScalarAsync<bool>("SELECT has_column_privilege($1, $2, $3, 'UPDATE')", app, SqlWriter.Name(Table), ColumnName));
        Assert.True(await world.HasAsync("has_function_privilege", app, FuncSignature, "EXECUTE"));
        Assert.False(await world.HasAsync("has_function_privilege", "public", FuncSignature, "EXECUTE"));
        Assert.True(await world.HasAsync("has_function_privilege", app, Proc, "EXECUTE"));
        Assert.True(await world.ScalarAsync<bool>("SELECT has_type_privilege($1, $2, 'USAGE')", app, SqlWriter.Name(Domain)));
        Assert.True(await world.ScalarAsync<bool>("SELECT has_database_privilege($1, current_database(), 'TEMPORARY')", app));

        // Revokes: the table-level ones, and a column's own grant.
        await world.ApplyAsync(
            new RevokePrivileges(Privilege.Insert, [Table, View, Long], [app, Grantee.Public], "r"),
            new RevokePrivileges(Privilege.Update, [Table], [app], "r", Columns: [ColumnName]));
        Assert.False(await world.HasAsync("has_table_privilege", app, Long, "INSERT"));
        Assert.True(await world.HasAsync("has_table_privilege", app, Long, "SELECT"));
        Assert.False(await world.ScalarAsync<bool>("SELECT has_column_privilege($1, $2, $3, 'UPDATE')", app, SqlWriter.Name(Table), ColumnName));

    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task Grants_recorded_as_another_grantor_and_grant_options(int major)
    {
        var (world, app, mid, owner) = await CreateAsync(major, nameof(Grants_recorded_as_another_grantor_and_grant_options));
        await using var _ = world;
        const string grantors = """
            SELECT string_agg(format('%s by %s%s', e.grantee::regrole, e.grantor::regrole, CASE WHEN e.is_grantable THEN ' grantable' ELSE '' END), '; ' ORDER BY e.grantee::regrole::text)
            FROM pg_class c, aclexplode(c.relacl) e
            WHERE c.oid = $1::regclass AND e.privilege_type = 'USAGE' AND e.grantee <> c.relowner
            """;

        // A grantor must reach the object: without USAGE on its schema the GRANT it makes is refused.
        await world.ApplyAsync(
            new GrantPrivileges(Privilege.Usage, Schema, mid, "r"),
            new GrantPrivileges(Privilege.Usage, [Seq], [mid], "r", WithGrantOption: true),
            new GrantPrivileges(Privilege.Usage, [Seq], [app], "r", Grantor: mid));
        Assert.Equal($"{SqlNames.Ident(app)} by {SqlNames.Ident(mid)}; {SqlNames.Ident(mid)} by {SqlNames.Ident(owner)} grantable",
            await world.ScalarAsync<string>(grantors, SqlWriter.Name(Seq)));

        // The grant option cannot go while the dependent grant is there; revoked as its grantor first, it can.
        await world.ApplyAsync(
            new RevokePrivileges(Privilege.Usage, [Seq], [app], "r", Grantor: mid),
            new RevokePrivileges(Privilege.Usage, [Seq], [mid], "r", GrantOptionOnly: true));
        Assert.Contains(" by ", await world.ScalarAsync<string>(grantors, SqlWriter.Name(Seq)));
        Assert.DoesNotContain("grantable", await world.ScalarAsync<string>(grantors, SqlWriter.Name(Seq)));
        Assert.False(await world.HasAsync("has_sequence_privilege", app, Seq, "USAGE"));
        Assert.True(await world.HasAsync("has_sequence_privilege", mid, Seq, "USAGE"));
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task A_merged_plan_grants_each_object_it_names(int major)
    {
        var (world, app, _, _) = await CreateAsync(major, nameof(A_merged_plan_grants_each_object_it_names));
        await using var _ = world;
        var plan = PlanBuilder.Arrange([new GrantPrivileges(Privilege.Usage, Seq, app, "a"), new GrantPrivileges(Privilege.Usage, Other, app, "b")]);

        Assert.Equal($"GRANT USAGE ON SEQUENCE {SqlWriter.Name(Seq)}, {SqlWriter.Name(Other)} TO {SqlNames.Ident(app)};", SqlWriter.Text(Assert.Single(plan)));
        await world.ApplyAsync([.. plan]);
        Assert.True(await world.HasAsync("has_sequence_privilege", app, Seq, "USAGE"));
        Assert.True(await world.HasAsync("has_sequence_privilege", app, Other, "USAGE"));
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task Role_memberships_with_the_options_of_each_version(int major)
    {
        var (world, app, mid, owner) = await CreateAsync(major, nameof(Role_memberships_with_the_options_of_each_version));
        await using var _ = world;
        const string membership = """
            SELECT string_agg(format('admin=%s', m.admin_option), ',') FROM pg_auth_members m
            WHERE m.roleid = $1::regrole AND m.member = $2::regrole
            """;

        await world.ApplyAsync(new GrantRole(mid, app, "r", new MembershipOptions(Admin: true)));
        Assert.Equal("admin=t", await world.ScalarAsync<string>(membership, SqlNames.Ident(mid), SqlNames.Ident(app)));
        await world.ApplyAsync(new RevokeRole(mid, app, "r", MembershipOption.Admin));
        Assert.Equal("admin=f", await world.ScalarAsync<string>(membership, SqlNames.Ident(mid), SqlNames.Ident(app)));
        if (major >= 16)
        {
            await world.ApplyAsync(new GrantRole(owner, app, "r", new MembershipOptions(Inherit: false, Set: true)));
            Assert.Equal("f/t", await world.ScalarAsync<string>(
                "SELECT format('%s/%s', inherit_option, set_option) FROM pg_auth_members WHERE roleid = $1::regrole AND member = $2::regrole",
                SqlNames.Ident(owner), SqlNames.Ident(app)));
            await world.ApplyAsync(new RevokeRole(owner, app, "r", MembershipOption.Set));
            Assert.Equal("f/f", await world.ScalarAsync<string>(
                "SELECT format('%s/%s', inherit_option, set_option) FROM pg_auth_members WHERE roleid = $1::regrole AND member = $2::regrole",
                SqlNames.Ident(owner), SqlNames.Ident(app)));
        }
        await world.ApplyAsync(new RevokeRole(mid, app, "r"));
        Assert.Null(await world.ScalarAsync<object?>(membership, SqlNames.Ident(mid), SqlNames.Ident(app)) as string);
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task Default_privileges_reach_the_next_object_of_the_creator(int major)
    {
        var (world, app, _, owner) = await CreateAsync(major, nameof(Default_privileges_reach_the_next_object_of_the_creator));
        await using var _ = world;

        await world.ApplyAsync(
            new GrantDefaultPrivileges(owner, SchemaName, DefaultObjectType.Tables, Privilege.Select, [app], "r"),
            new GrantDefaultPrivileges(owner, SchemaName, DefaultObjectType.Sequences, Privilege.Usage, [app], "r"),
            new RevokeDefaultPrivileges(owner, null, DefaultObjectType.Functions, Privilege.Execute, [Grantee.Public], "r"));
        var next = new SqlObject(ObjectKind.Table, SchemaName, "next one");
        var fn = new SqlObject(ObjectKind.Function, SchemaName, "g", "");
        await world.W.SqlAsync($"SET ROLE {SqlNames.Ident(owner)}; CREATE TABLE {SqlWriter.Name(next)} (id serial); CREATE FUNCTION {SqlWriter.Name(fn)} RETURNS int LANGUAGE sql AS 'SELECT 1'; RESET ROLE;");
        Assert.True(await world.HasAsync("has_table_privilege", app, next, "SELECT"));
        Assert.True(await world.HasAsync("has_sequence_privilege", app, new SqlObject(ObjectKind.Sequence, SchemaName, "next one_id_seq"), "USAGE"));
        Assert.False(await world.HasAsync("has_function_privilege", "public", fn, "EXECUTE"));

        await world.ApplyAsync(
            new RevokeDefaultPrivileges(owner, SchemaName, DefaultObjectType.Tables, Privilege.Select, [app], "r"),
            new RevokeDefaultPrivileges(owner, SchemaName, DefaultObjectType.Sequences, Privilege.Usage, [app], "r"),
            new GrantDefaultPrivileges(owner, null, DefaultObjectType.Functions, Privilege.Execute, [Grantee.Public], "r"));
        Assert.Equal(0L, await world.ScalarAsync<long>("SELECT count(*) FROM pg_default_acl WHERE defaclrole = $1::regrole", SqlNames.Ident(owner)));
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task Roles_their_attributes_and_settings(int major)
    {
        var (world, app, _, _) = await CreateAsync(major, nameof(Roles_their_attributes_and_settings));
        await using var _ = world;
        var created = app + " 2";
        try
        {
            await world.ApplyAsync(new CreateRole(created, "r", new RoleAttributes(Inherit: false, Login: false, ConnectionLimit: 3)));
            Assert.Equal("f/f/3", await world.ScalarAsync<string>("SELECT format('%s/%s/%s', rolinherit, rolcanlogin, rolconnlimit) FROM pg_roles WHERE rolname = $1", created));
            await world.ApplyAsync(new AlterRoleAttributes(created, new RoleAttributes(Login: true, ConnectionLimit: -1), "r"));
            Assert.Equal("f/t/-1", await world.ScalarAsync<string>("SELECT format('%s/%s/%s', rolinherit, rolcanlogin, rolconnlimit) FROM pg_roles WHERE rolname = $1", created));
        }
        finally
        {
            await world.W.SqlAsync($"DROP ROLE IF EXISTS {SqlNames.Ident(created)}");
        }

        // A search_path of hostile names is stored as the server quotes it, and a new session of the role uses it.
        await world.ApplyAsync(
            new GrantPrivileges(Privilege.Usage, Schema, app, "r"),
            new GrantPrivileges(Privilege.Select, Table, app, "r"),
            new SetRoleParameter(app, world.W.Db.Name, "search_path", [SchemaName, "$user"], "r"),
            new SetRoleParameter(app, null, "statement_timeout", ["5s"], "r"));
        await using (var conn = await world.W.OpenAsAsync(app))
        {
            Assert.Equal($"{SqlNames.Ident(SchemaName)}, \"$user\"", (string)(await new NpgsqlCommand("SHOW search_path", conn).ExecuteScalarAsync())!);
            Assert.Equal("5s", (string)(await new NpgsqlCommand("SHOW statement_timeout", conn).ExecuteScalarAsync())!);
            Assert.Equal(0L, (long)(await new NpgsqlCommand($"SELECT count(*) FROM {SqlNames.Ident(TableName)}", conn).ExecuteScalarAsync())!);
        }
        await world.ApplyAsync(new SetRoleParameter(app, world.W.Db.Name, "search_path", null, "r"), new SetRoleParameter(app, null, "statement_timeout", null, "r"));
        Assert.Equal(0L, await world.ScalarAsync<long>("SELECT count(*) FROM pg_db_role_setting WHERE setrole = $1::regrole", SqlNames.Ident(app)));
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task Routine_settings_owners_renames_and_schema_changes(int major)
    {
        var (world, app, _, _) = await CreateAsync(major, nameof(Routine_settings_owners_renames_and_schema_changes));
        await using var _ = world;

        await world.ApplyAsync(
            new SetRoutineParameter(Func, "search_path", [SchemaName, "pg_temp"], "r"),
            new AlterOwner(Long, app, "r"),
            new RenameObject(View, "v,w 2", "r"),
            new AlterColumnType(Table, ColumnName, IntegerType.BigInt, "r"),
            new AlterSequence(Other, SequenceChange.AsBigInt, "r"),
            new AlterSequence(Seq, SequenceChange.NoMaxValue, "r"));

        Assert.Equal($"search_path={SqlNames.Ident(SchemaName)}, pg_temp",
            await world.ScalarAsync<string>("SELECT proconfig[1] FROM pg_proc WHERE oid = $1::regprocedure", SqlWriter.Name(FuncSignature)));
        Assert.Equal(SqlNames.Ident(app), await world.ScalarAsync<string>("SELECT relowner::regrole::text FROM pg_class WHERE oid = $1::regclass", SqlWriter.Name(Long)));
        Assert.Equal(1L, await world.ScalarAsync<long>("SELECT count(*) FROM pg_class WHERE relname = 'v,w 2'"));
        Assert.Equal("bigint", await world.ScalarAsync<string>(
            "SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = $1::regclass AND attname = $2", SqlWriter.Name(Table), ColumnName));
        Assert.Equal("bigint", await world.ScalarAsync<string>("SELECT format_type(seqtypid, NULL) FROM pg_sequence WHERE seqrelid = $1::regclass", SqlWriter.Name(Other)));
        Assert.Equal(2147483647L, await world.ScalarAsync<long>("SELECT seqmax FROM pg_sequence WHERE seqrelid = $1::regclass", SqlWriter.Name(Seq)));

    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task Row_level_security_and_a_policy(int major)
    {
        var (world, app, _, _) = await CreateAsync(major, nameof(Row_level_security_and_a_policy));
        await using var _ = world;
        await world.W.SqlAsync($"INSERT INTO {SqlWriter.Name(Table)} ({SqlNames.Ident(ColumnName)}, note) VALUES (1, 'mine'), (2, 'theirs')");

        await world.ApplyAsync(
            new GrantPrivileges(Privilege.Usage, Schema, app, "r"),
            new GrantPrivileges(Privilege.Select, Table, app, "r"),
            new SetRowLevelSecurity(Table, true, "r"),
            new CreatePolicy("mine only", Table, PolicyCommand.Select, [app], "note = 'mine'", null, "r"));

        Assert.Equal(1L, await world.ScalarAsync<long>("SELECT count(*) FROM pg_policy WHERE polrelid = $1::regclass AND polname = 'mine only'", SqlWriter.Name(Table)));
        await using var conn = await world.W.OpenAsAsync(app);
        Assert.Equal(1L, (long)(await new NpgsqlCommand($"SELECT count(*) FROM {SqlWriter.Name(Table)}", conn).ExecuteScalarAsync())!);
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task Large_objects_are_named_by_their_oid(int major)
    {
        var (world, app, _, _) = await CreateAsync(major, nameof(Large_objects_are_named_by_their_oid));
        await using var _ = world;
        var oid = await world.ScalarAsync<long>("SELECT lo_create(0)::bigint");
        try
        {
            await world.ApplyAsync(new GrantPrivileges(Privilege.Select | Privilege.Update, SqlObject.Bare(ObjectKind.LargeObject, oid.ToString(System.Globalization.CultureInfo.InvariantCulture)), app, "r"));
            Assert.Equal("SELECT,UPDATE", await world.ScalarAsync<string>(
                "SELECT string_agg(e.privilege_type, ',' ORDER BY e.privilege_type) FROM pg_largeobject_metadata m, aclexplode(m.lomacl) e WHERE m.oid = $1::oid AND e.grantee = $2::regrole",
                oid, SqlNames.Ident(app)));
        }
        finally
        {
            await world.W.SqlAsync($"SELECT lo_unlink({oid})");
        }
    }
}
