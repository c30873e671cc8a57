using System.Text.Json;
using Pgrant.Core.Access;
using Pgrant.Core.Acl;
using Pgrant.Core.Catalog;
using Pgrant.Core.Diagnosis;
using Pgrant.Postgres.Catalog;

namespace Pgrant.IntegrationTests.Catalog;

/// <summary>
/// A scoped read (<see cref="CatalogReader.ReadAsync(NpgsqlConnection, CatalogScope?, CancellationToken)"/>)
/// against the whole one on <see cref="CatalogWorld"/>: every object in scope is the same record, what
/// the scope leads to comes along, and explain / who-can answer exactly as on the whole catalog.
/// </summary>
[Collection(CatalogClusters.Collection)]
public sealed class ScopedReadTests(CatalogClusters clusters)
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false };

    private async Task<(CatalogSnapshot Full, CatalogSnapshot Scoped)> ReadAsync(int major, CatalogScope scope)
    {
        await using var conn = await clusters.OpenAsync(major, CatalogWorld.Database);
        var full = await CatalogReader.ReadAsync(conn);
        var scoped = await CatalogReader.ReadAsync(conn, scope);
        return (full, scoped);
    }

    private static CatalogScope Relations(params ScopeName[] names) => new([.. names], [], []);

    // Every field, arrays element by element (records compare ImmutableArrays by reference).
    private static string Acl(AclList a) => $"{a.IsDefault}[{string.Join(",", a.Entries)}]";
    private static string Describe(Column c) => $"{c with { Acl = AclList.Empty }}{Acl(c.Acl)}";
    private static string Describe(Relation r) =>
        $"{r.Oid}|{r.Schema}|{r.Name}|{r.Kind}|{r.Owner}|{Acl(r.Acl)}|{r.RowSecurity}|{r.ForceRowSecurity}|{r.SecurityInvoker}|" +
        $"{string.Join(";", r.Columns.Select(Describe))}|{string.Join(",", r.ViewReferences)}|" +
        string.Join(";", r.Policies.Select(p => $"{p.Name},{p.Command},{p.Permissive},{string.Join(",", p.Roles)}"));
    private static string Describe(Sequence s) => $"{s with { UsedByDefaults = [] }}|{string.Join(",", s.UsedByDefaults)}";
    private static string Describe(Function f) => $"{f with { Config = [], Acl = AclList.Empty }}|{string.Join(",", f.Config)}|{Acl(f.Acl)}";
    private static string Describe(TypeInfo t) => $"{t with { Acl = AclList.Empty }}|{Acl(t.Acl)}";

    private static HashSet<string> Names(CatalogSnapshot s) =>
        [.. s.Relations.Select(r => s.SchemaName(r.Schema) + "." + r.Name)];

    /// <summary>Every relation, sequence, routine and type of the scoped snapshot is exactly the full snapshot's.</summary>
    private static void AssertSubsetOfFull(CatalogSnapshot full, CatalogSnapshot scoped)
    {
        foreach (var r in scoped.Relations) Assert.Equal(Describe(full.RelationByOid(r.Oid)!), Describe(r));
        foreach (var s in scoped.Sequences) Assert.Equal(Describe(full.SequenceByOid(s.Oid)!), Describe(s));
        foreach (var f in scoped.Functions) Assert.Equal(Describe(full.FunctionByOid(f.Oid)!), Describe(f));
        // Array types and tables' row types come only with a scope (a whole read leaves them out): an array with its element.
        foreach (var t in scoped.Types)
        {
            if (t.ElementType != 0) Assert.NotNull(scoped.TypeByOid(t.ElementType));
            else if (t.RowTypeOf == 0) Assert.Equal(Describe(full.TypeByOid(t.Oid)! with { ArrayType = t.ArrayType }), Describe(t));
        }
        // Always whole.
        Assert.Equal(full.Roles.AsEnumerable(), scoped.Roles.AsEnumerable());
        Assert.Equal(full.Memberships.AsEnumerable(), scoped.Memberships.AsEnumerable());
        Assert.Equal(full.Schemas.Select(s => $"{s.Oid}{s.Name}{s.Owner}{Acl(s.Acl)}"), scoped.Schemas.Select(s => $"{s.Oid}{s.Name}{s.Owner}{Acl(s.Acl)}"));
        Assert.Equal(full.Databases.Select(d => d.Oid), scoped.Databases.Select(d => d.Oid));
        Assert.Equal(full.Languages.Select(l => l.Oid), scoped.Languages.Select(l => l.Oid));
        Assert.Equal(full.DefaultAcls.Select(d => $"{d.Role}{d.Schema}{d.ObjectType}{Acl(d.Acl)}"), scoped.DefaultAcls.Select(d => $"{d.Role}{d.Schema}{d.ObjectType}{Acl(d.Acl)}"));
        // Same decisions for every role on every object in scope.
        var fullAccess = new AccessEvaluator(full);
        var scopedAccess = new AccessEvaluator(scoped);
        foreach (var role in full.Roles)
        {
            foreach (var r in scoped.Relations)
                foreach (var p in Privileges.Split(Privileges.All(r.Kind, full.Version.Major)))
                    Assert.Equal(fullAccess.Decide(role.Oid, full.RelationByOid(r.Oid)!, p).Allowed, scopedAccess.Decide(role.Oid, r, p).Allowed);
            foreach (var f in scoped.Functions)
                Assert.Equal(fullAccess.Decide(role.Oid, full.FunctionByOid(f.Oid)!, Privilege.Execute).Allowed, scopedAccess.Decide(role.Oid, f, Privilege.Execute).Allowed);
        }
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task A_view_brings_its_base_relations_transitively(int major)
    {
        var (full, scoped) = await ReadAsync(major, Relations(new ScopeName(null, "v_count")));
        Assert.True(scoped.IsScoped);
        Assert.False(full.IsScoped);
        // v_count reads v_definer and parted; v_definer reads descriptions; descriptions' serial and its ref DEFAULT
        // bring descriptions_id_seq and shared_seq, and shared_seq every table that calls it (items).
        Assert.Equal(["app.descriptions", "app.descriptions_id_seq", "app.items", "app.parted", "app.shared_seq", "app.v_count", "app.v_definer"],
            Sorted([.. Names(scoped)]));
        Assert.Empty(scoped.Functions);
        Assert.Empty(scoped.Types);
        AssertSubsetOfFull(full, scoped);
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task A_table_brings_its_sequences_and_a_sequence_all_its_tables(int major)
    {
        var (full, scoped) = await ReadAsync(major, Relations(new ScopeName("app", "items")));
        // items: its identity sequence, shared_seq its code column's DEFAULT calls, and descriptions, which calls shared_seq too.
        var identity = full.Sequences.Single(s => s.IsIdentity && s.OwnedBy?.Relation == Rel(full, "items").Oid);
        Assert.Equal(Sorted(["app.descriptions", "app.items", "app." + full.RelationByOid(identity.Oid)!.Name, "app.shared_seq"]), Sorted([.. Names(scoped)]));
        AssertSubsetOfFull(full, scoped);

        var (full2, bySequence) = await ReadAsync(major, Relations(new ScopeName(null, "shared_seq")));
        var seq = bySequence.Sequences.Single();
        Assert.Equal(Describe(full2.SequenceByOid(seq.Oid)!), Describe(seq));
        Assert.All(seq.UsedByDefaults, u => Assert.NotNull(bySequence.RelationByOid(u.Relation)));
        Assert.Contains("app.items", Names(bySequence));
        AssertSubsetOfFull(full2, bySequence);
    }

    private static Relation Rel(CatalogSnapshot s, string name) => s.Relations.Single(r => r.Name == name && s.SchemaName(r.Schema) == "app");
    private static string[] Sorted(string[] a) => [.. a.Order(StringComparer.Ordinal)];

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task Names_with_quotes_commas_and_unicode_arrive_as_parameters(int major)
    {
        var (full, scoped) = await ReadAsync(major, new CatalogScope(
            [new ScopeName(CatalogWorld.WeirdSchema, CatalogWorld.WeirdTable), new ScopeName(null, CatalogWorld.UnicodeTable), new ScopeName("app", "no_such_table"),
             new ScopeName("public", "items")],
            [new ScopeName(null, "definer_fn"), new ScopeName("app", "agg")],
            [new ScopeName("app", "mood"), new ScopeName(null, "positive")]));
        var unicodeSeq = full.RelationByOid(full.Sequences.Single(s => s.OwnedBy?.Relation == full.Relations.Single(r => r.Name == CatalogWorld.UnicodeTable).Oid).Oid)!;
        Assert.Equal(Sorted([$"{CatalogWorld.WeirdSchema}.{CatalogWorld.WeirdTable}", $"{CatalogWorld.UnicodeSchema}.{CatalogWorld.UnicodeTable}", $"{CatalogWorld.UnicodeSchema}.{unicodeSeq.Name}"]),
            Sorted([.. Names(scoped)]));
        Assert.Equal(["agg", "definer_fn"], scoped.Functions.Select(f => f.Name).Order(StringComparer.Ordinal));
        // The named types, and the array type of each (issue 9: `mood[]` is found through it).
        Assert.Equal(["mood", "positive"], scoped.Types.Where(t => t.ElementType == 0).Select(t => t.Name).Order(StringComparer.Ordinal));
        Assert.All(scoped.Types.Where(t => t.ElementType != 0), a => Assert.Equal(a.Oid, scoped.TypeByOid(a.ElementType)!.ArrayType));
        AssertSubsetOfFull(full, scoped);
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task An_empty_scope_reads_only_what_is_always_whole_and_an_audit_refuses_it(int major)
    {
        var (full, scoped) = await ReadAsync(major, CatalogScope.None);
        Assert.Empty(scoped.Relations);
        Assert.Empty(scoped.Sequences);
        Assert.Empty(scoped.Functions);
        Assert.Empty(scoped.Types);
        AssertSubsetOfFull(full, scoped);
        var e = Assert.Throws<ArgumentException>(() => new AuditContext(scoped));
        Assert.StartsWith("an audit needs the whole catalog", e.Message, StringComparison.Ordinal);
        Assert.Same(full, new AuditContext(full).Snapshot);
    }

    public static TheoryData<int, string, string?> Errors()
    {
        var data = new TheoryData<int, string, string?>();
        foreach (var major in TestVersions.Majors)
        {
            data.Add(major, "ERROR:  permission denied for sequence shared_seq", null);
            data.Add(major, "ERROR:  permission denied for table items", "INSERT INTO app.items (note) VALUES ('x') RETURNING id");
            data.Add(major, "ERROR:  permission denied for view v_count", null);
            data.Add(major, "ERROR:  permission denied for table descriptions", "UPDATE descriptions SET price = 1");
            data.Add(major, "ERROR:  permission denied for function definer_fn", null);
            data.Add(major, "ERROR:  permission denied for type mood", null);
            data.Add(major, "ERROR:  permission denied for schema app", null);
            data.Add(major, "ERROR:  must be owner of table items", null);
            data.Add(major, "FATAL:  permission denied for database \"world\"\nDETAIL:  User does not have CONNECT privilege.", null);
        }
        return data;
    }

    [Theory, MemberData(nameof(Errors))]
    public async Task Explain_on_its_scope_answers_as_on_the_whole_catalog(int major, string message, string? statement)
    {
        var error = PermissionErrorParser.Parse(message);
        var (full, scoped) = await ReadAsync(major, ExplainScope.For(error, statement));
        foreach (var roleName in new[] { "plain_reader", "sdc", "app_rw" })
        {
            var expected = new Explainer(full, new AccessEvaluator(full)).Explain(error, full.RoleByName(roleName)!, statement);
            var actual = new Explainer(scoped, new AccessEvaluator(scoped)).Explain(error, scoped.RoleByName(roleName)!, statement);
            Assert.Equal(JsonSerializer.Serialize(expected, Json), JsonSerializer.Serialize(actual, Json));
        }
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task Who_can_and_can_on_their_scope_answer_as_on_the_whole_catalog(int major)
    {
        foreach (var (privilege, obj, kind) in new (string, string, string?)[]
                 {
                     ("INSERT", "app.items", null), ("SELECT", "v_definer", null), ("UPDATE", "descriptions(price)", null),
                     ("USAGE", "shared_seq", null), ("nextval", "app.shared_seq", null), ("EXECUTE", "definer_fn(integer, text)", null),
                     ("USAGE", "mood", "type"), ("USAGE", "app", null), ("CONNECT", "world", null), ("SELECT", "mv", "materialized view"),
                 })
        {
            var (full, scoped) = await ReadAsync(major, QuestionInput.Scope(obj, kind));
            var (fullTarget, fullRequest) = QuestionInput.Read(full, privilege, obj, kind);
            var (scopedTarget, scopedRequest) = QuestionInput.Read(scoped, privilege, obj, kind);
            var expected = new AccessQuestions(new AccessEvaluator(full)).WhoCan(fullTarget, fullRequest);
            var actual = new AccessQuestions(new AccessEvaluator(scoped)).WhoCan(scopedTarget, scopedRequest);
            Assert.Equal(JsonSerializer.Serialize(expected, Json), JsonSerializer.Serialize(actual, Json));
            Assert.NotEmpty(actual.Roles);
            foreach (var role in full.Roles)
                Assert.Equal(JsonSerializer.Serialize(new AccessQuestions(new AccessEvaluator(full)).Can(role.Oid, fullTarget, fullRequest), Json),
                    JsonSerializer.Serialize(new AccessQuestions(new AccessEvaluator(scoped)).Can(role.Oid, scopedTarget, scopedRequest), Json));
        }
    }
}
