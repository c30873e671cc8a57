using Pgrant.Core.Access;
using Pgrant.Core.Catalog;

namespace Pgrant.Core.Tests.Access;

public sealed class InheritanceTests
{
    private static (SnapshotBuilder B, uint Owner, Relation T) World(int major, string acl = "{owner=arwdDxt/owner,grp=r/owner}")
    {
        var b = new SnapshotBuilder(major).WithBootstrap();
        var owner = b.Role("owner");
        b.Role("grp", login: false);
        var t = b.Relation(b.Schema("s", owner), "t", owner, acl);
        return (b, owner, t);
    }

    [Fact]
    public void UpTo15_ANoInheritMemberDoesNotUseTheGroupsPrivileges()
    {
        var (b, _, t) = World(15);
        var sdc = b.Role("sdc", inherit: false);
        b.Grant(b.RoleOid("grp"), sdc);
        var d = new AccessEvaluator(b.Build()).Decide(sdc, t, Privilege.Select);

        Assert.False(d.Allowed);
        Assert.Equal(DenialKind.NotInherited, d.Denial.Kind);
        var u = Assert.Single(d.Denial.Uninherited);
        Assert.Equal("sdc → grp", u.MembershipPath.ToString());
        Assert.Equal(BreakReason.MemberNoInherit, u.Break.Reason);
        Assert.Equal("sdc", u.Break.MemberName);
        Assert.Equal("sdc may not use SELECT on table s.t: grp holds it and sdc reaches it through sdc → grp, but sdc has NOINHERIT, so it does not use the privileges of grp without SET ROLE.",
            d.Explanation());
    }

    [Fact]
    public void UpTo15_ANoInheritRoleInTheMiddleStopsTheChainThere()
    {
        var (b, _, t) = World(15);
        var grp = b.RoleOid("grp");
        var mid = b.Role("mid", inherit: false, login: false);
        var sdc = b.Role("sdc");
        b.Grant(grp, mid);
        b.Grant(mid, sdc);
        var eval = new AccessEvaluator(b.Build());

        Assert.True(eval.Roles.HasPrivilegesOf(sdc, mid));
        var d = eval.Decide(sdc, t, Privilege.Select);
        Assert.False(d.Allowed);
        var u = Assert.Single(d.Denial.Uninherited);
        Assert.Equal(mid, u.Break.Member);
        Assert.Equal(grp, u.Break.Group);
    }

    [Fact]
    public void From16_TheGrantsInheritOptionDecides_NotTheRoleAttribute()
    {
        var (b, _, t) = World(16);
        var grp = b.RoleOid("grp");
        var noinherit = b.Role("noinherit_attr", inherit: false);
        var blocked = b.Role("blocked");
        b.Grant(grp, noinherit, inherit: true);
        b.Grant(grp, blocked, inherit: false, grantor: b.RoleOid("owner"));
        var eval = new AccessEvaluator(b.Build());

        Assert.Equal(AccessSource.Membership, eval.Decide(noinherit, t, Privilege.Select).Source);
        var d = eval.Decide(blocked, t, Privilege.Select);
        Assert.False(d.Allowed);
        var u = Assert.Single(d.Denial.Uninherited);
        Assert.Equal(BreakReason.GrantInheritFalse, u.Break.Reason);
        Assert.Equal("blocked may not use SELECT on table s.t: grp holds it and blocked reaches it through blocked → grp, but the grant of grp to blocked (granted by owner) is WITH INHERIT FALSE.",
            d.Explanation());
    }

    [Fact]
    public void From16_AnInheritingGrantFromANoInheritRoleStillPasses()
    {
        var (b, _, t) = World(16);
        var grp = b.RoleOid("grp");
        var mid = b.Role("mid", inherit: false, login: false);
        var sdc = b.Role("sdc");
        b.Grant(grp, mid, inherit: true);
        b.Grant(mid, sdc);
        var d = new AccessEvaluator(b.Build()).Decide(sdc, t, Privilege.Select);
        Assert.True(d.Allowed);
        Assert.Equal("sdc → mid → grp", d.Path!.ToString());
    }

    [Theory]
    [InlineData(14, true)]
    [InlineData(15, true)]
    [InlineData(16, true)]
    [InlineData(18, true)]
    [InlineData(13, false)]
    public void TheCurrentDatabasesOwnerAndItsHeirsHavePgDatabaseOwnersPrivileges(int major, bool expected)
    {
        var b = new SnapshotBuilder(major).WithBootstrap();
        var dba = b.Role("dba");
        var heir = b.Role("heir");
        b.Grant(dba, heir);
        b.Database("app", dba);
        var acl = major >= 14 ? "{pg_database_owner=UC/pg_database_owner,=U/pg_database_owner}" : "{postgres=UC/postgres}";
        var s = b.Schema("public", major >= 14 ? b.RoleOid("pg_database_owner") : b.Bootstrap, acl);
        var eval = new AccessEvaluator(b.Build());

        var d = eval.Decide(heir, s, Privilege.Create);
        Assert.Equal(expected, d.Allowed);
        if (expected)
        {
            Assert.Equal("heir → dba → pg_database_owner", d.Path!.ToString());
            Assert.Equal(LinkKind.DatabaseOwner, d.Path.Steps[^1].Link);
            Assert.True(d.Grantable); // heir has the privileges of the schema's owner
        }
    }

    [Theory]
    [InlineData(15, false)]
    [InlineData(16, true)]
    public void ANoInheritDatabaseOwner_UsesPgDatabaseOwnerOnlyFrom16(int major, bool expected)
    {
        var b = new SnapshotBuilder(major).WithBootstrap();
        var dba = b.Role("dba", inherit: false);
        b.Database("app", dba);
        var s = b.Schema("public", b.RoleOid("pg_database_owner"), "{pg_database_owner=UC/pg_database_owner}");
        var d = new AccessEvaluator(b.Build()).Decide(dba, s, Privilege.Create);

        Assert.Equal(expected, d.Allowed);
        if (!expected)
        {
            var u = Assert.Single(d.Denial.Uninherited);
            Assert.Equal(LinkKind.DatabaseOwner, u.MembershipPath.Steps[^1].Link);
            Assert.Equal(BreakReason.MemberNoInherit, u.Break.Reason);
        }
    }

    [Theory]
    [InlineData(13, false)]
    [InlineData(14, true)]
    [InlineData(18, true)]
    public void PgReadAllDataGivesSelectOnRelationsAndSequencesAndSchemaUsage(int major, bool expected)
    {
        var b = new SnapshotBuilder(major).WithBootstrap();
        var owner = b.Role("owner");
        var reader = b.Role("reader");
        if (major >= 14) b.Grant(b.RoleOid("pg_read_all_data"), reader);
        var s = b.Schema("s", owner);
        var t = b.Relation(s, "t", owner, "{}");
        var v = b.Relation(s, "v", owner, kind: ObjectKind.View);
        var q = b.Relation(s, "q", owner, kind: ObjectKind.Sequence);
        var eval = new AccessEvaluator(b.Build());

        Assert.Equal(expected, eval.Decide(reader, t, Privilege.Select).Allowed);
        Assert.Equal(expected, eval.Decide(reader, v, Privilege.Select).Allowed);
        Assert.Equal(expected, eval.Decide(reader, q, Privilege.Select).Allowed);
        Assert.Equal(expected, eval.Decide(reader, s, Privilege.Usage).Allowed);
        Assert.False(eval.Decide(reader, t, Privilege.Insert).Allowed);
        Assert.False(eval.DecideSequence(reader, q, SequenceOperation.Nextval).Allowed);
        if (expected) Assert.Equal(AccessSource.PredefinedRole, eval.Decide(reader, t, Privilege.Select).Source);
        if (expected) Assert.False(eval.Decide(reader, t, Privilege.Select).Grantable);
    }

    [Fact]
    public void PgWriteAllDataGivesInsertUpdateDeleteAndSequenceUpdate_NotTruncateNorSelect()
    {
        var b = new SnapshotBuilder(16).WithBootstrap();
        var owner = b.Role("owner");
        var writer = b.Role("writer");
        b.Grant(b.RoleOid("pg_write_all_data"), writer);
        var s = b.Schema("s", owner);
        var t = b.Relation(s, "t", owner);
        var q = b.Relation(s, "q", owner, kind: ObjectKind.Sequence);
        var eval = new AccessEvaluator(b.Build());

        Assert.Equal(Privilege.Insert | Privilege.Update | Privilege.Delete, eval.HeldPrivileges(writer, t));
        Assert.Equal(Privilege.Update, eval.HeldPrivileges(writer, q));
        Assert.True(eval.DecideSequence(writer, q, SequenceOperation.Nextval).Allowed);
        Assert.False(eval.DecideSequence(writer, q, SequenceOperation.Currval).Allowed);
        Assert.True(eval.Decide(writer, s, Privilege.Usage).Allowed);
    }

    [Fact]
    public void PgWriteAllDataAddsNothingToAStatementMaskThatAlreadyHoldsAWriteBit()
    {
        var b = new SnapshotBuilder(18).WithBootstrap();
        var owner = b.Role("owner");
        var writer = b.Role("writer");
        b.Grant(b.RoleOid("pg_write_all_data"), writer);
        var t = b.Relation(b.Schema("s", owner), "t", owner, "{owner=arwdDxtm/owner,writer=a/owner}");
        var eval = new AccessEvaluator(b.Build());

        Assert.Equal(Privilege.Insert, eval.Mask(writer, t, Privilege.Insert | Privilege.Update));
        Assert.Equal(Privilege.Update | Privilege.Delete, eval.Mask(writer, t, Privilege.Update | Privilege.Delete));
        Assert.True(eval.Decide(writer, t, Privilege.Update).Allowed);
    }

    [Theory]
    [InlineData(16, DenialKind.NotApplicable)]
    [InlineData(17, DenialKind.None)]
    public void PgMaintainGivesMaintainFrom17(int major, DenialKind expected)
    {
        var b = new SnapshotBuilder(major).WithBootstrap();
        var owner = b.Role("owner");
        var janitor = b.Role("janitor");
        if (major >= 17) b.Grant(b.RoleOid("pg_maintain"), janitor);
        var t = b.Relation(b.Schema("s", owner), "t", owner);
        var d = new AccessEvaluator(b.Build()).Decide(janitor, t, Privilege.Maintain);
        Assert.Equal(expected, d.Denial.Kind);
        Assert.Equal(expected == DenialKind.None, d.Allowed);
    }

    [Fact]
    public void PredefinedRoleReachedWithoutInheritanceIsNamedAsTheBrokenLink()
    {
        var b = new SnapshotBuilder(16).WithBootstrap();
        var owner = b.Role("owner");
        var reader = b.Role("reader");
        b.Grant(b.RoleOid("pg_read_all_data"), reader, inherit: false);
        var t = b.Relation(b.Schema("s", owner), "t", owner);
        var d = new AccessEvaluator(b.Build()).Decide(reader, t, Privilege.Select);

        Assert.Equal(DenialKind.NotInherited, d.Denial.Kind);
        Assert.Equal("pg_read_all_data", Assert.Single(d.Denial.Uninherited).Break.GroupName);
    }
}
