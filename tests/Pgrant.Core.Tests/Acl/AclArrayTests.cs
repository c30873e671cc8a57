namespace Pgrant.Core.Tests.Acl;

/// <summary>aclitem[] literals; expectations observed on PostgreSQL 15.18 (array_in / array_out).</summary>
public sealed class AclArrayTests
{
    [Fact]
    public void ServerOutputWithHostileNamesRoundTrips()
    {
        // Captured from PG15: relacl::text, unnest(relacl)::text and aclexplode(relacl) of a table
        // granted to roles named "weird name", a"q, a=b/c, Ünïcödé, a,b, a{b}, a\b, " lead",
        // tab<TAB>x, x*y, NULL, p|pe, 日本語, new<LF>line and a 63-byte name.
        var array = Fixture.Read("pg15-relacl-hostile.txt").TrimEnd('\n');
        var unnest = Fixture.Read("pg15-unnest-hostile.txt").TrimEnd('\n').Split('\u001e');
        var items = AclItem.ParseArray(array);
        Assert.Equal(array, AclItem.FormatArray(items));
        Assert.Equal(unnest, items.Select(i => i.ToString()).ToArray());
        foreach (var line in unnest) Assert.Equal(line, AclItem.Parse(line).ToString());

        // aclexplode: one row per (grantee, privilege); grantee 0 is PUBLIC.
        var exploded = Fixture.Read("pg15-aclexplode-hostile.txt").TrimEnd('\n').Split('\u001e')
            .Select(r => r.Split('\u001f'))
            .Select(f => (Grantee: f[0] == "0" ? null : f[1], Privilege: f[2], Grantable: f[3] == "t"))
            .ToArray();
        var ours = items.SelectMany(i => Privileges.Split(i.Privileges)
                .Select(p => (Grantee: i.Grantee, Privilege: Privileges.SqlName(p), Grantable: (i.Grantable & p) != 0)))
            .ToArray();
        Assert.Equal(exploded, ours);
        Assert.Contains(items, i => i.Grantee == "new\nline");
        Assert.Contains(items, i => i.Grantee == "a\\b");
        Assert.Contains(items, i => i.Grantee == "tab\tx");
    }

    [Theory]
    [InlineData("{\"\\\"weird name\\\"=r/postgres\",=r/postgres}", "{\"\\\"weird name\\\"=r/postgres\",=r/postgres}")]
    [InlineData("{}", "{}")]
    [InlineData("{ }", "{}")]
    [InlineData("  { sdc=r/postgres , =r/postgres }  ", "{sdc=r/postgres,=r/postgres}")]
    [InlineData("{\"sdc=r/postgres\"}", "{sdc=r/postgres}")]
    [InlineData("{\\\"weird name\\\"=r/postgres}", "{\"\\\"weird name\\\"=r/postgres\"}")]
    [InlineData("{sdc\\=r/postgres}", "{sdc=r/postgres}")]
    [InlineData("{\"\\\"ünicode\\\"=r/postgres\",ünicode=r/postgres}", "{\"\\\"ünicode\\\"=r/postgres\",\"\\\"ünicode\\\"=r/postgres\"}")]
    [InlineData("{postgres=arwdDxt/postgres,16454=r/postgres}", "{postgres=arwdDxt/postgres,16454=r/postgres}")]
    public void ParsesAndFormatsLikeTheServer(string input, string expected)
    {
        Assert.Equal(expected, AclItem.FormatArray(AclItem.ParseArray(input)));
    }

    [Fact]
    public void EmptyArrayHasNoItems() => Assert.Empty(AclItem.ParseArray("{}"));

    [Theory]
    // PG15 rejects all of these as aclitem[] (or, for NULL / nested, as an ACL).
    [InlineData("sdc=r/postgres", 0, "'{' to start an aclitem[] array")]
    [InlineData("{sdc=r/postgres", 15, "',' or '}'")]
    [InlineData("{sdc=r/postgres,}", 16, "an ACL item (empty elements are not allowed)")]
    [InlineData("{,sdc=r/postgres}", 1, "an ACL item (empty elements are not allowed)")]
    [InlineData("{sdc=r/postgres}x", 16, "the end of the input after '}'")]
    [InlineData("{\"sdc=r/postgres\" x}", 18, "',' or '}' after the array element")]
    [InlineData("{NULL}", 1, "an ACL item (NULL is not an ACL item)")]
    [InlineData("{{sdc=r/postgres}}", 1, "an ACL item (an ACL is a one-dimensional array)")]
    [InlineData("{\"a\"\"q\"=r/postgres}", 4, "',' or '}' after the array element")]
    [InlineData("{a\"b\"=r/x}", 2, "',' or '}' (a '\"' inside an unquoted array element must be written \\\"; quote the whole element instead)")]
    [InlineData("{\"sdc=r/postgres}", 1, "a closing '\"' for the quoted array element")]
    public void MalformedArraysNameThePositionAndWhatWasExpected(string input, int position, string expected)
    {
        var e = Assert.Throws<AclFormatException>(() => AclItem.ParseArray(input));
        Assert.Equal(expected, e.Expected);
        Assert.Equal(position, e.Position);
    }

    [Fact]
    public void ErrorsInsideElementsPointIntoTheOriginalText()
    {
        // The bad letter 'q' sits after escapes; the position must be in the literal as typed.
        const string text = "{=r/postgres,\"\\\"weird name\\\"=q/postgres\"}";
        var e = Assert.Throws<AclFormatException>(() => AclItem.ParseArray(text));
        Assert.Equal(text.IndexOf('q'), e.Position);
        Assert.Equal("a privilege letter (arwdDxtXUCTcsAm), '*' or '/' (found 'q')", e.Expected);

        const string unquoted = "{sdc=r/postgres, bob=z/postgres}";
        var u = Assert.Throws<AclFormatException>(() => AclItem.ParseArray(unquoted));
        Assert.Equal(unquoted.IndexOf('z'), u.Position);
    }
}
