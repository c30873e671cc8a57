using Pgrant.Core.Acl.Psql;

namespace Pgrant.Core.Tests.Acl;

/// <summary>
/// Pasted psql output. psql15-* fixtures are real psql 15.18 captures; seed-* come from the
/// seed post; psql13/16/17/18-*-constructed were laid out with the header sets read in psql's
/// describe.c for those versions, by a formatter that reproduces the psql 15 captures byte for byte.
/// </summary>
public sealed class PsqlAclPasteTests
{
    private static string Items(AclListing l) => string.Join(" ", l.Items.Select(i => i.ToString()));

    [Fact]
    public void SeedDatabasesListing()
    {
        var listings = PsqlAclPaste.Parse(Fixture.Read("seed-l.txt"));
        Assert.Equal((string?[])["my_database", "postgres", "sdc", "template0", "template1"], listings.Select(l => l.Object));
        Assert.All(listings, l => Assert.Equal(ObjectKind.Database, l.Kind));
        Assert.All(listings, l => Assert.Equal("database", l.KindLabel));
        Assert.Equal("=Tc/Stephen Stephen=CTc/Stephen sdc=CTc/Stephen", Items(listings[2]));
        Assert.Equal("Stephen", listings[2].Owner);
        Assert.Equal(AclState.DefaultOrEmpty, listings[1].State);
        Assert.Empty(listings[1].Items);
        Assert.Equal("=Tc/sdc sdc=CTc/sdc", Items(listings[0]));
    }

    [Fact]
    public void SeedPrivilegesListingWithoutFooter()
    {
        var listing = Assert.Single(PsqlAclPaste.Parse(Fixture.Read("seed-dp.txt")));
        Assert.Equal("public.descriptions", listing.Object);
        Assert.Equal(ObjectKind.Table, listing.Kind);
        Assert.Equal("Stephen=arwdDxt/Stephen sdc=arwdDxt/Stephen", Items(listing));
        Assert.Equal(AclState.Items, listing.State);
    }

    [Fact]
    public void Psql15DatabasesWithIcuColumns()
    {
        var listings = PsqlAclPaste.Parse(Fixture.Read("psql15-l.txt"));
        Assert.Equal((string?[])["emptyacl", "postgres", "sdc", "template0", "template1", "\"weird db\""], listings.Select(l => l.Object));
        // "emptyacl" holds {} on the server, yet psql 15 prints it blank, like NULL.
        Assert.Equal(AclState.DefaultOrEmpty, listings[0].State);
        Assert.Equal("=Tc/postgres postgres=CTc/postgres \"weird name\"=c/postgres \"a\"\"q\"=c/postgres \"Ünïcödé\"=c/postgres sdc=C*/postgres",
            Items(listings[5]));
    }

    [Theory]
    [InlineData("psql13-l-constructed.txt")]
    [InlineData("psql16-l-constructed.txt")]
    [InlineData("psql17-l-constructed.txt")]
    public void DatabasesAcrossPsqlVersions(string fixture)
    {
        var listings = PsqlAclPaste.Parse(Fixture.Read(fixture));
        Assert.Equal("=Tc/Stephen Stephen=CTc/Stephen sdc=CTc/Stephen", Items(listings.Single(l => l.Object == "sdc")));
        Assert.Equal("=c/postgres postgres=CTc/postgres", Items(listings.Single(l => l.Object == "template0")));
        Assert.Equal(AclState.DefaultOrEmpty, listings.Single(l => l.Object == "postgres").State);
    }

    [Fact]
    public void Psql17NoneMeansEmpty()
    {
        var locked = PsqlAclPaste.Parse(Fixture.Read("psql17-l-constructed.txt")).Single(l => l.Object == "locked");
        Assert.Equal(AclState.Empty, locked.State);
        Assert.Empty(locked.Items);
    }

    [Fact]
    public void Psql15PrivilegesOfEveryRelationKindAndColumns()
    {
        var listings = PsqlAclPaste.Parse(Fixture.Read("psql15-dp-app.txt"));
        var summary = listings.Select(l => $"{l.Object}|{l.KindLabel}|{l.Kind}|{l.State}|{Items(l)}").ToArray();
        Assert.Equal(
        [
            "app.\"Mixed Case\"|table|Table|DefaultOrEmpty|",
            "app.\"Mixed Case\".a|column|Column|Items|sdc=r/Stephen \"weird name\"=a*/Stephen",
            "app.\"Mixed Case\".\"we|ird\"|column|Column|Items|sdc=r/Stephen =w/Stephen",
            "app.ft|foreign table|ForeignTable|Items|Stephen=arwdDxt/Stephen \"a\"\"q\"=r/Stephen",
            "app.mv|materialized view|MaterializedView|Items|Stephen=arwdDxt/Stephen sdc=r/Stephen",
            "app.noacc|table|Table|DefaultOrEmpty|",
            "app.p|partitioned table|PartitionedTable|Items|Stephen=arwdDxt/Stephen \"Ünïcödé\"=ar/Stephen",
            "app.s|sequence|Sequence|Items|Stephen=rwU/Stephen sdc=U/Stephen",
            "app.v|view|View|Items|Stephen=arwdDxt/Stephen \"a=b/c\"=r/Stephen",
        ], summary);
    }

    [Fact]
    public void Psql15HostileNamesIncludingWideCharactersPipesAndNewlines()
    {
        var listing = Assert.Single(PsqlAclPaste.Parse(Fixture.Read("psql15-dp-hostile.txt")));
        var grantees = listing.Items.Select(i => i.Grantee).ToArray();
        Assert.Equal(21, grantees.Length);
        Assert.Contains("p|pe", grantees);
        Assert.Contains("日本語", grantees);
        Assert.Contains("new\nline", grantees);
        // psql expands a tab to spaces on screen, so the pasted name has spaces.
        Assert.Contains("tab    x", grantees);
        Assert.Contains(grantees, g => g is null);
        Assert.Equal("\"new\nline\"=a/postgres", listing.Items[^1].ToString());
    }

    [Fact]
    public void Psql15DefaultPrivileges()
    {
        var listings = PsqlAclPaste.Parse(Fixture.Read("psql15-ddp.txt"));
        var summary = listings.Select(l => $"{l.Object}|{l.KindLabel}|{l.Kind}|{l.Owner}|{Items(l)}").ToArray();
        Assert.Equal(
        [
            "FOR ROLE \"Stephen\" IN SCHEMA app|default privileges for tables|Table|Stephen|sdc=r/Stephen",
            "FOR ROLE \"Stephen\" IN SCHEMA app|default privileges for types|Type|Stephen|\"a,b\"=U/Stephen",
            "FOR ROLE \"Stephen\" (all schemas)|default privileges for functions|Function|Stephen|Stephen=X/Stephen",
            "FOR ROLE \"Stephen\" (all schemas)|default privileges for schemas|Schema|Stephen|Stephen=UC/Stephen sdc=U/Stephen",
            "FOR ROLE \"Stephen\" (all schemas)|default privileges for sequences|Sequence|Stephen|Stephen=rwU/Stephen sdc=U/Stephen",
            "FOR ROLE sdc (all schemas)|default privileges for functions|Function|sdc|=X/sdc sdc=X/sdc \"weird name\"=X/sdc",
        ], summary);
        Assert.All(listings, l => Assert.True(l.IsDefaultPrivileges));
    }

    [Fact]
    public void Psql18DefaultPrivilegesLargeObjectsAndNone()
    {
        var listings = PsqlAclPaste.Parse(Fixture.Read("psql18-ddp-constructed.txt"));
        Assert.Equal(ObjectKind.LargeObject, listings[0].Kind);
        Assert.Equal("default privileges for large objects", listings[0].KindLabel);
        Assert.Equal(AclState.Empty, listings[1].State);
    }

    [Fact]
    public void Psql18PrivilegesWithNoneAndPolicies()
    {
        var listings = PsqlAclPaste.Parse(Fixture.Read("psql18-dp-constructed.txt"));
        Assert.Equal((string?[])["app.noacc", "app.p", "app.p.id", "public.descriptions_id_seq"], listings.Select(l => l.Object));
        Assert.Equal(AclState.Empty, listings[0].State);
        Assert.Equal("Stephen=arwdDxtm/Stephen sdc=m/Stephen", Items(listings[1]));
        Assert.Equal("sdc=r/Stephen", Items(listings[2]));
        Assert.Equal(AclState.DefaultOrEmpty, listings[3].State);
    }

    [Fact]
    public void SchemasListingTakesItsKindFromTheTitle()
    {
        var listings = PsqlAclPaste.Parse(Fixture.Read("psql15-dn-plus.txt"));
        Assert.Equal((string?[])["app", "public"], listings.Select(l => l.Object));
        Assert.All(listings, l => Assert.Equal(ObjectKind.Schema, l.Kind));
        Assert.Equal("pg_database_owner=UC/pg_database_owner =U/pg_database_owner", Items(listings[1]));
    }

    [Fact]
    public void SeveralListingsInOnePasteWithPromptsAround()
    {
        var text = "postgres=# \\l\n" + Fixture.Read("seed-l.txt").Split('\n', 2)[1] + "\nsdc=# \\dp\n" + Fixture.Read("psql15-dp-public.txt");
        var listings = PsqlAclPaste.Parse(text);
        Assert.Equal(7, listings.Length);
        Assert.Equal("public.descriptions_id_seq", listings[^1].Object);
        Assert.Equal(ObjectKind.Sequence, listings[^1].Kind);
    }

    [Fact]
    public void WindowsLineEndingsAreAccepted()
    {
        var listing = Assert.Single(PsqlAclPaste.Parse(Fixture.Read("psql15-dp-descriptions.txt").Replace("\n", "\r\n")));
        Assert.Equal("Stephen=arwdDxt/Stephen sdc=arwdDxt/Stephen", Items(listing));
    }

    [Fact]
    public void AMalformedItemPointsAtItsLineAndColumnInThePaste()
    {
        var text = Fixture.Read("psql15-dp-descriptions.txt").Replace("sdc=arwdDxt/Stephen ", "sdc=arwqDxt/Stephen ");
        var e = Assert.Throws<AclFormatException>(() => PsqlAclPaste.Parse(text));
        Assert.Equal(5, e.Line);
        Assert.Equal(41, e.Column);
        Assert.Equal('q', text[e.Position]);
        Assert.Equal("malformed ACL at line 5, column 41: expected a privilege letter (arwdDxtXUCTcsAm), '*' or '/' (found 'q')", e.Message);
    }

    [Fact]
    public void TextWithoutATableIsNotPsql()
    {
        Assert.False(PsqlAclPaste.LooksLikePsql("sdc=r/postgres"));
        Assert.True(PsqlAclPaste.LooksLikePsql(Fixture.Read("seed-dp.txt")));
        Assert.Empty(PsqlAclPaste.Parse("no table here"));
    }
}
