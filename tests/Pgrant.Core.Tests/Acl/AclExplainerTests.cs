namespace Pgrant.Core.Tests.Acl;

public sealed class AclExplainerTests
{
    [Fact]
    public void SeedTableGrantInPlainWords()
    {
        var e = AclExplainer.Explain(AclItem.Parse("sdc=arwdDxt/Stephen"), ObjectKind.Table);
        Assert.Equal("sdc", e.Grantee);
        Assert.Equal("Stephen", e.Grantor);
        Assert.False(e.IsPublic);
        Assert.Equal(["INSERT", "SELECT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER"], e.Privileges.Select(p => p.Name).ToArray());
        Assert.Equal("arwdDxt", new string(e.Privileges.Select(p => p.Letter).ToArray()));
        Assert.All(e.Privileges, p => Assert.False(p.Grantable));
        Assert.Equal("sdc holds INSERT, SELECT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER on this table, granted by Stephen; cannot pass them on.", e.Summary);
        Assert.Equal("add rows (INSERT, COPY FROM)", e.Privileges[0].Meaning);
        Assert.Empty(e.Notes);
    }

    [Fact]
    public void CreateMeansDifferentThingsOnDatabasesAndSchemas()
    {
        var onDb = AclExplainer.Explain(AclItem.Parse("sdc=C/Stephen"), ObjectKind.Database).Privileges.Single();
        var onSchema = AclExplainer.Explain(AclItem.Parse("sdc=C/Stephen"), ObjectKind.Schema).Privileges.Single();
        Assert.Equal("create schemas (and publications, trusted extensions) in the database", onDb.Meaning);
        Assert.Equal("create objects in the schema (and rename own objects in it)", onSchema.Meaning);
        var connect = AclExplainer.Explain(AclItem.Parse("sdc=c/Stephen"), ObjectKind.Database).Privileges.Single();
        Assert.Equal("CONNECT", connect.Name);
        Assert.Equal("connect to the database (checked after pg_hba.conf)", connect.Meaning);
    }

    [Fact]
    public void UsageOnASequenceIsWhatSerialNeeds()
    {
        var p = AclExplainer.Explain(AclItem.Parse("sdc=U/Stephen"), ObjectKind.Sequence).Privileges.Single();
        Assert.Equal("call nextval() and currval() (what a serial column's default needs)", p.Meaning);
    }

    [Fact]
    public void WithoutAKindEveryMeaningIsGiven()
    {
        var p = AclExplainer.Explain(AclItem.Parse("sdc=C/Stephen")).Privileges.Single();
        Assert.Equal("on a database: create schemas; on a schema: create objects in it; on a tablespace: place objects in it", p.Meaning);
        Assert.True(p.LegalForKind);
    }

    [Fact]
    public void PublicGrantOptionsAndPartialGrantOptions()
    {
        var pub = AclExplainer.Explain(AclItem.Parse("=Tc/Stephen"), ObjectKind.Database);
        Assert.Equal("PUBLIC", pub.Grantee);
        Assert.True(pub.IsPublic);
        Assert.Equal("Every role (PUBLIC) holds TEMPORARY, CONNECT on this database, granted by Stephen; cannot pass them on.", pub.Summary);
        Assert.Equal(["PUBLIC means every role, including roles created later."], pub.Notes.ToArray());

        var partial = AclExplainer.Explain(AclItem.Parse("sdc=r*w/Stephen"), ObjectKind.Table);
        Assert.Equal("sdc holds SELECT, UPDATE on this table, granted by Stephen; may grant SELECT to others (WITH GRANT OPTION).", partial.Summary);
        Assert.Equal([true, false], partial.Privileges.Select(p => p.Grantable).ToArray());
    }

    [Fact]
    public void DroppedRolesIllegalLettersAndMissingGrantorAreNoted()
    {
        var e = AclExplainer.Explain(AclItem.Parse("16454=a/16455"), ObjectKind.Sequence);
        Assert.True(e.GranteeIsOid);
        Assert.True(e.GrantorIsOid);
        Assert.False(e.Privileges.Single().LegalForKind);
        Assert.Equal("nothing: INSERT is not a privilege of sequences", e.Privileges.Single().Meaning);
        Assert.Equal(3, e.Notes.Length);
        Assert.Contains("INSERT ('a') is not a privilege of sequences; the server never stores it there.", e.Notes);

        var noGrantor = AclExplainer.Explain(AclItem.Parse("sdc=r"));
        Assert.Null(noGrantor.Grantor);
        Assert.Equal("sdc holds SELECT; cannot pass them on.", noGrantor.Summary);
        Assert.Equal(["No grantor given: the server would record the bootstrap superuser as grantor (and warn)."], noGrantor.Notes.ToArray());
    }

    [Fact]
    public void NullAclMeansTheBuiltInDefault()
    {
        var db = AclExplainer.ExplainDefault(ObjectKind.Database, "Stephen", 15);
        Assert.Equal("Built-in default (the ACL is NULL): the owner (Stephen) holds every privilege (CREATE, TEMPORARY, CONNECT) and may grant them; PUBLIC (every role) holds TEMPORARY, CONNECT.", db.Summary);
        Assert.Equal(["=Tc/Stephen", "Stephen=CTc/Stephen"], db.ImpliedItems.Select(i => i.ToString()).ToArray());

        var seq = AclExplainer.ExplainDefault(ObjectKind.Sequence, "Stephen", 15);
        Assert.Equal(["Stephen=rwU/Stephen"], seq.ImpliedItems.Select(i => i.ToString()).ToArray());
        Assert.EndsWith("nobody else holds anything, PUBLIC included.", seq.Summary);

        var table17 = AclExplainer.ExplainDefault(ObjectKind.Table, "o", 17);
        Assert.Equal(["o=arwdDxtm/o"], table17.ImpliedItems.Select(i => i.ToString()).ToArray());
        Assert.Empty(AclExplainer.ExplainDefault(ObjectKind.Function).ImpliedItems);
        Assert.Empty(AclExplainer.ExplainDefault(ObjectKind.Column, "o").ImpliedItems);
    }

    [Fact]
    public void EmptyAclMeansNobodyNotEvenTheOwner()
    {
        var e = AclExplainer.ExplainEmpty(ObjectKind.Table);
        Assert.Equal(AclState.Empty, e.State);
        Assert.Equal("Empty ACL ({}): nobody holds any privilege on the table, not even the owner (the owner can grant them back: ownership keeps the right to grant).", e.Summary);
        Assert.Equal("Empty default ACL ({}): new tables get no privileges at all, not even for their owner.",
            AclExplainer.ExplainEmpty(ObjectKind.Table, defaultPrivileges: true).Summary);
    }

    [Fact]
    public void BlankPsqlCellIsAmbiguousBefore17()
    {
        var e = AclExplainer.ExplainBlankCell(ObjectKind.Sequence, null, 15);
        Assert.Equal(AclState.DefaultOrEmpty, e.State);
        Assert.StartsWith("Blank cell: psql prints both a NULL ACL and, before psql 17, an empty ACL {} this way.", e.Summary);
        Assert.Contains("Built-in default (the ACL is NULL): the owner holds every privilege (SELECT, UPDATE, USAGE)", e.Summary);
        Assert.Contains("\"(none)\"", e.Summary);
    }
}
