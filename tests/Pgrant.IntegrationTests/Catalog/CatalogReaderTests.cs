using Pgrant.Core.Acl;
using Pgrant.Core.Catalog;
using Pgrant.Postgres.Catalog;

namespace Pgrant.IntegrationTests.Catalog;

/// <summary>Reads <see cref="CatalogWorld"/> with <see cref="CatalogReader"/> and checks the snapshot exactly against the server.</summary>
[Collection(CatalogClusters.Collection)]
public sealed class CatalogReaderTests(CatalogClusters clusters)
{
    private async Task<CatalogSnapshot> ReadWorldAsync(int major)
    {
        await using var conn = await clusters.OpenAsync(major, CatalogWorld.Database);
        return await CatalogReader.ReadAsync(conn);
    }

    private async Task<T> ScalarAsync<T>(int major, string sql, string database = CatalogWorld.Database)
    {
        await using var conn = await clusters.OpenAsync(major, database);
        return (T)(await new NpgsqlCommand(sql, conn).ExecuteScalarAsync())!;
    }

    private static Relation Rel(CatalogSnapshot s, string schema, string name) =>
        s.Relations.Single(r => r.Name == name && s.SchemaName(r.Schema) == schema);

    private static uint RoleOid(CatalogSnapshot s, string name) => s.RoleByName(name)!.Oid;

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task Header_reports_version_database_user_and_search_path(int major)
    {
        var s = await ReadWorldAsync(major);
        Assert.Equal(int.Parse(await ScalarAsync<string>(major, "SHOW server_version_num")), s.Version.Number);
        Assert.Equal(major, s.Version.Major);
        Assert.Equal(CatalogWorld.Database, s.CurrentDatabase);
        Assert.Equal("postgres", s.CurrentUser);
        Assert.Equal(await ScalarAsync<string>(major, "SHOW search_path"), s.SearchPath);
        Assert.Empty(s.Unreadable);
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task Every_acl_matches_the_servers_aclexplode_of_acldefault(int major)
    {
        var s = await ReadWorldAsync(major);
        await using var conn = await clusters.OpenAsync(major, CatalogWorld.Database);
        var (expected, actual, expectedNull, actualNull) = await AclOracle.CompareAsync(conn, s);
        Assert.Equal(expected, actual);
        Assert.Equal(expectedNull, actualNull);
        Assert.True(expected.Count > 500, $"only {expected.Count} ACL entries compared");
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task Roles_and_memberships_match_pg_roles_and_pg_auth_members(int major)
    {
        var s = await ReadWorldAsync(major);
        await using var conn = await clusters.OpenAsync(major, CatalogWorld.Database);
        var expectedRoles = new List<Role>();
        await using (var r = await new NpgsqlCommand(
            "SELECT oid, rolname, rolsuper, rolcanlogin, rolinherit, rolcreaterole, rolcreatedb, rolbypassrls FROM pg_roles ORDER BY oid", conn).ExecuteReaderAsync())
            while (await r.ReadAsync())
                expectedRoles.Add(new Role(r.GetFieldValue<uint>(0), r.GetString(1), r.GetBoolean(2), r.GetBoolean(3), r.GetBoolean(4),
                    r.GetBoolean(5), r.GetBoolean(6), r.GetBoolean(7), r.GetString(1).StartsWith("pg_") && r.GetFieldValue<uint>(0) < 16384));
        Assert.Equal(expectedRoles, s.Roles.OrderBy(r => r.Oid));
        // pg_read_all_data arrived in 14; pg_monitor exists on every supported version.
        Assert.True(s.RoleByName(major >= 14 ? "pg_read_all_data" : "pg_monitor")!.IsPredefined);
        Assert.False(s.RoleByName("sdc")!.Inherit);
        Assert.False(s.RoleByName("postgres")!.IsPredefined);
        foreach (var name in new[] { CatalogWorld.WeirdRole, CatalogWorld.UnicodeRole, CatalogWorld.ReservedRole, CatalogWorld.LongRole })
            Assert.NotNull(s.RoleByName(name));

        uint postgres = RoleOid(s, "postgres"), appRw = RoleOid(s, "app_rw"), appOwner = RoleOid(s, "app_owner");
        bool? v16 = major >= 16 ? true : null;
        var expected = new[]
        {
            new Membership(appRw, RoleOid(s, "sdc"), postgres, false, major >= 16 ? false : null, v16),
            new Membership(appOwner, appRw, postgres, true, v16, v16),
            new Membership(appRw, RoleOid(s, "plain_reader"), postgres, false, major >= 16 ? false : null, major >= 16 ? false : null),
        };
        var actual = s.Memberships.Where(m => m.Group == appRw || m.Group == appOwner);
        Assert.Equal(expected.OrderBy(m => m.Group).ThenBy(m => m.Member), actual.OrderBy(m => m.Group).ThenBy(m => m.Member));
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task Relations_of_every_kind_with_rls_and_security_invoker(int major)
    {
        var s = await ReadWorldAsync(major);
        var app = s.Schemas.Single(x => x.Name == "app");
        Assert.False(app.IsSystem);
        Assert.True(s.Schemas.Single(x => x.Name == "pg_catalog").IsSystem);
        Assert.True(s.Schemas.Single(x => x.Name == "information_schema").IsSystem);
        Assert.DoesNotContain(s.Schemas, x => x.Name == "pg_toast");
        var kinds = s.Relations.Where(r => r.Schema == app.Oid).Select(r => (r.Name, r.Kind)).OrderBy(x => x.Name, StringComparer.Ordinal);
        Assert.Equal(new[]
        {
            ("always_id", ObjectKind.Table), ("always_id_id_seq", ObjectKind.Sequence), ("descriptions", ObjectKind.Table),
            ("descriptions_id_seq", ObjectKind.Sequence), ("items", ObjectKind.Table), ("items_id_seq", ObjectKind.Sequence),
            ("mv", ObjectKind.MaterializedView), ("never_called", ObjectKind.Sequence), ("parted", ObjectKind.PartitionedTable),
            ("parted_1", ObjectKind.Table), ("remote", ObjectKind.ForeignTable), ("shared_seq", ObjectKind.Sequence),
            ("v_count", ObjectKind.View), ("v_definer", ObjectKind.View), ("v_invoker", ObjectKind.View),
        }, kinds);
        var items = Rel(s, "app", "items");
        Assert.Equal((true, true), (items.RowSecurity, items.ForceRowSecurity));
        var descriptions = Rel(s, "app", "descriptions");
        Assert.Equal((true, false), (descriptions.RowSecurity, descriptions.ForceRowSecurity));
        // security_invoker exists from 15 on; before, the world's v_invoker is an ordinary view.
        Assert.Equal(major >= 15, Rel(s, "app", "v_invoker").SecurityInvoker);
        Assert.False(Rel(s, "app", "v_definer").SecurityInvoker);
        Assert.All(s.Relations.Where(r => r.Kind == ObjectKind.Sequence), r => Assert.Empty(r.Columns));
        Assert.Equal(RoleOid(s, "app_owner"), Rel(s, "app", "remote").Owner);
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task Views_know_what_they_read_and_tables_their_policies(int major)
    {
        var s = await ReadWorldAsync(major);
        uint desc = Rel(s, "app", "descriptions").Oid, items = Rel(s, "app", "items").Oid;
        uint definer = Rel(s, "app", "v_definer").Oid, parted = Rel(s, "app", "parted").Oid;
        // Named columns only; a relation none of whose columns is named (count(*)) counts as column 0.
        Assert.Equal([new ColumnRef(desc, 1), new ColumnRef(desc, 3)], Rel(s, "app", "v_definer").ViewReferences.AsEnumerable());
        Assert.Equal([desc], Rel(s, "app", "v_definer").ViewBaseRelations);
        Assert.Equal([new ColumnRef(items, 1)], Rel(s, "app", "v_invoker").ViewReferences.AsEnumerable());
        Assert.Equal([new ColumnRef(desc, 1)], Rel(s, "app", "mv").ViewReferences.AsEnumerable());
        Assert.Equal(new[] { new ColumnRef(definer, 0), new ColumnRef(parted, 0) }.OrderBy(r => r.Relation),
            Rel(s, "app", "v_count").ViewReferences.AsEnumerable());
        Assert.Empty(Rel(s, "app", "descriptions").ViewReferences);
        // System views are read too: pg_user reads pg_shadow.
        var pgCatalog = s.Schemas.Single(x => x.Name == "pg_catalog").Oid;
        var pgShadow = s.Relations.Single(r => r.Schema == pgCatalog && r.Name == "pg_shadow").Oid;
        Assert.Equal([pgShadow], s.Relations.Single(r => r.Schema == pgCatalog && r.Name == "pg_user").ViewBaseRelations);

        var policies = Rel(s, "app", "descriptions").Policies;
        Assert.Equal(2, policies.Length);
        static (string, char, bool, string) Shape(Policy p) => (p.Name, p.Command, p.Permissive, string.Join(",", p.Roles));
        Assert.Equal(("no zero", 'w', false, "0"), Shape(policies[0]));
        Assert.Equal(("readers", 'r', true, string.Join(",", new[] { RoleOid(s, "app_rw"), RoleOid(s, "sdc") }.Order())), Shape(policies[1]));
        Assert.Empty(Rel(s, "app", "items").Policies);
        Assert.Equal(2, s.Relations.Sum(r => r.Policies.Length));
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task Columns_carry_type_not_null_default_identity_generated_and_column_acl(int major)
    {
        var s = await ReadWorldAsync(major);
        var d = Rel(s, "app", "descriptions");
        var noAcl = Privileges.Default(ObjectKind.Column, 0, major);
        uint sdc = RoleOid(s, "sdc"), owner = RoleOid(s, "app_owner");
        AclList Col(Privilege p) => new([new AclEntry(sdc, owner, p, Privilege.None)], false);
        Assert.Equal(new Column[]
        {
            new(1, "id", "integer", true, true, '\0', '\0', noAcl),
            new(2, "product_id", "integer", true, false, '\0', '\0', noAcl),
            new(3, "product_name", "character varying(20)", false, false, '\0', '\0', Col(Privilege.Select | Privilege.Update)),
            new(4, "price", "numeric(10,2)", false, true, '\0', '\0', Col(Privilege.Update)),
            new(5, "ref", "bigint", false, true, '\0', '\0', noAcl),
            new(6, "total", "numeric", false, true, '\0', 's', noAcl),
        }, d.Columns, new ColumnComparer());
        Assert.Equal(new[] { ('d', "id"), ('\0', "code"), ('\0', "note") }, Rel(s, "app", "items").Columns.Select(c => (c.Identity, c.Name)));
        // atthasdef: an identity column has no pg_attrdef row (HasDefault still counts it), a DEFAULT does.
        Assert.Equal(new[] { (false, true), (true, true), (false, false) }, Rel(s, "app", "items").Columns.Select(c => (c.HasDefaultExpression, c.HasDefault)));
        Assert.Equal('a', Rel(s, "app", "always_id").Columns.Single().Identity);
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task Sequences_know_owner_column_identity_default_users_and_last_value(int major)
    {
        var s = await ReadWorldAsync(major);
        uint desc = Rel(s, "app", "descriptions").Oid, items = Rel(s, "app", "items").Oid, always = Rel(s, "app", "always_id").Oid;
        Sequence Seq(string name) => s.SequenceByOid(Rel(s, "app", name).Oid)!;
        Assert.Equal(s.Relations.Count(r => r.Kind == ObjectKind.Sequence), s.Sequences.Length);

        var serial = Seq("descriptions_id_seq");
        Assert.Equal(("integer", 1L, 1L, 1L, (long)int.MaxValue, false), (serial.DataType, serial.Start, serial.Increment, serial.Min, serial.Max, serial.Cycle));
        Assert.Equal((3L, true, true), (serial.LastValue, serial.IsCalled, serial.LastValueRead));
        Assert.Equal((new ColumnRef(desc, 1), false), (serial.OwnedBy, serial.IsIdentity));
        Assert.Equal([new ColumnRef(desc, 1)], serial.UsedByDefaults.AsEnumerable());

        var shared = Seq("shared_seq");
        Assert.Equal(("integer", 100L, 5L, 1L, 100000L, true), (shared.DataType, shared.Start, shared.Increment, shared.Min, shared.Max, shared.Cycle));
        Assert.Equal((100L, true), (shared.LastValue, shared.IsCalled));
        Assert.Equal((new ColumnRef(items, 2), false), (shared.OwnedBy, shared.IsIdentity));
        Assert.Equal([new ColumnRef(desc, 5), new ColumnRef(items, 2)], shared.UsedByDefaults.OrderBy(c => c.Relation == desc ? 0 : 1));

        var identity = Seq("items_id_seq");
        Assert.Equal(("bigint", new ColumnRef(items, 1), true), (identity.DataType, identity.OwnedBy, identity.IsIdentity));
        Assert.Equal(((long?)null, false, true), (identity.LastValue, identity.IsCalled, identity.LastValueRead));
        Assert.Empty(identity.UsedByDefaults);
        Assert.Equal((new ColumnRef(always, 1), true), (Seq("always_id_id_seq").OwnedBy, Seq("always_id_id_seq").IsIdentity));

        var free = Seq("never_called");
        Assert.Equal(((ColumnRef?)null, false, (long?)null, false, true),
            (free.OwnedBy, free.IsIdentity, free.LastValue, free.IsCalled, free.LastValueRead));
        Assert.Equal(new AclList([new AclEntry(RoleOid(s, "app_owner"), RoleOid(s, "app_owner"), Privilege.Usage | Privilege.Select | Privilege.Update, Privilege.None)], true),
            Rel(s, "app", "never_called").Acl, new AclListComparer());
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task Null_empty_and_revoked_owner_acls_stay_distinct(int major)
    {
        var s = await ReadWorldAsync(major);
        var owner = RoleOid(s, "app_owner");
        var empty = Rel(s, "app", "always_id").Acl;
        Assert.False(empty.IsDefault);
        Assert.Empty(empty.Entries);
        var parted = Rel(s, "app", "parted").Acl;
        Assert.False(parted.IsDefault);
        Assert.Equal([new AclEntry(owner, owner, Privileges.All(ObjectKind.Table, major) & ~Privilege.Update, Privilege.None)], parted.Entries.AsEnumerable());
        var mv = Rel(s, "app", "mv").Acl;
        Assert.Contains(new AclEntry(RoleOid(s, CatalogWorld.UnicodeRole), owner, Privilege.Select, Privilege.None), mv.Entries);
        Assert.True(Rel(s, "app", "remote").Acl.IsDefault);
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task Functions_types_languages_and_default_acls(int major)
    {
        var s = await ReadWorldAsync(major);
        var app = s.Schemas.Single(x => x.Name == "app").Oid;
        var fn = s.Functions.Single(f => f.Schema == app && f.Name == "definer_fn");
        Assert.Equal((ObjectKind.Function, "a integer, b text", true, "sql"), (fn.Kind, fn.IdentityArguments, fn.SecurityDefiner, fn.Language));
        Assert.Equal(["search_path=app, pg_temp", "work_mem=64kB"], fn.Config.AsEnumerable());
        Assert.Equal([new AclEntry(RoleOid(s, "app_owner"), RoleOid(s, "app_owner"), Privilege.Execute, Privilege.None),
                      new AclEntry(RoleOid(s, CatalogWorld.ReservedRole), RoleOid(s, "app_owner"), Privilege.Execute, Privilege.None)], fn.Acl.Entries.AsEnumerable());
        var proc = s.Functions.Single(f => f.Schema == app && f.Name == "proc");
        Assert.Equal((ObjectKind.Procedure, "", false, "plpgsql"), (proc.Kind, proc.IdentityArguments, proc.SecurityDefiner, proc.Language));
        Assert.Empty(proc.Config);
        Assert.Equal((ObjectKind.Aggregate, "integer"), s.Functions.Where(f => f.Schema == app && f.Name == "agg").Select(f => (f.Kind, f.IdentityArguments)).Single());
        var pgCatalog = s.Schemas.Single(x => x.Name == "pg_catalog").Oid;
        Assert.Contains(s.Functions, f => f.Schema == pgCatalog && f.Name == "pg_read_file");
        Assert.DoesNotContain(s.Functions, f => f.Name == "lower");

        var types = s.Types.Where(t => t.Schema == app).Select(t => (t.Name, t.Kind)).OrderBy(t => t.Name, StringComparer.Ordinal);
        // A range type brings its multirange type from 14 on.
        Assert.Equal(new[]
        {
            ("floatmultirange", ObjectKind.Type), ("floatrange", ObjectKind.Type), ("mood", ObjectKind.Type),
            ("pair", ObjectKind.Type), ("positive", ObjectKind.Domain),
        }.Where(t => major >= 14 || t.Item1 != "floatmultirange"), types);
        Assert.DoesNotContain(s.Types, t => s.SchemaName(t.Schema) is "pg_catalog" or "information_schema");

        var plpgsql = s.Languages.Single(l => l.Name == "plpgsql");
        Assert.Equal((true, false), (plpgsql.Trusted, plpgsql.Acl.IsDefault));
        Assert.Contains(new AclEntry(RoleOid(s, "sdc"), plpgsql.Owner, Privilege.Usage, Privilege.None), plpgsql.Acl.Entries);

        uint owner = RoleOid(s, "app_owner");
        var defaults = s.DefaultAcls.OrderBy(d => d.ObjectType).Select(d => (d.Role, d.Schema, d.ObjectType, string.Join(",", d.Acl.Entries)));
        Assert.Equal(new[]
        {
            (owner, 0u, 'S', string.Join(",", new[] { new AclEntry(owner, owner, Privilege.Usage | Privilege.Select | Privilege.Update, Privilege.None), new AclEntry(RoleOid(s, "sdc"), owner, Privilege.Usage, Privilege.None) })),
            (owner, 0u, 'f', new AclEntry(owner, owner, Privilege.Execute, Privilege.None).ToString()),
            (owner, app, 'r', new AclEntry(RoleOid(s, "app_rw"), owner, Privilege.Select, Privilege.None).ToString()),
        }, defaults);
        Assert.All(s.DefaultAcls, d => Assert.False(d.Acl.IsDefault));
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task Hostile_names_round_trip_exactly(int major)
    {
        var s = await ReadWorldAsync(major);
        var weird = Rel(s, CatalogWorld.WeirdSchema, CatalogWorld.WeirdTable);
        Assert.Equal([CatalogWorld.WeirdColumn, CatalogWorld.UnicodeColumn, "select"], weird.Columns.Select(c => c.Name));
        Assert.Equal([new AclEntry(RoleOid(s, CatalogWorld.WeirdRole), RoleOid(s, "postgres"), Privilege.Select, Privilege.Select)], weird.Columns[0].Acl.Entries.AsEnumerable());
        Assert.Contains(new AclEntry(RoleOid(s, CatalogWorld.UnicodeRole), RoleOid(s, "postgres"), Privilege.Usage, Privilege.None),
            s.Schemas.Single(x => x.Name == CatalogWorld.WeirdSchema).Acl.Entries);
        var unicode = Rel(s, CatalogWorld.UnicodeSchema, CatalogWorld.UnicodeTable);
        Assert.Equal("id", unicode.Columns.Single().Name);
        var longTable = Rel(s, CatalogWorld.ReservedSchema, CatalogWorld.LongName);
        Assert.Equal(63, System.Text.Encoding.UTF8.GetByteCount(longTable.Name));
        Assert.Equal(CatalogWorld.LongName, longTable.Columns.Single().Name);
        var all = Privileges.All(ObjectKind.Table, major);
        Assert.Contains(new AclEntry(RoleOid(s, CatalogWorld.LongRole), RoleOid(s, "postgres"), all, all), longTable.Acl.Entries);
        Assert.Contains(new AclEntry(RoleOid(s, CatalogWorld.WeirdRole), RoleOid(s, "app_owner"), Privilege.Insert, Privilege.None),
            Rel(s, "app", "v_definer").Acl.Entries);
    }

    private sealed class ColumnComparer : IEqualityComparer<Column>
    {
        public bool Equals(Column? x, Column? y) =>
            x!.Number == y!.Number && x.Name == y.Name && x.TypeName == y.TypeName && x.NotNull == y.NotNull
            && x.HasDefaultExpression == y.HasDefaultExpression && x.Identity == y.Identity && x.Generated == y.Generated
            && new AclListComparer().Equals(x.Acl, y.Acl);
        public int GetHashCode(Column obj) => obj.Number;
    }

    internal sealed class AclListComparer : IEqualityComparer<AclList>
    {
        public bool Equals(AclList? x, AclList? y) => x!.IsDefault == y!.IsDefault && x.Entries.SequenceEqual(y.Entries);
        public int GetHashCode(AclList obj) => obj.Entries.Length;
    }
}
