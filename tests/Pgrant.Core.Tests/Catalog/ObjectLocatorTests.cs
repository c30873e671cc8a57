using System.Collections.Immutable;
using Pgrant.Core.Access;
using Pgrant.Core.Catalog;

namespace Pgrant.Core.Tests.Catalog;

public sealed class ObjectLocatorTests
{
    private const uint Owner = 10;
    private static readonly Schema Public = new(2200, "public", Owner, Privileges.Default(ObjectKind.Schema, Owner, 16));
    private static readonly Schema App = new(3000, "app", Owner, Privileges.Default(ObjectKind.Schema, Owner, 16));
    private static readonly Schema Odd = new(3001, "My Schema", Owner, Privileges.Default(ObjectKind.Schema, Owner, 16));

    private static Relation Rel(uint oid, Schema s, string name, ObjectKind kind, params string[] columns) =>
        new(oid, s.Oid, name, kind, Owner, Privileges.Default(kind, Owner, 16), false, false, false,
            [.. columns.Select((c, i) => new Column((short)(i + 1), c, "integer", false, false, '\0', '\0', AclList.Empty))]);

    private static Function Fn(uint oid, Schema s, string name, string args, ObjectKind kind = ObjectKind.Function) =>
        new(oid, s.Oid, name, args, kind, Owner, Privileges.Default(kind, Owner, 16), false, [], "sql");

    private static readonly CatalogSnapshot Snapshot = new(
        new PgVersion(160004), "appdb", "postgres", "\"$user\", public",
        [new Role(Owner, "postgres", true, true, true, true, true, true, false)], [],
        [new Database(1, "appdb", Owner, Privileges.Default(ObjectKind.Database, Owner, 16), true, false)],
        [Public, App, Odd, new Schema(11, "pg_catalog", Owner, Privileges.Default(ObjectKind.Schema, Owner, 16), true)],
        [
            Rel(4000, App, "orders", ObjectKind.Table, "id", "Total"),
            Rel(4001, Public, "orders", ObjectKind.Table, "id"),
            Rel(4002, Odd, "Tab.le", ObjectKind.View, "x"),
            Rel(4003, App, "orders_id_seq", ObjectKind.Sequence),
            Rel(4004, Public, "appdb", ObjectKind.Table, "k"),
        ],
        [],
        [
            Fn(5000, App, "total", "o integer"),
            Fn(5001, App, "total", "o integer, c character varying"),
            Fn(5002, App, "refresh", "", ObjectKind.Procedure),
        ],
        [new TypeInfo(6000, App.Oid, "mood", ObjectKind.Type, Owner, Privileges.Default(ObjectKind.Type, Owner, 16))],
        [new Language(13, "plpgsql", Owner, Privileges.Default(ObjectKind.Language, Owner, 16), true)],
        [], []);

    private static ObjectTarget Read(string privilege, string obj, string? kind = null) =>
        QuestionInput.Read(Snapshot, privilege, obj, kind).Target;

    [Fact]
    public void UnqualifiedFollowsTheSearchPath_QualifiedDoesNot()
    {
        Assert.Equal(4001u, Read("SELECT", "orders").Object.Oid);
        Assert.Equal(4000u, Read("SELECT", "app.orders").Object.Oid);
        Assert.Equal(4002u, Read("SELECT", "\"My Schema\".\"Tab.le\"").Object.Oid);
    }

    [Fact]
    public void ColumnsAreTableParenColumn_CaseAsQuoted()
    {
        var t = Read("UPDATE", "app.orders(\"Total\")");
        Assert.Equal(ObjectKind.Column, t.Kind);
        Assert.Equal("Total", t.Column!.Name);
        Assert.Equal("app.orders(Total)", t.Name(Snapshot));
        var e = Assert.Throws<PgrantException>(() => Read("UPDATE", "app.orders(total)", "column"));
        Assert.Equal("table app.orders has no column \"total\"", e.Message);
    }

    [Fact]
    public void FunctionsByArgumentTypes_OverloadsWithoutThemAreAmbiguous()
    {
        Assert.Equal(5000u, Read("EXECUTE", "app.total(int)").Object.Oid);
        Assert.Equal(5001u, Read("EXECUTE", "app.total(int4, varchar(3))").Object.Oid);
        Assert.Equal(5002u, Read("EXECUTE", "app.refresh()").Object.Oid);
        var e = Assert.Throws<AmbiguousObjectException>(() => Read("EXECUTE", "app.total"));
        Assert.Equal("app.total is ambiguous: function app.total(o integer), function app.total(o integer, c character varying)", e.Message);
        Assert.Equal("qualify the name with its schema, give the argument types, or name its kind", e.Hint);
    }

    [Fact]
    public void ThePrivilegeOrKindPicksAmongSameNamedObjects()
    {
        // "appdb" is a database and a table in public: CONNECT only exists for databases, SELECT only for the table.
        Assert.IsType<Database>(Read("CONNECT", "appdb").Object);
        Assert.IsType<Relation>(Read("SELECT", "appdb").Object);
        Assert.IsType<Database>(Read("CREATE", "appdb", "database").Object);
        Assert.IsType<Schema>(Read("USAGE", "app").Object);
        Assert.IsType<Language>(Read("USAGE", "plpgsql").Object);
        Assert.IsType<TypeInfo>(Read("USAGE", "app.mood").Object);
        Assert.Equal(4003u, Read("nextval", "app.orders_id_seq").Object.Oid);
    }

    [Fact]
    public void PrivilegeNotValidForTheKindIsAUsageError()
    {
        var e = Assert.Throws<PgrantException>(() => Read("EXECUTE", "app.orders"));
        Assert.Equal("privilege EXECUTE does not exist for a table (PostgreSQL 16): app.orders", e.Message);
        Assert.Equal("a table has: INSERT, SELECT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER", e.Hint);
        Assert.Equal(typeof(PgrantException), e.GetType()); // bad input: exit 2 in the CLI
        var op = Assert.Throws<PgrantException>(() => Read("nextval", "app.orders", "table"));
        Assert.Equal("nextval is a sequence operation, but app.orders is a table", op.Message);
        var col = Assert.Throws<PgrantException>(() => Read("DELETE", "app.orders(id)"));
        Assert.Equal("privilege DELETE does not exist for a column (PostgreSQL 16): app.orders(id)", col.Message);
    }

    [Fact]
    public void UnknownNamesAndKindsSayWhatWasExpected()
    {
        var e = Assert.Throws<PgrantException>(() => Read("SELECT", "app.nope", "view"));
        Assert.Equal("no view named app.nope in database appdb", e.Message);
        var k = Assert.Throws<PgrantException>(() => Read("SELECT", "app.orders", "tabel"));
        Assert.Equal("unknown kind 'tabel'", k.Message);
        Assert.Equal(ImmutableHashSet.Create(ObjectKind.Function, ObjectKind.Procedure, ObjectKind.Aggregate), ObjectLocator.KindsFor("routine").ToImmutableHashSet());
    }
}
