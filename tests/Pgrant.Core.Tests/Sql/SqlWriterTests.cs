using Pgrant.Core.Sql;

namespace Pgrant.Core.Tests.Sql;

/// <summary>Every statement value as the one writer writes it (the integration tests run each form on real servers).</summary>
public sealed class SqlWriterTests
{
    private static readonly SqlObject Table = new(ObjectKind.Table, "app", "Order Items");
    private static readonly SqlObject Seq = new(ObjectKind.Sequence, "app", "items_id_seq");

    private static string Text(SqlStatement s) => SqlWriter.Text(s);

    [Fact]
    public void Grants_list_privileges_in_the_servers_order_objects_and_grantees()
    {
        Assert.Equal("GRANT INSERT, SELECT ON TABLE app.\"Order Items\" TO app, PUBLIC;",
            Text(new GrantPrivileges(Privilege.Select | Privilege.Insert, [Table], ["app", Grantee.Public], "r")));
        Assert.Equal("GRANT USAGE ON SEQUENCE app.items_id_seq, app.b TO \"r b\" WITH GRANT OPTION;",
            Text(new GrantPrivileges(Privilege.Usage, [Seq, new SqlObject(ObjectKind.Sequence, "app", "b")], ["r b"], "r", WithGrantOption: true)));
        Assert.Equal("GRANT SELECT (\"a b\", id), UPDATE (\"a b\", id) ON TABLE app.\"Order Items\" TO app;",
            Text(new GrantPrivileges(Privilege.Select | Privilege.Update, [Table], ["app"], "r", Columns: ["a b", "id"])));
    }

    [Fact]
    public void A_grant_recorded_as_another_grantor_runs_under_set_role()
    {
        Assert.Equal(["SET ROLE \"Mid Level\";", "GRANT SELECT ON TABLE app.\"Order Items\" TO app;", "RESET ROLE;"],
            SqlWriter.Lines(new GrantPrivileges(Privilege.Select, [Table], ["app"], "r", Grantor: "Mid Level")).ToArray());
        Assert.Equal(["SET ROLE mid;", "REVOKE GRANT OPTION FOR UPDATE ON SEQUENCE app.items_id_seq FROM PUBLIC CASCADE;", "RESET ROLE;"],
            SqlWriter.Lines(new RevokePrivileges(Privilege.Update, [Seq], [Grantee.Public], "r", GrantOptionOnly: true, Cascade: true, Grantor: "mid")).ToArray());
    }

    [Fact]
    public void Keywords_follow_the_kind()
    {
        Assert.Equal("GRANT EXECUTE ON FUNCTION app.f(a integer, \"My Type\") TO app;",
            Text(new GrantPrivileges(Privilege.Execute, new SqlObject(ObjectKind.Function, "app", "f", "a integer, \"My Type\""), "app", "r")));
        Assert.Equal("GRANT EXECUTE ON PROCEDURE app.p() TO app;",
            Text(new GrantPrivileges(Privilege.Execute, new SqlObject(ObjectKind.Procedure, "app", "p", ""), "app", "r")));
        Assert.Equal("GRANT USAGE ON DOMAIN app.email TO app;", Text(new GrantPrivileges(Privilege.Usage, new SqlObject(ObjectKind.Domain, "app", "email"), "app", "r")));
        Assert.Equal("GRANT SELECT ON LARGE OBJECT 16401 TO app;", Text(new GrantPrivileges(Privilege.Select, SqlObject.Bare(ObjectKind.LargeObject, "16401"), "app", "r")));
        Assert.Equal("GRANT TEMPORARY, CONNECT ON DATABASE \"My DB\" TO app;",
            Text(new GrantPrivileges(Privilege.Connect | Privilege.Temporary, SqlObject.Bare(ObjectKind.Database, "My DB"), "app", "r")));
        Assert.Equal("ALTER MATERIALIZED VIEW app.mv OWNER TO \"New Owner\";", Text(new AlterOwner(new SqlObject(ObjectKind.MaterializedView, "app", "mv"), "New Owner", "r")));
        Assert.Equal("ALTER SERVER files RENAME TO files2;", Text(new RenameObject(SqlObject.Bare(ObjectKind.ForeignServer, "files"), "files2", "r")));
    }

    [Fact]
    public void Statements_that_cannot_be_written_are_refused_not_guessed()
    {
        Assert.Throws<ArgumentException>(() => Text(new GrantPrivileges(Privilege.None, [Table], ["app"], "r")));
        Assert.Throws<ArgumentException>(() => Text(new GrantPrivileges(Privilege.Select, [Table, Seq], ["app"], "r")));
        Assert.Throws<ArgumentException>(() => Text(new GrantPrivileges(Privilege.Select, [Table, Table], ["app"], "r", Columns: ["id"])));
        Assert.Throws<ArgumentException>(() => Text(new GrantPrivileges(Privilege.Select, SqlObject.Bare(ObjectKind.LargeObject, "1; DROP"), "app", "r")));
        Assert.Throws<ArgumentException>(() => Text(new GrantDefaultPrivileges("c", "app", DefaultObjectType.Schemas, Privilege.Usage, ["app"], "r")));
        Assert.Throws<ArgumentException>(() => Text(new GrantPrivileges(Privilege.Select, [Table], [], "r")));
    }

    [Fact]
    public void Role_memberships_use_the_16_option_syntax_only_when_an_option_asks_for_it()
    {
        Assert.Equal("GRANT owner TO app;", Text(new GrantRole("owner", "app", "r")));
        Assert.Equal("GRANT owner TO app WITH ADMIN OPTION GRANTED BY \"Admin\";", Text(new GrantRole("owner", "app", "r", new MembershipOptions(Admin: true), "Admin")));
        Assert.Equal("GRANT owner TO app WITH INHERIT FALSE, SET TRUE;", Text(new GrantRole("owner", "app", "r", new MembershipOptions(Inherit: false, Set: true))));
        Assert.Equal("GRANT owner TO app WITH ADMIN FALSE;", Text(new GrantRole("owner", "app", "r", new MembershipOptions(Admin: false))));
        Assert.Equal("REVOKE INHERIT OPTION FOR owner FROM app GRANTED BY x;", Text(new RevokeRole("owner", "app", "r", MembershipOption.Inherit, "x")));
        Assert.Equal("REVOKE owner FROM app CASCADE;", Text(new RevokeRole("owner", "app", "r", Cascade: true)));
    }

    [Fact]
    public void Default_privileges_name_the_creator_and_the_schema()
    {
        Assert.Equal("ALTER DEFAULT PRIVILEGES FOR ROLE migrator IN SCHEMA \"My App\" GRANT USAGE ON SEQUENCES TO app;",
            Text(new GrantDefaultPrivileges("migrator", "My App", DefaultObjectType.Sequences, Privilege.Usage, ["app"], "r")));
        Assert.Equal("ALTER DEFAULT PRIVILEGES FOR ROLE migrator REVOKE GRANT OPTION FOR EXECUTE ON FUNCTIONS FROM PUBLIC;",
            Text(new RevokeDefaultPrivileges("migrator", null, DefaultObjectType.Functions, Privilege.Execute, [Grantee.Public], "r", GrantOptionOnly: true)));
        Assert.Equal("ALTER DEFAULT PRIVILEGES FOR ROLE migrator GRANT SELECT ON LARGE OBJECTS TO app WITH GRANT OPTION;",
            Text(new GrantDefaultPrivileges("migrator", null, DefaultObjectType.LargeObjects, Privilege.Select, ["app"], "r", WithGrantOption: true)));
        foreach (var type in Enum.GetValues<DefaultObjectType>())
            Assert.Equal(type, SqlWriter.DefaultObjectTypeOf(SqlWriter.DefaultObjectCode(type)));
    }

    [Fact]
    public void Role_attributes_and_settings()
    {
        Assert.Equal("ALTER ROLE app NOSUPERUSER NOBYPASSRLS;", Text(new AlterRoleAttributes("app", new RoleAttributes(Superuser: false, BypassRls: false), "r")));
        Assert.Equal("CREATE ROLE \"App Owner\" NOINHERIT NOLOGIN CONNECTION LIMIT 3;",
            Text(new CreateRole("App Owner", "r", new RoleAttributes(Inherit: false, Login: false, ConnectionLimit: 3))));
        // search_path is a list of names: each written as an identifier, stored as the server quotes them.
        Assert.Equal("ALTER ROLE app IN DATABASE \"My DB\" SET search_path = app, \"$user\", \"We\"\"ird\";",
            Text(new SetRoleParameter("app", "My DB", "search_path", ["app", "$user", "We\"ird"], "r")));
        Assert.Equal("ALTER ROLE app SET statement_timeout = '5s';", Text(new SetRoleParameter("app", null, "statement_timeout", ["5s"], "r")));
        Assert.Equal("ALTER ROLE app RESET search_path;", Text(new SetRoleParameter("app", null, "search_path", null, "r")));
        Assert.Equal("ALTER FUNCTION app.f(integer) SET search_path = app, pg_temp;",
            Text(new SetRoutineParameter(new SqlObject(ObjectKind.Function, "app", "f", "integer"), "search_path", ["app", "pg_temp"], "r")));
    }

    [Fact]
    public void Serial_to_identity_is_one_unit_that_needs_a_transaction_and_names_the_aside_sequence_within_63_bytes()
    {
        var longName = new string('s', 62) + "é";   // 64 bytes: the aside name must be cut on a whole character
        var s = new SerialToIdentity(new SqlObject(ObjectKind.Table, "app", "t"), "id", new SqlObject(ObjectKind.Sequence, "app", longName),
            new SequenceSettings(1, 1, int.MaxValue, false), "r");
        var lines = SqlWriter.Lines(s);
        Assert.True(SqlWriter.NeedsTransaction(s));
        Assert.Equal(7, lines.Length);
        Assert.Equal($"ALTER SEQUENCE app.\"{longName}\" RENAME TO {new string('s', 59)}_old;", lines[3]);
        Assert.Equal(["BEGIN;", .. lines, "COMMIT;"], SqlWriter.Standalone(s).Split('\n'));
        Assert.False(SqlWriter.NeedsTransaction(new AlterSequence(Seq, SequenceChange.AsBigInt, "r")));
    }

    [Fact]
    public void Schema_changes_and_policies()
    {
        Assert.Equal("ALTER TABLE app.\"Order Items\" ALTER COLUMN id TYPE bigint;", Text(new AlterColumnType(Table, "id", IntegerType.BigInt, "r")));
        Assert.Equal("ALTER SEQUENCE app.items_id_seq NO MAXVALUE;", Text(new AlterSequence(Seq, SequenceChange.NoMaxValue, "r")));
        Assert.Equal("CREATE POLICY app_update ON app.\"Order Items\" FOR UPDATE TO app USING (true) WITH CHECK (owner = current_user);",
            Text(new CreatePolicy("app_update", Table, PolicyCommand.Update, ["app"], "true", "owner = current_user", "r")));
        Assert.Equal("ALTER TABLE app.\"Order Items\" DISABLE ROW LEVEL SECURITY;", Text(new SetRowLevelSecurity(Table, false, "r")));
    }

    [Fact]
    public void Statements_are_values_whose_reason_is_not_part_of_the_value()
    {
        var a = new GrantPrivileges(Privilege.Usage, Seq, "app", "first reason");
        var b = new GrantPrivileges(Privilege.Usage, new SqlObject(ObjectKind.Sequence, "app", "items_id_seq"), "app", "second reason");
        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual<SqlStatement>(a, a with { WithGrantOption = true });
        Assert.NotEqual<SqlStatement>(a, new RevokePrivileges(Privilege.Usage, [Seq], ["app"], "first reason"));
        Assert.Equal("GRANT USAGE ON SEQUENCE app.items_id_seq TO app;", a.ToString());
    }
}
