using Pgrant.Core.Access;
using Pgrant.Core.Catalog;

namespace Pgrant.Core.Tests.Access;

/// <summary>
/// Issue 9 §7: the objects has_*_privilege answers for beyond the named ones — system columns, large
/// objects, tables' row types and array types — decided like the server (the oracle test proves the same
/// rules on 13–18), and named the way a user types them.
/// </summary>
public sealed class ImplicitObjectsTests
{
    private sealed class World
    {
        public readonly SnapshotBuilder B;
        public readonly uint Owner, App, Other, Reader;
        public readonly Schema Schema;
        public readonly Relation Table, View;
        public readonly TypeInfo Mood, MoodArray, RowType, RowArray;
        public readonly LargeObject Blob;

        public World(int major = 16, bool loCompat = false)
        {
            B = new SnapshotBuilder(major).WithBootstrap();
            Owner = B.Role("owner");
            App = B.Role("app");
            Other = B.Role("other");
            Reader = B.Role("Reader \"x\"");
            B.Grant(App, Reader);
            B.Database("appdb", Owner);
            B.PublicSchema();
            Schema = B.Schema("My Schema", Owner, "{owner=UC/owner,=U/owner}");
            // SELECT on the table to other; a column grant on the system column tableoid to app.
            Table = B.Relation(Schema, "T.x", Owner, "{owner=arwdDxt/owner,other=r/owner}", ObjectKind.Table, ("id", null));
            Table = B.Update(Table, t => t with
            {
                SystemColumnGrants = [SystemColumns.Named("tableoid")! with { Acl = B.AclOf("{app=r*/owner}", ObjectKind.Column, Owner) }],
            });
            View = B.View(Schema, "v", Owner, "{owner=arwdDxt/owner,=r/owner}");
            // mood: USAGE revoked from PUBLIC, granted to app; its array has no ACL of its own (NULL = default).
            Mood = B.Type(Schema, "mood", Owner, "{owner=U/owner,app=U/owner}");
            MoodArray = B.AddType(new TypeInfo(B.NextOid(), Schema.Oid, "_mood", ObjectKind.Type, Owner, B.AclOf(null, ObjectKind.Type, Owner)) { ElementType = Mood.Oid });
            Mood = B.UpdateType(Mood, t => t with { ArrayType = MoodArray.Oid });
            // The table's row type: an ACL of its own (USAGE revoked from PUBLIC); its array follows it.
            RowType = B.AddType(new TypeInfo(B.NextOid(), Schema.Oid, "T.x", ObjectKind.Type, Owner, B.AclOf("{owner=U/owner}", ObjectKind.Type, Owner)) { RowTypeOf = Table.Oid });
            RowArray = B.AddType(new TypeInfo(B.NextOid(), Schema.Oid, "_T.x", ObjectKind.Type, Owner, B.AclOf(null, ObjectKind.Type, Owner)) { ElementType = RowType.Oid });
            RowType = B.UpdateType(RowType, t => t with { ArrayType = RowArray.Oid });
            Blob = B.LargeObject(70001, Owner, "{owner=rw/owner,app=r/owner}");
            B.LargeObject(70002, Owner);
            B.LargeObjectCompatPrivileges = loCompat;
            Snapshot = B.Build();
            Evaluator = new AccessEvaluator(Snapshot);
        }

        public CatalogSnapshot Snapshot { get; }
        public AccessEvaluator Evaluator { get; }
        public ObjectTarget Read(string privilege, string obj, string? kind = null) => QuestionInput.Read(Snapshot, privilege, obj, kind, "owner").Target;
    }

    [Fact]
    public void SystemColumn_ColumnGrantCounts_AndWithoutOneTheTableDecides()
    {
        var w = new World();
        var table = w.Snapshot.RelationByOid(w.Table.Oid)!;
        var tableoid = table.SystemColumn("tableoid")!;
        var ctid = table.SystemColumn("ctid")!;
        Assert.Equal(-6, tableoid.Number);
        Assert.True(tableoid.IsSystem);
        Assert.Empty(ctid.Acl.Entries);

        var viaColumn = w.Evaluator.DecideColumn(w.App, table, tableoid, Privilege.Select);
        Assert.True(viaColumn.Allowed);
        Assert.Equal(AccessLevel.Column, viaColumn.Level);
        Assert.True(viaColumn.Grantable);
        // The member inherits the column grant; the table's SELECT (other) reaches every system column.
        Assert.True(w.Evaluator.DecideColumn(w.Reader, table, tableoid, Privilege.Select).Allowed);
        Assert.True(w.Evaluator.DecideColumn(w.Other, table, ctid, Privilege.Select).Allowed);
        Assert.False(w.Evaluator.DecideColumn(w.App, table, ctid, Privilege.Select).Allowed);
        Assert.False(w.Evaluator.DecideColumn(w.App, table, tableoid, Privilege.Update).Allowed);
        // pg_read_all_data's SELECT on every table reaches its columns, system ones included.
        Assert.Equal(["Reader \"x\"", "app", "owner", "pg_read_all_data", "postgres"],
            new AccessQuestions(w.Evaluator).WhoCan(new ObjectTarget(table, tableoid), new PrivilegeRequest(Privilege.Select, null)).Roles.Where(r => r.Role != "other").Select(r => r.Role).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void SystemColumn_IsNamedAsTableColumn_DottedOrThreeParts_HostileNames()
    {
        var w = new World();
        Assert.Equal("tableoid", w.Read("SELECT", "\"My Schema\".\"T.x\"(tableoid)").Column!.Name);
        Assert.Equal("xmin", w.Read("SELECT", "\"My Schema\".\"T.x\".xmin").Column!.Name);
        Assert.Equal("ctid", w.Read("UPDATE", "\"My Schema\".\"T.x\".\"ctid\"", "column").Column!.Name);
        Assert.Equal("id", w.Read("SELECT", "\"My Schema\".\"T.x\".id").Column!.Name);
        // Not a system column: the name is case-sensitive, and a view has none.
        var e = Assert.Throws<PgrantException>(() => w.Read("SELECT", "\"My Schema\".\"T.x\".\"CTID\""));
        Assert.Contains("has no column \"CTID\"", e.Message, StringComparison.Ordinal);
        Assert.Throws<PgrantException>(() => w.Read("SELECT", "\"My Schema\".v.ctid"));
        Assert.Null(w.Snapshot.RelationByOid(w.View.Oid)!.SystemColumn("ctid"));
    }

    [Fact]
    public void SystemColumn_TableDotColumn_WhenTheTableIsOnThePath()
    {
        var b = new SnapshotBuilder(16).WithBootstrap();
        var owner = b.Role("owner");
        b.Database("appdb", owner);
        var pub = b.PublicSchema();
        b.Relation(pub, "orders", owner, null, ObjectKind.Table, ("id", null));
        var snapshot = b.Build();
        var target = QuestionInput.Read(snapshot, "SELECT", "orders.tableoid", null, "owner").Target;
        Assert.Equal("tableoid", target.Column!.Name);
        Assert.Equal("public.orders(tableoid)", target.Name(snapshot));
    }

    [Fact]
    public void ArrayType_IsJudgedByItsElement_AndFoundAsNameBracketsOrUnderscoreName()
    {
        var w = new World();
        var array = w.Snapshot.TypeByOid(w.MoodArray.Oid)!;
        // The array's own (default) ACL would give PUBLIC USAGE; the server asks the element, which does not.
        Assert.False(w.Evaluator.Decide(w.Other, array, Privilege.Usage).Allowed);
        var app = w.Evaluator.Decide(w.App, array, Privilege.Usage);
        Assert.True(app.Allowed);
        Assert.Equal(w.Mood.Oid, app.ObjectOid);
        Assert.Same(w.Snapshot.TypeByOid(w.Mood.Oid), w.Evaluator.AclSubject(array));

        Assert.Equal(w.MoodArray.Oid, w.Read("USAGE", "\"My Schema\".mood[]").Object.Oid);
        Assert.Equal(w.MoodArray.Oid, w.Read("USAGE", "\"My Schema\".\"mood\"[3][]", "type").Object.Oid);
        Assert.Equal(w.MoodArray.Oid, w.Read("USAGE", "\"My Schema\"._mood").Object.Oid);
    }

    [Fact]
    public void RowType_HasItsOwnAcl_AndItsArrayFollowsIt_ThePrivilegePicksTableOrType()
    {
        var w = new World();
        var row = w.Read("USAGE", "\"My Schema\".\"T.x\"");
        Assert.Equal(w.RowType.Oid, row.Object.Oid);
        Assert.False(w.Evaluator.Decide(w.App, row.Object, Privilege.Usage).Allowed);
        Assert.True(w.Evaluator.Decide(w.Owner, row.Object, Privilege.Usage).Allowed);
        var rowArray = w.Read("USAGE", "\"My Schema\".\"T.x\"[]");
        Assert.Equal(w.RowArray.Oid, rowArray.Object.Oid);
        Assert.False(w.Evaluator.Decide(w.Other, rowArray.Object, Privilege.Usage).Allowed);
        // SELECT exists for the table, not the type: the table.
        Assert.Equal(w.Table.Oid, w.Read("SELECT", "\"My Schema\".\"T.x\"").Object.Oid);
    }

    [Fact]
    public void LargeObject_OwnerAndGrants_PublicHasNothingByDefault()
    {
        var w = new World();
        var blob = w.Read("SELECT", "large object 70001");
        Assert.Equal(ObjectKind.LargeObject, blob.Kind);
        Assert.True(w.Evaluator.Decide(w.App, blob.Object, Privilege.Select).Allowed);
        Assert.True(w.Evaluator.Decide(w.Reader, blob.Object, Privilege.Select).Allowed);
        Assert.False(w.Evaluator.Decide(w.App, blob.Object, Privilege.Update).Allowed);
        Assert.False(w.Evaluator.Decide(0, w.Read("SELECT", "70002", "large object").Object, Privilege.Select).Allowed);
        var answer = new AccessQuestions(w.Evaluator).Can(w.App, blob, PrivilegeRequest.Parse("UPDATE"));
        Assert.False(answer.Yes);
        Assert.Contains(answer.Missing, m => m.Contains("UPDATE on large object 70001", StringComparison.Ordinal));
        Assert.Equal(["Reader \"x\"", "app", "owner", "postgres"],
            new AccessQuestions(w.Evaluator).WhoCan(blob, PrivilegeRequest.Parse("SELECT")).Roles.Select(r => r.Role).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void LargeObject_CompatPrivileges_EveryRoleMay_ButOnlyTheAclGrants()
    {
        var w = new World(loCompat: true);
        var d = w.Evaluator.Decide(w.Other, w.Blob, Privilege.Update);
        Assert.True(d.Allowed);
        Assert.Equal(AccessSource.CompatibilitySetting, d.Source);
        Assert.Contains("lo_compat_privileges", d.Explanation(), StringComparison.Ordinal);
        Assert.False(d.Grantable);
        Assert.True(w.Evaluator.Decide(0, w.Blob, Privilege.Select).Allowed);
        Assert.Contains(new AccessQuestions(w.Evaluator).WhoCan(new ObjectTarget(w.Blob, null), PrivilegeRequest.Parse("UPDATE")).Roles, r => r.Role == "other" && r.How == "setting");
    }

    [Theory]
    [InlineData("large object 0")]
    [InlineData("large object 4294967296")]
    [InlineData("large object abc")]
    [InlineData("large object")]
    [InlineData("12ab")]
    [InlineData("mood[")]
    [InlineData("a.b.c.d")]
    public void BadNames_AreOneClearError(string text)
    {
        var e = Assert.Throws<PgrantException>(() => ObjectReference.Parse(text));
        Assert.StartsWith("cannot read object name", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LargeObject_NotInTheDatabase_SaysSo_AndKindNeedsAnOid()
    {
        var w = new World();
        var missing = Assert.Throws<PgrantException>(() => w.Read("SELECT", "large object 99999"));
        Assert.Equal("large object 99999 does not exist in database appdb", missing.Message);
        Assert.Throws<PgrantException>(() => w.Read("SELECT", "mood", "large object"));
        Assert.Throws<PgrantException>(() => w.Read("INSERT", "large object 70001"));
    }

    [Fact]
    public void Scope_NamesWhatTheReadNeeds()
    {
        Assert.Equal(70001u, Assert.Single(QuestionInput.Scope("LARGE  OBJECT 70001", null).LargeObjects));
        Assert.Equal(70002u, Assert.Single(QuestionInput.Scope("70002", "large object").LargeObjects));
        var array = QuestionInput.Scope("\"My Schema\".mood[]", null);
        Assert.Equal(new ScopeName("My Schema", "mood"), Assert.Single(array.Types));
        Assert.Empty(array.Relations);
        var threeParts = QuestionInput.Scope("s.t.tableoid", null);
        Assert.Equal(new ScopeName("s", "t"), Assert.Single(threeParts.Relations));
        // a.b: schema a's object b, or table a's column b.
        var dotted = QuestionInput.Scope("orders.ctid", null);
        Assert.Contains(new ScopeName(null, "orders"), dotted.Relations);
        Assert.Contains(new ScopeName("orders", "ctid"), dotted.Relations);
    }
}
