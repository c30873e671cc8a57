namespace Pgrant.Core.Tests.Acl;

/// <summary>
/// aclitem text in and out. Every expectation marked "PG15" was observed on PostgreSQL 15.18
/// (`select 'x'::aclitem`, `unnest(relacl)::text`, aclexplode) before being written here.
/// </summary>
public sealed class AclItemParseTests
{
    [Theory]
    [InlineData('a', Privilege.Insert)]
    [InlineData('r', Privilege.Select)]
    [InlineData('w', Privilege.Update)]
    [InlineData('d', Privilege.Delete)]
    [InlineData('D', Privilege.Truncate)]
    [InlineData('x', Privilege.References)]
    [InlineData('t', Privilege.Trigger)]
    [InlineData('X', Privilege.Execute)]
    [InlineData('U', Privilege.Usage)]
    [InlineData('C', Privilege.Create)]
    [InlineData('T', Privilege.Temporary)]
    [InlineData('c', Privilege.Connect)]
    [InlineData('s', Privilege.Set)]
    [InlineData('A', Privilege.AlterSystem)]
    [InlineData('m', Privilege.Maintain)]
    public void EveryLetterParsesAloneAndWithGrantOption(char letter, Privilege expected)
    {
        var plain = AclItem.Parse($"sdc={letter}/Stephen");
        Assert.Equal(new AclItem("sdc", "Stephen", expected, Privilege.None), plain);
        Assert.Equal($"sdc={letter}/Stephen", plain.ToString());

        var grantable = AclItem.Parse($"sdc={letter}*/Stephen");
        Assert.Equal(new AclItem("sdc", "Stephen", expected, expected), grantable);
        Assert.Equal($"sdc={letter}*/Stephen", grantable.ToString());
    }

    [Fact]
    public void AllLettersWithGrantOptionsRoundTripInServerOrder()
    {
        // PG15 printed exactly this for 'sdc=a*r*w*d*D*x*t*X*U*C*T*c*s*A*/postgres'.
        const string text = "sdc=a*r*w*d*D*x*t*X*U*C*T*c*s*A*/postgres";
        Assert.Equal(text, AclItem.Parse(text).ToString());
        var all = AclItem.Parse("sdc=mAsTcCUXtxDdwra/postgres");
        Assert.Equal("sdc=arwdDxtXUCTcsAm/postgres", all.ToString());
    }

    [Theory]
    // PG15: duplicates collapse, order is normalised, '*' binds to the letter before it,
    // a leading '*' is a no-op, '**' is one grant option, legacy 'R' is ignored.
    [InlineData("sdc=rr/postgres", "sdc=r/postgres")]
    [InlineData("sdc=ra/postgres", "sdc=ar/postgres")]
    [InlineData("sdc=r*r/postgres", "sdc=r*/postgres")]
    [InlineData("sdc=*r/postgres", "sdc=r/postgres")]
    [InlineData("sdc=r**/postgres", "sdc=r*/postgres")]
    [InlineData("sdc=rR/postgres", "sdc=r/postgres")]
    [InlineData("sdc=/postgres", "sdc=/postgres")]
    // PG15: white space around names is skipped, trailing white space allowed.
    [InlineData("sdc =r/postgres", "sdc=r/postgres")]
    [InlineData("  sdc=r/ postgres  ", "sdc=r/postgres")]
    // PG15: legacy key words.
    [InlineData("group sdc=r/postgres", "sdc=r/postgres")]
    [InlineData("user sdc=r/postgres", "sdc=r/postgres")]
    [InlineData("group =r/x", "group=r/x")]
    // PG15: empty and quoted-empty grantee mean PUBLIC; PUBLIC with '*' is accepted as text.
    [InlineData("=r/postgres", "=r/postgres")]
    [InlineData("\"\"=r/postgres", "=r/postgres")]
    [InlineData("=r*/postgres", "=r*/postgres")]
    [InlineData("=/postgres", "=/postgres")]
    // PG15: quoted names; quotes doubled; quoted and bare parts glue together.
    [InlineData("\"a\"\"q\"=r/\"a=b/c\"", "\"a\"\"q\"=r/\"a=b/c\"")]
    [InlineData("\"weird name\"=r/postgres", "\"weird name\"=r/postgres")]
    [InlineData("\" lead\"=r/postgres", "\" lead\"=r/postgres")]
    [InlineData("\"x*y\"=r/postgres", "\"x*y\"=r/postgres")]
    [InlineData("\"a\\b\"=r/postgres", "\"a\\b\"=r/postgres")]
    [InlineData("\"a,b\"=r/postgres", "\"a,b\"=r/postgres")]
    [InlineData("\"UPPER\"=r/postgres", "UPPER=r/postgres")]
    [InlineData("UPPER=r/postgres", "UPPER=r/postgres")]
    [InlineData("NULL=r/postgres", "NULL=r/postgres")]
    [InlineData("1abc=r/postgres", "1abc=r/postgres")]
    // PG15 (2025+ minor): non-ASCII accepted bare on input, always quoted on output.
    [InlineData("ünicode=r/postgres", "\"ünicode\"=r/postgres")]
    [InlineData("Ünïcödé=r/postgres", "\"Ünïcödé\"=r/postgres")]
    [InlineData("日本語=r/postgres", "\"日本語\"=r/postgres")]
    // PG15: a dropped role prints as its OID, bare.
    [InlineData("16454=r/postgres", "16454=r/postgres")]
    [InlineData("sdc=r/16454", "sdc=r/16454")]
    public void ParsesLikeTheServerAndFormatsLikeAclitemout(string input, string expected)
    {
        Assert.Equal(expected, AclItem.Parse(input).ToString());
    }

    [Fact]
    public void QuotedNamesKeepTheirCharacters()
    {
        var item = AclItem.Parse("\"a\"\"q\"=r*w/\"a=b/c\"");
        Assert.Equal("a\"q", item.Grantee);
        Assert.Equal("a=b/c", item.Grantor);
        Assert.Equal(Privilege.Select | Privilege.Update, item.Privileges);
        Assert.Equal(Privilege.Select, item.Grantable);
        Assert.Equal("abc", AclItem.Parse("a\"b\"c=r/postgres").Grantee);
        Assert.Equal("new\nline", AclItem.Parse("\"new\nline\"=a/postgres").Grantee);
    }

    [Fact]
    public void MissingGrantorIsNullAndFormatsEmpty()
    {
        var item = AclItem.Parse("sdc=r");
        Assert.Null(item.Grantor);
        Assert.Equal("sdc=r/", item.ToString());
    }

    [Fact]
    public void SixtyThreeByteNamesAreAcceptedSixtyFourAreNot()
    {
        var name63 = string.Concat(Enumerable.Repeat("abcdefghij", 6)) + "123";
        Assert.Equal(name63, AclItem.Parse($"{name63}=r/postgres").Grantee);
        // PG15: "identifier too long" for 64 bytes, and for 33 two-byte characters (66 bytes).
        var e = Assert.Throws<AclFormatException>(() => AclItem.Parse($"{name63}4=r/postgres"));
        Assert.Equal(0, e.Position);
        Assert.Equal("a role name of at most 63 bytes", e.Expected);
        Assert.Equal(new string('é', 31), AclItem.Parse(new string('é', 31) + "=r/x").Grantee);
        var wide = Assert.Throws<AclFormatException>(() => AclItem.Parse("sdc=r/" + new string('é', 33)));
        Assert.Equal(6, wide.Position);
    }

    [Theory]
    // PG15 rejects each of these; position is 0-based into the input.
    [InlineData("sdc=q/postgres", 4, "a privilege letter (arwdDxtXUCTcsAm), '*' or '/' (found 'q')")]
    [InlineData("sdc/postgres", 3, "'=' after the grantee role name")]
    [InlineData("sdc=r/", 6, "a grantor role name after '/'")]
    [InlineData("sdc=r/  ", 8, "a grantor role name after '/'")]
    [InlineData("sdc=r/postgres x", 15, "the end of the ACL item")]
    [InlineData("sdc=r/postgres/x", 14, "the end of the ACL item")]
    [InlineData("sdc= r/postgres", 5, "a privilege letter, '*', '/' and the grantor, or the end of the ACL item")]
    [InlineData("sdc=r /postgres", 6, "a privilege letter, '*', '/' and the grantor, or the end of the ACL item")]
    [InlineData("sdc=r w/postgres", 6, "a privilege letter, '*', '/' and the grantor, or the end of the ACL item")]
    [InlineData("sd-c=r/postgres", 2, "'=' after the grantee role name")]
    [InlineData("\"sdc=r/postgres", 0, "a closing '\"' for the quoted name")]
    [InlineData("", 0, "a role name or '=' (an empty grantee means PUBLIC)")]
    [InlineData("group /x", 6, "a role name after the \"group\" key word")]
    [InlineData("sdc=r1/x", 5, "a privilege letter, '*', '/' and the grantor, or the end of the ACL item")]
    public void MalformedItemsNameThePositionAndWhatWasExpected(string input, int position, string expected)
    {
        var e = Assert.Throws<AclFormatException>(() => AclItem.Parse(input));
        Assert.Equal(position, e.Position);
        Assert.Equal(expected, e.Expected);
        Assert.Equal(input, e.Input);
        Assert.Equal(position + 1, e.Column);
        Assert.StartsWith($"malformed ACL at column {position + 1}: expected ", e.Message);
    }

    [Fact]
    public void MessageShowsWhatWasFound()
    {
        var e = Assert.Throws<AclFormatException>(() => AclItem.Parse("sdc/postgres"));
        Assert.Equal("malformed ACL at column 4: expected '=' after the grantee role name (found '/')", e.Message);
        var end = Assert.Throws<AclFormatException>(() => AclItem.Parse("sdc=r/"));
        Assert.Equal("malformed ACL at column 7: expected a grantor role name after '/' (found the end of the input)", end.Message);
    }

    [Theory]
    [InlineData("postgres", "postgres")]
    [InlineData("Stephen", "Stephen")]
    [InlineData("weird name", "\"weird name\"")]
    [InlineData("a\"q", "\"a\"\"q\"")]
    [InlineData("a=b/c", "\"a=b/c\"")]
    [InlineData("tab\tx", "\"tab\tx\"")]
    [InlineData("ünicode", "\"ünicode\"")]
    [InlineData("p|pe", "\"p|pe\"")]
    public void NamesAreQuotedExactlyWhenNotAllAsciiAlnumOrUnderscore(string name, string expected)
    {
        // PG15: unnest(relacl)::text printed each of these for a grant to the role.
        var sb = new System.Text.StringBuilder();
        AclItem.AppendName(sb, name);
        Assert.Equal(expected, sb.ToString());
        Assert.Equal(name, AclItem.Parse($"{expected}=r/postgres").Grantee);
    }
}
