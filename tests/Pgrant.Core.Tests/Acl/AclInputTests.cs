namespace Pgrant.Core.Tests.Acl;

public sealed class AclInputTests
{
    [Fact]
    public void OneItem()
    {
        var l = Assert.Single(AclInput.Read("sdc=arwdDxt/Stephen"));
        Assert.Null(l.Object);
        Assert.Equal(AclState.Items, l.State);
        Assert.Equal("sdc=arwdDxt/Stephen", Assert.Single(l.Items).ToString());
    }

    [Fact]
    public void ItemsOnePerLineAndArrays()
    {
        var listings = AclInput.Read("sdc=r/Stephen\n\n=U/Stephen\n{a=r/b,\"\\\"x y\\\"=w/b\"}\n{}\n");
        Assert.Equal(3, listings.Length);
        Assert.Equal(["sdc=r/Stephen", "=U/Stephen"], listings[0].Items.Select(i => i.ToString()).ToArray());
        Assert.Equal(["a=r/b", "\"x y\"=w/b"], listings[1].Items.Select(i => i.ToString()).ToArray());
        Assert.Equal(AclState.Empty, listings[2].State);
    }

    [Fact]
    public void PastedPsqlIsDetected()
    {
        var l = Assert.Single(AclInput.Read(Fixture.Read("seed-dp.txt")));
        Assert.Equal("public.descriptions", l.Object);
    }

    [Fact]
    public void ErrorsPointIntoTheWholeInput()
    {
        var e = Assert.Throws<AclFormatException>(() => AclInput.Read("sdc=r/Stephen\nbob=rz/Stephen"));
        Assert.Equal(2, e.Line);
        Assert.Equal(6, e.Column);
        Assert.Equal("malformed ACL at line 2, column 6: expected a privilege letter (arwdDxtXUCTcsAm), '*' or '/' (found 'z')", e.Message);
    }

    [Fact]
    public void BlankInputAndTablesWithoutAclColumnsAreRejected()
    {
        var blank = Assert.Throws<AclFormatException>(() => AclInput.Read("  \n"));
        Assert.Equal("an ACL item (grantee=privileges/grantor), an aclitem[] literal ({…}) or pasted psql output", blank.Expected);
        var table = " a | b \n---+---\n 1 | 2\n(1 row)\n";
        var noAcl = Assert.Throws<AclFormatException>(() => AclInput.Read(table));
        Assert.Equal("psql output with an \"Access privileges\" column (\\l, \\dp, \\z, \\ddp, \\dn+)", noAcl.Expected);
    }
}
