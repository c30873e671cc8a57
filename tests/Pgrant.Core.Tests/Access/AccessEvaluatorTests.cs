using Pgrant.Core.Access;
using Pgrant.Core.Catalog;

namespace Pgrant.Core.Tests.Access;

public sealed class AccessEvaluatorTests
{
    [Fact]
    public void SuperuserBypassesEvenAnEmptyAcl_ButMembershipInASuperuserDoesNot()
    {
        var b = new SnapshotBuilder(16).WithBootstrap();
        var owner = b.Role("owner");
        var boss = b.Role("boss", superuser: true);
        var follower = b.Role("follower");
        b.Grant(boss, follower);
        var t = b.Relation(b.Schema("s", owner), "t", owner, "{}");
        var eval = new AccessEvaluator(b.Build());

        var d = eval.Decide(boss, t, Privilege.Truncate);
        Assert.True(d.Allowed);
        Assert.Equal(AccessSource.Superuser, d.Source);
        Assert.True(d.Grantable);
        Assert.False(eval.Decide(follower, t, Privilege.Select).Allowed);
    }

    [Fact]
    public void OwnerHoldsDefaultAclAsAnOrdinaryEntry_WithImplicitGrantOption()
    {
        var b = new SnapshotBuilder(15).WithBootstrap();
        var owner = b.Role("owner");
        var t = b.Relation(b.Schema("s", owner), "t", owner);
        var d = new AccessEvaluator(b.Build()).Decide(owner, t, Privilege.Delete);

        Assert.True(d.Allowed);
        Assert.Equal(AccessSource.Owner, d.Source);
        Assert.Equal("owner=arwdDxt/owner", d.EntryText);
        Assert.True(d.Grantable);
        Assert.Equal("owner may use DELETE on table s.t: owner owns it and its owner entry owner=arwdDxt/owner in the ACL holds DELETE. It may grant it to others.", d.Explanation());
    }

    [Fact]
    public void OwnerWhoRevokedItsOwnPrivilegeIsDenied_ButKeepsTheGrantOption()
    {
        var b = new SnapshotBuilder(18).WithBootstrap();
        var owner = b.Role("owner");
        var reader = b.Role("reader");
        var t = b.Relation(b.Schema("s", owner), "t", owner, "{reader=r/owner}");
        var d = new AccessEvaluator(b.Build()).Decide(owner, t, Privilege.Select);

        Assert.False(d.Allowed);
        Assert.Equal(DenialKind.OwnerRevoked, d.Denial.Kind);
        Assert.Equal<uint>([reader], d.Denial.Holders);
        Assert.True(d.Grantable);
        Assert.Equal("owner may not use SELECT on table s.t: owner has the owner's privileges, but the owner's own SELECT was revoked from the ACL (held now by reader).", d.Explanation());
    }

    [Fact]
    public void DirectGrantIsPreferredOverPublicAndMembership()
    {
        var b = new SnapshotBuilder(16).WithBootstrap();
        var owner = b.Role("owner");
        var grp = b.Role("grp");
        var sdc = b.Role("sdc");
        b.Grant(grp, sdc);
        var t = b.Relation(b.Schema("s", owner), "t", owner, "{grp=r/owner,=r/owner,sdc=r*/owner}");
        var d = new AccessEvaluator(b.Build()).Decide(sdc, t, Privilege.Select);

        Assert.Equal(AccessSource.DirectGrant, d.Source);
        Assert.Equal("sdc=r*/owner", d.EntryText);
        Assert.True(d.Grantable);
    }

    [Fact]
    public void PublicGrantReachesEveryRoleAndPublicItself()
    {
        var b = new SnapshotBuilder(15).WithBootstrap();
        var owner = b.Role("owner");
        var sdc = b.Role("sdc", inherit: false);
        var t = b.Relation(b.Schema("s", owner), "t", owner, "{owner=arwdDxt/owner,=r/owner}");
        var eval = new AccessEvaluator(b.Build());

        var d = eval.Decide(sdc, t, Privilege.Select);
        Assert.Equal(AccessSource.Public, d.Source);
        Assert.Equal("=r/owner", d.EntryText);
        Assert.False(d.Grantable);
        Assert.True(eval.Decide(0, t, Privilege.Select).Allowed);
        Assert.False(eval.Decide(0, t, Privilege.Insert).Allowed);
    }

    [Fact]
    public void MembershipPathIsTheShortestChainToTheHolder()
    {
        var b = new SnapshotBuilder(16).WithBootstrap();
        var owner = b.Role("owner", login: false);
        var appRw = b.Role("app_rw", login: false);
        var mid = b.Role("mid", login: false);
        var sdc = b.Role("sdc");
        b.Grant(owner, appRw);
        b.Grant(owner, mid);
        b.Grant(mid, sdc);
        b.Grant(appRw, sdc);
        var seq = b.Relation(b.Schema("s", owner), "descriptions_id_seq", owner, kind: ObjectKind.Sequence);
        var d = new AccessEvaluator(b.Build()).DecideSequence(sdc, seq, SequenceOperation.Nextval);

        Assert.True(d.Allowed);
        Assert.Equal(AccessSource.Membership, d.Source);
        Assert.Equal(Privilege.Usage, d.Privilege);
        Assert.Equal(Privilege.Usage | Privilege.Update, d.Requested);
        Assert.Equal(3, d.Path!.Length);
        Assert.Equal(owner, d.Holder);
        Assert.True(d.Grantable); // has the owner's privileges, so its implicit grant options too
        Assert.Equal(
            "sdc may use UPDATE or USAGE on sequence s.descriptions_id_seq: USAGE is granted to owner (owner=rwU/owner in the ACL) and sdc has its privileges through sdc → app_rw → owner. It may grant it to others.",
            d.Explanation());
    }

    [Fact]
    public void SequenceOperationsNeedTheirOwnPrivileges()
    {
        var b = new SnapshotBuilder(18).WithBootstrap();
        var owner = b.Role("owner");
        var writer = b.Role("writer");
        var user = b.Role("user");
        var seq = b.Relation(b.Schema("s", owner), "q", owner, "{owner=rwU/owner,writer=w/owner,user=U/owner}", ObjectKind.Sequence);
        var eval = new AccessEvaluator(b.Build());

        Assert.True(eval.DecideSequence(writer, seq, SequenceOperation.Nextval).Allowed);
        Assert.True(eval.DecideSequence(writer, seq, SequenceOperation.Setval).Allowed);
        Assert.False(eval.DecideSequence(writer, seq, SequenceOperation.Currval).Allowed);
        Assert.True(eval.DecideSequence(user, seq, SequenceOperation.Lastval).Allowed);
        var setval = eval.DecideSequence(user, seq, SequenceOperation.Setval);
        Assert.False(setval.Allowed);
        Assert.Equal(DenialKind.NotGranted, setval.Denial.Kind);
        Assert.Equal<string>(["owner", "writer"], setval.Denial.HolderNames);
        Assert.Equal<string>(["pg_write_all_data"], setval.Denial.PredefinedHolders);
    }

    [Fact]
    public void ColumnPrivilegeChecksTheTableFirstThenTheColumn()
    {
        var b = new SnapshotBuilder(16).WithBootstrap();
        var owner = b.Role("owner");
        var sdc = b.Role("sdc");
        var other = b.Role("other");
        var t = b.Relation(b.Schema("s", owner), "t", owner, "{owner=arwdDxt/owner,other=r/owner}", ObjectKind.Table,
            ("id", "{sdc=r/owner}"), ("secret", null));
        var eval = new AccessEvaluator(b.Build());

        var id = eval.DecideColumn(sdc, t, t.Columns[0], Privilege.Select);
        Assert.True(id.Allowed);
        Assert.Equal(AccessLevel.Column, id.Level);
        Assert.Equal("sdc=r/owner", id.EntryText);
        var secret = eval.DecideColumn(sdc, t, t.Columns[1], Privilege.Select);
        Assert.False(secret.Allowed);
        Assert.Equal(DenialKind.NotGranted, secret.Denial.Kind);
        var tableLevel = eval.DecideColumn(other, t, t.Columns[1], Privilege.Select);
        Assert.Equal(AccessLevel.Object, tableLevel.Level);
        Assert.Equal("secret", tableLevel.ColumnName);
        Assert.Equal(DenialKind.NotApplicable, eval.DecideColumn(owner, t, t.Columns[0], Privilege.Delete).Denial.Kind);
    }

    [Fact]
    public void PrivilegeThatDoesNotExistForTheKindIsNotApplicable()
    {
        var b = new SnapshotBuilder(16).WithBootstrap();
        var owner = b.Role("owner");
        var s = b.Schema("s", owner);
        var t = b.Relation(s, "t", owner);
        var eval = new AccessEvaluator(b.Build());

        Assert.Equal(DenialKind.NotApplicable, eval.Decide(owner, t, Privilege.Usage).Denial.Kind);
        Assert.Equal(DenialKind.NotApplicable, eval.Decide(owner, t, Privilege.Maintain).Denial.Kind); // 17+
        Assert.Equal(DenialKind.NotApplicable, eval.Decide(owner, s, Privilege.Select).Denial.Kind);
    }

    [Fact]
    public void SystemCatalogsRefuseWritesToAllButSuperusers()
    {
        var b = new SnapshotBuilder(16).WithBootstrap();
        var owner = b.Role("owner");
        var catalog = b.Schema("pg_catalog", b.Bootstrap);
        var t = b.Relation(catalog, "pg_thing", owner);
        var eval = new AccessEvaluator(b.Build());

        Assert.Equal(DenialKind.SystemCatalog, eval.Decide(owner, t, Privilege.Insert).Denial.Kind);
        Assert.True(eval.Decide(owner, t, Privilege.Select).Allowed);
        Assert.True(eval.Decide(b.Bootstrap, t, Privilege.Insert).Allowed);
    }

    [Fact]
    public void FunctionsDatabasesAndSchemasUseTheirOwnAcl()
    {
        var b = new SnapshotBuilder(15).WithBootstrap();
        var owner = b.Role("owner");
        var sdc = b.Role("sdc");
        var db = b.Database("app", owner, "{owner=CTc/owner,sdc=c/owner}");
        var s = b.Schema("s", owner);
        var f = b.Function(s, "f", owner);
        var eval = new AccessEvaluator(b.Build());

        Assert.Equal(AccessSource.Public, eval.Decide(sdc, f, Privilege.Execute).Source);
        Assert.Equal(AccessSource.DirectGrant, eval.Decide(sdc, db, Privilege.Connect).Source);
        Assert.False(eval.Decide(sdc, db, Privilege.Temporary).Allowed);
        Assert.False(eval.Decide(sdc, s, Privilege.Usage).Allowed);
        Assert.Equal("sdc may not use USAGE on schema s: it is granted only to owner (and members of pg_read_all_data, pg_write_all_data), and sdc is not a member of any of them.",
            eval.Decide(sdc, s, Privilege.Usage).Explanation());
    }

    [Fact]
    public void WhoCanListsExactlyTheRolesThatHoldIt()
    {
        var b = new SnapshotBuilder(16).WithBootstrap();
        var owner = b.Role("owner");
        var grp = b.Role("grp", login: false);
        var sdc = b.Role("sdc");
        var blocked = b.Role("blocked");
        b.Role("bystander");
        b.Grant(grp, sdc);
        b.Grant(grp, blocked, inherit: false);
        var t = b.Relation(b.Schema("s", owner), "t", owner, "{owner=arwdDxt/owner,grp=r/owner}");
        var eval = new AccessEvaluator(b.Build());

        var who = eval.WhoCan(t, Privilege.Select);
        // pg_read_all_data has its own privileges, as has_table_privilege('pg_read_all_data', …) says.
        Assert.Equal(["grp", "owner", "pg_read_all_data", "postgres", "sdc"], who.Select(d => d.RoleName));
        Assert.Equal(AccessSource.Superuser, who.Single(d => d.RoleName == "postgres").Source);
        Assert.Equal(["postgres"], eval.WhoCan(t, Privilege.Truncate).Where(d => d.Source == AccessSource.Superuser).Select(d => d.RoleName));
    }

    [Fact]
    public void HoldersAreExactlyTheRolesWhoCanLists()
    {
        var b = new SnapshotBuilder(16).WithBootstrap();
        var owner = b.Role("owner");
        var grp = b.Role("grp", login: false);
        var sdc = b.Role("sdc");
        var blocked = b.Role("blocked");
        var writer = b.Role("writer");
        b.Role("bystander");
        b.Grant(grp, sdc);
        b.Grant(grp, blocked, inherit: false);
        b.Grant(b.RoleOid("pg_write_all_data"), writer);
        var t = b.Relation(b.Schema("s", owner), "t", owner, "{owner=arwdDxt/owner,grp=ra/owner}");
        var snapshot = b.Build();
        var eval = new AccessEvaluator(snapshot);

        foreach (var privilege in (Privilege[])[Privilege.Select, Privilege.Insert, Privilege.Insert | Privilege.Update, Privilege.Truncate])
        {
            var holders = eval.Holders(t, privilege).Select(snapshot.RoleName).Order(StringComparer.Ordinal);
            Assert.Equal(eval.WhoCan(t, privilege).Select(d => d.RoleName), holders);
        }
        Assert.Equal(["grp", "owner", "pg_write_all_data", "postgres", "sdc", "writer"],
            eval.Holders(t, Privilege.Insert).Select(snapshot.RoleName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void HeldPrivilegesJudgesEachBitAlone()
    {
        var b = new SnapshotBuilder(16).WithBootstrap();
        var owner = b.Role("owner");
        var sdc = b.Role("sdc");
        var t = b.Relation(b.Schema("s", owner), "t", owner, "{owner=arwdDxt/owner,sdc=ar/owner,=x/owner}");
        var eval = new AccessEvaluator(b.Build());

        Assert.Equal(Privilege.Insert | Privilege.Select | Privilege.References, eval.HeldPrivileges(sdc, t));
        Assert.Equal(Privileges.All(ObjectKind.Table, 16), eval.HeldPrivileges(owner, t));
    }
}
